using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
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

    /// <summary>
    /// A service with its own database and the broker; it takes traffic once both are healthy, and accepts tokens
    /// from the given issuer.
    /// </summary>
    /// <remarks>
    /// Least privilege: the service's migrations run in a job of their own (<c>{name}-migrations</c>, the service's
    /// executable with <c>--migrate-only</c>) with the server's owner connection (<c>{database}-owner</c>); the
    /// service starts beside the job, takes traffic once the job has applied its scripts, and itself connects as <c>{database}_service</c>, a login role its migrator creates with the password
    /// from the parameter <c>{name}-db-password</c>, that may only read and write the rows of its own database.
    /// </remarks>
    public static IResourceBuilder<ProjectResource> AddService<TProject>(
        this IDistributedApplicationBuilder builder,
        string name,
        IResourceBuilder<PostgresDatabaseResource> database,
        IResourceBuilder<RabbitMQServerResource> messaging,
        ReferenceExpression issuer)
        where TProject : IProjectMetadata, new()
    {
        var (serviceConnectionString, migrations) = builder.AddMigrationJob<TProject>(name, database);
        return builder.AddProject<TProject>(name)
            .WithEnvironment($"ConnectionStrings__{database.Resource.Name}", serviceConnectionString)
            .WithEnvironment("Database__Migrations", "Job")
            .StartsBesideItsMigrationJob(migrations, database)
            .WithEnvironment($"ConnectionStrings__{MessagingConnectionName}", builder.AddBrokerUser(messaging, name))
            .WaitFor(messaging)
            .WithEnvironment("Identity__Issuer", issuer)
            .WithHttpHealthCheck("/health");
    }

    /// <summary>
    /// A web client's Data Protection key ring in a database of its own (BuildingBlocks' WebClientKeyRing), made as a
    /// service's is: its migration job (the client's executable with <c>--migrate-only</c>, as the owner) beside the
    /// client, which waits for it and connects as <c>{database}_service</c>; the ring is encrypted under a secret of the client's own
    /// (the parameter <c>{name}-key-ring-key</c>).
    /// </summary>
    /// <remarks>
    /// The client and its job start once the given services are healthy: the client calls them through the gateway
    /// anyway, and its start then does not compete with theirs for the two cores on the cold start's path (issue 7).
    /// </remarks>
    public static IResourceBuilder<ProjectResource> AddWebClient<TProject>(
        this IDistributedApplicationBuilder builder,
        string name,
        IResourceBuilder<PostgresDatabaseResource> database,
        params IResourceBuilder<ProjectResource>[] afterTheServices)
        where TProject : IProjectMetadata, new()
    {
        var keyRingKey = builder.AddParameter($"{name}-key-ring-key", secret: true, value: new GenerateParameterDefault { MinLength = 32, Special = false });
        var (connectionString, migrations) = builder.AddMigrationJob<TProject>(name, database);
        migrations.AfterTheServices(afterTheServices);
        return builder.AddProject<TProject>(name)
            .WithEnvironment($"ConnectionStrings__{database.Resource.Name}", connectionString)
            .WithEnvironment("Database__Migrations", "Job")
            .WithEnvironment(KeyRingKeySetting, keyRingKey)
            .StartsBesideItsMigrationJob(migrations, database)
            .AfterTheServices(afterTheServices);
    }

    /// <summary>
    /// The process starts beside its migration job, not after it (issue 7: one round of process starts less on the
    /// cold start's path): it waits by itself until the job has applied every script it carries (BuildingBlocks'
    /// DatabaseMigrator), and only then takes traffic.
    /// </summary>
    private static IResourceBuilder<ProjectResource> StartsBesideItsMigrationJob(
        this IResourceBuilder<ProjectResource> resource, IResourceBuilder<ExecutableResource> migrations, IResourceBuilder<PostgresDatabaseResource> database) =>
        resource.WithRelationship(migrations.Resource, "Migrations").WaitFor(database);

    /// <summary>BuildingBlocks' WebClientKeyRing.SecretSetting, as an environment variable.</summary>
    private const string KeyRingKeySetting = "DataProtection__KeyEncryptionKey";

    /// <summary>
    /// The connection string of the process's own login role (<c>{database}_service</c>, password from the parameter
    /// <c>{name}-db-password</c>) and the migration job (<c>{name}-migrations</c>) that creates the role and applies the
    /// scripts with the owner's connection.
    /// </summary>
    private static (ReferenceExpression ConnectionString, IResourceBuilder<ExecutableResource> Migrations) AddMigrationJob<TProject>(
        this IDistributedApplicationBuilder builder, string name, IResourceBuilder<PostgresDatabaseResource> database)
        where TProject : IProjectMetadata, new()
    {
        var password = builder.AddParameter($"{name}-db-password", secret: true, value: new GenerateParameterDefault { MinLength = 32, Special = false });
        var server = database.Resource.Parent;
        var serviceRole = $"{database.Resource.DatabaseName}_service";
        var serviceConnection = new ReferenceExpressionBuilder();
        serviceConnection.AppendLiteral("Host=");
        serviceConnection.AppendValueProvider(server.Host);
        serviceConnection.AppendLiteral(";Port=");
        serviceConnection.AppendValueProvider(server.Port);
        serviceConnection.AppendLiteral($";Username={serviceRole};Password=");
        serviceConnection.AppendValueProvider(password.Resource);
        // A bounded pool per service process: under load the requests queue at their own pool instead of taking
        // PostgreSQL's last connection slots (100 by default, shared by every service and replica), which answered 500.
        serviceConnection.AppendLiteral($";Database={database.Resource.DatabaseName};Maximum Pool Size={MaximumPoolSize}");
        var serviceConnectionString = serviceConnection.Build();
        // The service's own executable as a job that applies the migrations as the owner and ends; the service
        // waits for it and never holds the owner's (the server's superuser's) credentials.
        // No launch profile and no endpoints: the job takes no traffic, and the service's fixed ports stay the service's.
        // Started as its built assembly (`dotnet <dll>`), not as a project: `dotnet run` evaluates the project before
        // it starts it, about 1.2 s of CPU (measured), and six jobs at once sit on the cold start's path (issue 7).
        // The AppHost's build builds the project it references, in the AppHost's own configuration.
        var assembly = BuiltAssembly(new TProject().ProjectPath);
        var migrations = builder.AddExecutable(name + MigrationJobSuffix, "dotnet", Path.GetDirectoryName(assembly)!, assembly, MigrateOnlyArgument)
            .WithReference(database, connectionName: database.Resource.Name + "-owner")
            .WithEnvironment($"ConnectionStrings__{database.Resource.Name}", serviceConnectionString)
            .WaitFor(database);
        return (serviceConnectionString, migrations);
    }

    /// <summary>
    /// Call once every resource is added: every project of the app model starts as its built assembly
    /// (<c>dotnet {assembly}</c>, in the project's folder as <c>dotnet run</c> starts it), as the migration jobs do, rather
    /// than through <c>dotnet run</c>, which evaluates the project before it starts it: 17 s of CPU for the nine
    /// projects of a benchmark start (measured), on the cold start's path with two cores (issue 7). Aspire then
    /// passes no <c>dotnet run</c> options; the launch profile's variables and ports are Aspire's own and still apply.
    /// </summary>
    /// <remarks>
    /// Not when an IDE runs the app model (Aspire's debug session): the IDE starts the projects itself.
    /// </remarks>
    public static void StartEveryProjectAsItsBuiltAssembly(IDistributedApplicationBuilder builder)
    {
        if (!string.IsNullOrEmpty(builder.Configuration[DebugSessionPortSetting]))
        {
            return;
        }

        foreach (var project in builder.Resources.OfType<ProjectResource>())
        {
            var projectPath = project.GetProjectMetadata().ProjectPath;
            var assembly = BuiltAssembly(projectPath);
            project.Annotations.Add(new ExecutableAnnotation { Command = "dotnet", WorkingDirectory = Path.GetDirectoryName(projectPath)! });
            // The assembly goes before any argument of the resource's own.
            project.Annotations.Add(new CommandLineArgsCallbackAnnotation(args => args.Insert(0, assembly)));
        }
    }

    /// <summary>Set by an IDE that runs the app model (Aspire's DcpExecutor.DebugSessionPortVar).</summary>
    private const string DebugSessionPortSetting = "DEBUG_SESSION_PORT";

    /// <summary>
    /// The project's assembly as its build left it: <c>bin/{configuration}/net10.0/{name}.dll</c> beside the project
    /// file; or, in benchmark mode, its published ReadyToRun build (<see cref="RunPublishedVariable"/>).
    /// </summary>
    private static string BuiltAssembly(string projectPath)
    {
        var name = Path.GetFileNameWithoutExtension(projectPath);
        if (Environment.GetEnvironmentVariable(RunPublishedVariable) is { Length: > 0 } publishedRoot
            && Path.Combine(publishedRoot, name, name + ".dll") is var published
            && File.Exists(published))
        {
            return published;
        }

        var configuration = typeof(AppModelExtensions).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var assembly = Path.Combine(
            Path.GetDirectoryName(projectPath)!, "bin", configuration, TargetFramework, name + ".dll");
        return File.Exists(assembly)
            ? assembly
            : throw new InvalidOperationException($"{assembly} is not built; build the AppHost ({configuration}), which builds it.");
    }

    /// <summary>A folder of published builds, one per project (eng/bench.sh).</summary>
    private const string RunPublishedVariable = "ParticipatieRunPublished";

    /// <summary>Directory.Build.props' TargetFramework.</summary>
    private const string TargetFramework = "net10.0";

    /// <summary>
    /// Connections one service process may hold: four services and a second replica stay well below PostgreSQL's 100,
    /// with room left for the migration jobs and an operator.
    /// </summary>
    private const int MaximumPoolSize = 15;

    /// <summary>A migration job is named after its process: <c>{name}-migrations</c>.</summary>
    public const string MigrationJobSuffix = "-migrations";

    /// <summary>BuildingBlocks' DatabaseMigrator.MigrateOnlyArgument (the AppHost does not reference the building blocks).</summary>
    private const string MigrateOnlyArgument = "--migrate-only";

    /// <summary>The connection string name of the broker in every service (BuildingBlocks' MessagingExtensions).</summary>
    private const string MessagingConnectionName = "messaging";

    /// <summary>
    /// The service's own broker user (<see cref="BrokerUsers"/>), with the password from the parameter
    /// <c>{name}-broker-password</c>. It is made through the management API by a health check of the broker, so a
    /// service that waits for the broker finds its user there. Returns the service's amqp:// connection string.
    /// </summary>
    private static ReferenceExpression AddBrokerUser(
        this IDistributedApplicationBuilder builder, IResourceBuilder<RabbitMQServerResource> messaging, string service)
    {
        var password = builder.AddParameter($"{service}-broker-password", secret: true, value: new GenerateParameterDefault { MinLength = 32, Special = false });
        var made = false;
        var check = $"{service}-broker-user";
        builder.Services.AddHealthChecks().AddAsyncCheck(check, async cancellationToken =>
        {
            if (!made)
            {
                var broker = messaging.Resource;
                var management = new Uri(broker.ManagementEndpoint.Url);
                await BrokerUsers.EnsureAsync(
                    management,
                    await broker.UserNameReference.GetValueAsync(cancellationToken) ?? "guest",
                    await broker.PasswordParameter.GetValueAsync(cancellationToken) ?? "guest",
                    "/",
                    service,
                    await password.Resource.GetValueAsync(cancellationToken) ?? throw new InvalidOperationException($"No password for {service}'s broker user."),
                    cancellationToken);
                made = true;
            }

            return HealthCheckResult.Healthy();
        });
        messaging.WithHealthCheck(check);

        var connection = new ReferenceExpressionBuilder();
        connection.AppendLiteral($"amqp://{Uri.EscapeDataString(BrokerUsers.UserName(service))}:");
        connection.AppendValueProvider(password.Resource);
        connection.AppendLiteral("@");
        connection.AppendValueProvider(messaging.Resource.Host);
        connection.AppendLiteral(":");
        connection.AppendValueProvider(messaging.Resource.Port);
        return connection.Build();
    }

    /// <summary>
    /// The service validates tokens with the token server's keys, which it fetches by service discovery at the first
    /// token it sees. It starts beside the token server rather than after it (no WaitFor): that wait put a second
    /// round of process starts on the cold start's path (issue 7). Nothing reaches a service before the gateway,
    /// which waits for every service, the token server included.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithTokenServer(
        this IResourceBuilder<ProjectResource> resource, IResourceBuilder<ProjectResource> tokenServer) =>
        resource.WithReference(tokenServer);

    /// <summary>Starts once every given service is healthy.</summary>
    public static IResourceBuilder<T> AfterTheServices<T>(this IResourceBuilder<T> resource, params IResourceBuilder<ProjectResource>[] services)
        where T : IResourceWithWaitSupport
    {
        foreach (var service in services)
        {
            resource.WaitFor(service);
        }

        return resource;
    }

    /// <summary>Routes to a service (service discovery) and waits until it is healthy.</summary>
    public static IResourceBuilder<ProjectResource> WithDependency(
        this IResourceBuilder<ProjectResource> resource, IResourceBuilder<ProjectResource> dependency) =>
        resource.WithReference(dependency).WaitFor(dependency);
}
