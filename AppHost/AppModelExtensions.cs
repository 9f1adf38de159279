using Participatie.Eng;

namespace Participatie.AppHost;

internal static class AppModelExtensions
{
    /// <summary>
    /// Uses the image eng/container-images.sh chose: an official one pulled from a registry, or one built here
    /// from Debian's packages, which must never be pulled.
    /// </summary>
    public static IResourceBuilder<T> WithContainerImage<T>(this IResourceBuilder<T> resource, ContainerImage image)
        where T : ContainerResource
    {
        resource.WithImage(image.Image, image.Tag);
        return image.IsLocal
            ? resource.WithImageRegistry(null).WithImagePullPolicy(ImagePullPolicy.Never)
            : resource;
    }

    /// <summary>A service with its own database and the broker; it takes traffic once both are healthy.</summary>
    public static IResourceBuilder<ProjectResource> AddService<TProject>(
        this IDistributedApplicationBuilder builder,
        string name,
        IResourceBuilder<PostgresDatabaseResource> database,
        IResourceBuilder<RabbitMQServerResource> messaging)
        where TProject : IProjectMetadata, new() =>
        builder.AddProject<TProject>(name)
            .WithReference(database)
            .WaitFor(database)
            .WithReference(messaging)
            .WaitFor(messaging)
            .WithHttpHealthCheck("/health");

    /// <summary>Routes to a service (service discovery) and waits until it is healthy.</summary>
    public static IResourceBuilder<ProjectResource> WithDependency(
        this IResourceBuilder<ProjectResource> resource, IResourceBuilder<ProjectResource> dependency) =>
        resource.WithReference(dependency).WaitFor(dependency);
}
