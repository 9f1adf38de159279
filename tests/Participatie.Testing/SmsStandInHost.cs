using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Participatie.Testing;

/// <summary>The SMS stand-in provider on a real port, as the AppHost starts it.</summary>
public sealed class SmsStandInHost : WebApplicationFactory<SmsStandIn.EntryPoint>
{
    public const string ApiKey = "test-sms-api-key";
    public const string ReportSecret = "test-sms-report-secret";

    public SmsStandInHost() => UseKestrel(LoopbackKestrel.On(0));

    /// <summary>Where it listens, once started.</summary>
    public Uri Address => new(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("SmsStandIn:ApiKey", ApiKey);
        builder.UseSetting("SmsStandIn:ReportSecret", ReportSecret);
        builder.UseSetting("SmsStandIn:ReportDelay", "00:00:00.200");
    }
}
