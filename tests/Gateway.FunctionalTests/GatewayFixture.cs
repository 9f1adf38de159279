using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Participatie.Gateway;
using Participatie.Testing;

[assembly: AssemblyFixture(typeof(PlatformContainers))]

namespace Participatie.Gateway.FunctionalTests;

/// <summary>
/// The gateway with a small rate limit, validating tokens against the real token server. The services behind it do
/// not run: what these tests look at is decided before a request is forwarded.
/// </summary>
public class GatewayHost(PlatformContainers containers) : WebApplicationFactory<EntryPoint>
{
    public const int PermitLimit = 3;

    /// <summary>The rate-limit window: long, so that a burst in a test never straddles two windows.</summary>
    public virtual TimeSpan Window => TimeSpan.FromMinutes(1);

    public TokenServer TokenServer => containers.TokenServer;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Identity:Issuer", ServiceFactory<EntryPoint>.Issuer);
        builder.UseSetting("Identity:JwksUri", "http://token-server/.well-known/jwks");
        builder.UseSetting("Gateway:RateLimit:PermitLimit", PermitLimit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Gateway:RateLimit:Window", Window.ToString("c", System.Globalization.CultureInfo.InvariantCulture));
        builder.ConfigureServices(services => services
            .AddHttpClient("identity")
            .ConfigurePrimaryHttpMessageHandler(containers.TokenServer.CreateHandler));
    }
}

/// <summary>The gateway with a window of two seconds, so that a test can wait out a 429 and come back.</summary>
public sealed class ShortWindowGatewayHost(PlatformContainers containers) : GatewayHost(containers)
{
    public override TimeSpan Window => TimeSpan.FromSeconds(2);
}
