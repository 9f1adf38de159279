using Participatie.Testing;

[assembly: AssemblyFixture(typeof(PlatformContainers))]

namespace Participatie.Consultations.FunctionalTests;

/// <summary>
/// The consultations service against the real containers, validating tokens with the signing keys of the real token
/// server (the partner-coordination service the assembly fixture runs).
/// </summary>
public sealed class ConsultationsService(PlatformContainers containers)
    : ServiceFactory<Participatie.Consultations.EntryPoint>("consultationsdb", containers, containers.TokenServer)
{
    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.TurnOffClosingOnDeadline();
    }
}
