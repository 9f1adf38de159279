using Microsoft.AspNetCore.Hosting;
using Participatie.Testing;

[assembly: AssemblyFixture(typeof(PlatformContainers))]

namespace Participatie.PartnerCoordination.FunctionalTests;

/// <summary>
/// The partner-coordination service against the real containers. It is the platform's token server itself, so the
/// tests get their tokens from the service under test (<see cref="Tokens"/>), not from the assembly's token server.
/// </summary>
public sealed class PartnerCoordinationService(PlatformContainers containers)
    : ServiceFactory<Participatie.PartnerCoordination.EntryPoint>("partnersdb", containers)
{
    private TokenServer? _tokens;

    /// <summary>This service as a token server. Not to be disposed: that would dispose this service.</summary>
    public TokenServer Tokens => _tokens ??= TokenServer.For(this);

    /// <summary>A client of this service that sends the given bearer token.</summary>
    public HttpClient CreateClient(string token) => TokenServer.Authorized(CreateClient(), token);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        // The platform's partner console, as the AppHost registers it (ConsoleClientTests).
        builder.UseSetting("Identity:ConsoleClients:partner-console:RedirectUris", ConsoleClientTests.RedirectUri);
        builder.UseSetting("Identity:ConsoleClients:partner-console:PostLogoutRedirectUris", ConsoleClientTests.PostLogoutRedirectUri);
    }
}

/// <summary>
/// The tests of this service share one instance of it and run one class at a time: the partner list spans every
/// partner in the database, and a test that pages through it must not see other tests register partners meanwhile.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PartnerCoordinationCollection : ICollectionFixture<PartnerCoordinationService>
{
    public const string Name = "partner coordination";
}
