using DotNet.Testcontainers.Builders;
using Participatie.Eng;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

namespace Participatie.Testing;

/// <summary>
/// One real PostgreSQL server and one real RabbitMQ broker, started once per test assembly and shared by its
/// tests (each test works on data of its own), and the token server they authenticate against. The images are the
/// ones eng/container-images.sh chose.
/// </summary>
public sealed class PlatformContainers : IAsyncLifetime
{
    private static readonly ContainerImages Images = LoadImages();

    public PostgreSqlContainer Postgres { get; } = CreatePostgres();

    public RabbitMqContainer RabbitMq { get; } = CreateRabbitMq();

    /// <summary>The real token server every test of this assembly authenticates against.</summary>
    public TokenServer TokenServer { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        await Task.WhenAll(Postgres.StartAsync(), RabbitMq.StartAsync());
        TokenServer = await TokenServer.StartAsync(this);
    }

    public async ValueTask DisposeAsync()
    {
        await TokenServer.DisposeAsync();
        await Postgres.DisposeAsync();
        await RabbitMq.DisposeAsync();
    }

    /// <summary>
    /// A PostgreSQL server; with <paramref name="fixedHostPort"/> it keeps its host port across a stop and a start, so
    /// that a test can take it down and bring it back under a running service.
    /// </summary>
    public static PostgreSqlContainer CreatePostgres(bool fixedHostPort = false)
    {
        var builder = new PostgreSqlBuilder($"{Images.Postgres.Image}:{Images.Postgres.Tag}")
            .WithDatabase("participatie")
            // Durability is not what these tests are about; speed is.
            .WithCommand("-c", "fsync=off", "-c", "synchronous_commit=off");
        if (fixedHostPort)
        {
            builder = builder.WithPortBinding(FreeTcpPorts.Next(), PostgreSqlBuilder.PostgreSqlPort);
        }

        return builder.Build();
    }

    /// <summary>
    /// A broker; with <paramref name="fixedHostPort"/> it keeps its host port across a stop and a start, so that a
    /// test can take it down and bring it back under a running service.
    /// </summary>
    public static RabbitMqContainer CreateRabbitMq(bool fixedHostPort = false)
    {
        var builder = new RabbitMqBuilder($"{Images.RabbitMq.Image}:{Images.RabbitMq.Tag}")
            .WithUsername("participatie")
            .WithPassword("participatie");
        if (fixedHostPort)
        {
            builder = builder.WithPortBinding(FreeTcpPorts.Next(), RabbitMqBuilder.RabbitMqPort);
        }

        return builder.Build();
    }

    private static ContainerImages LoadImages()
    {
        ContainerImages.ApplyDockerEnvironment();
        return ContainerImages.Load();
    }
}
