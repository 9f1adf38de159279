using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Participatie.Testing;

/// <summary>
/// Runs one service in the test process against real containers, exactly as its Program.cs wires it. Given a
/// <paramref name="clock"/>, the service runs on it (the <see cref="TimeProvider"/> every handler and background
/// service takes from DI), so that a test states the date and moves time itself instead of ageing rows with SQL.
/// </summary>
public class ServiceFactory<TEntryPoint>(
    string databaseName,
    string databaseConnectionString,
    string brokerConnectionString,
    TokenServer? tokenServer = null,
    Action<IServiceCollection>? configureServices = null,
    FakeTimeProvider? clock = null) : WebApplicationFactory<TEntryPoint>
    where TEntryPoint : class
{
    /// <summary>The issuer both the test token server and the services under test agree on.</summary>
    public const string Issuer = "http://participatie.test/";

    /// <summary>The platform secret of the residents' sign-in keys (Identity:ResidentIdentifierKey), as the AppHost generates one.</summary>
    public const string ResidentIdentifierKey = "test-resident-identifier-key-0123456789";

    /// <summary>The key-encryption key of the token server's signing keys (Identity:TokenKeyEncryptionKey), as the AppHost generates one.</summary>
    public const string TokenKeyEncryptionKey = "test-token-key-encryption-key-0123456789";

    public ServiceFactory(
        string databaseName,
        PlatformContainers containers,
        TokenServer? tokenServer = null,
        Action<IServiceCollection>? configureServices = null,
        FakeTimeProvider? clock = null)
        : this(databaseName, containers.Postgres.GetConnectionString(), containers.RabbitMq.GetConnectionString(), tokenServer, configureServices, clock)
    {
    }

    /// <summary>
    /// The clock the service runs on, when the test gave one; null means the system clock. Only the test moves it
    /// (<see cref="FakeTimeProvider.Advance"/>, <see cref="FakeTimeProvider.SetUtcNow"/>).
    /// </summary>
    public FakeTimeProvider? Clock => clock;

    /// <summary>Waits until /health answers 200: the service reaches its database and its broker.</summary>
    public async Task<HttpStatusCode> WaitUntilHealthyAsync(HttpClient client)
    {
        // Right after start the bus may still be connecting: healthy it must become, not be at once.
        return await Eventually.MatchesAsync(
            async () => (await client.GetAsync(new Uri("/health", UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode,
            status => status == HttpStatusCode.OK,
            "the service to become healthy");
    }

    protected override IHost CreateHost(IHostBuilder builder)
    {
        // Started, so its migrations ran: a service that keeps the partners' areas gets the grants made so far.
        var host = base.CreateHost(builder);
        tokenServer?.ProjectAreasInto(databaseConnectionString);
        return host;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        // The migrations run as the owner (the container's superuser); the service as its own role, as in the AppHost.
        builder.UseSetting($"ConnectionStrings:{databaseName}-owner", databaseConnectionString);
        builder.UseSetting($"ConnectionStrings:{databaseName}", DatabaseRoles.ServiceConnectionString(databaseConnectionString));
        builder.UseSetting("ConnectionStrings:messaging", brokerConnectionString);
        builder.UseSetting("Outbox:PollInterval", "00:00:00.500");
        builder.UseSetting("Outbox:PublishTimeout", "00:00:03");
        builder.UseSetting("Identity:Issuer", Issuer);
        builder.UseSetting("Identity:PlatformOperatorSecret", TokenServer.PlatformOperatorSecret);
        // The notifications service's own client, as the AppHost configures it: known to the token server (partner
        // coordination) with the contact-details scope, and its secret given to notifications.
        builder.UseSetting($"Identity:ServiceClients:{TokenServer.NotificationsClientId}:Secret", TokenServer.NotificationsClientSecret);
        builder.UseSetting($"Identity:ServiceClients:{TokenServer.NotificationsClientId}:Scopes", "contact-details");
        builder.UseSetting("Residents:ClientSecret", TokenServer.NotificationsClientSecret);
        builder.UseSetting("Identity:ResidentIdentifierKey", ResidentIdentifierKey);
        builder.UseSetting("Identity:TokenKeyEncryptionKey", TokenKeyEncryptionKey);
        if (tokenServer is not null)
        {
            tokenServer.WatchProjection(databaseConnectionString);
            // The service fetches the signing keys from the real token server, in memory.
            builder.UseSetting("Identity:JwksUri", "http://token-server/.well-known/jwks");
            builder.UseSetting("Identity:TokenEndpoint", "http://token-server/connect/token");
            builder.ConfigureServices(services =>
            {
                services.AddHttpClient("identity").ConfigurePrimaryHttpMessageHandler(tokenServer.CreateHandler);
            });
        }

        if (clock is not null)
        {
            // Replaces whatever registered TimeProvider.System first (resilience, hosting), for every consumer alike.
            builder.ConfigureServices(services => services.RemoveAll<TimeProvider>().AddSingleton<TimeProvider>(clock));
        }

        // A 500 in a test says what went wrong in its own problem body, which the failing assertion prints: on a busy
        // CI machine the service's log of it is easily cut from the output.
        builder.ConfigureServices(services => services.PostConfigure<ProblemDetailsOptions>(options =>
        {
            var customize = options.CustomizeProblemDetails;
            options.CustomizeProblemDetails = context =>
            {
                customize?.Invoke(context);
                if (context.Exception is { } exception && context.ProblemDetails.Status >= StatusCodes.Status500InternalServerError)
                {
                    context.ProblemDetails.Extensions["exception"] = exception.ToString();
                }
            };
        }));

        if (configureServices is not null)
        {
            builder.ConfigureServices(configureServices);
        }
    }
}
