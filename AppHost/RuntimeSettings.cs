using Microsoft.Extensions.Configuration;

namespace Participatie.AppHost;

/// <summary>
/// How the .NET runtime runs every platform process the AppHost starts (the gateway, the services, the web clients,
/// the migration jobs), as the swarm image (<c>deploy/swarm/image/Dockerfile</c>) and with it the Kubernetes manifests
/// run them.
/// </summary>
/// <remarks>
/// W^X (executable memory never writable at the same time) is off: with it on, every write of the JIT, of the tiered
/// compiler's call counting and of the stubs it patches goes through a second, writable mapping. In four interleaved
/// runs of <c>eng/bench.sh --only-ingest</c> the platform took 735 and 795 reactions/s with it off against 630 and 625
/// with it on, at 2.17-2.35 ms of CPU per reaction against 2.60-2.61 (issue 7). The price is one exploit mitigation
/// less: a memory-corruption bug in native code could write into JIT code. What the processes read from outside (HTTP,
/// JSON, the PostgreSQL and AMQP protocols) is parsed by managed code, so we make that trade;
/// <c>WriteXorExecute=true</c> (an AppHost setting) keeps W^X on.
/// </remarks>
internal static class RuntimeSettings
{
    public const string WriteXorExecuteVariable = "DOTNET_EnableWriteXorExecute";

    private const string WriteXorExecuteSetting = "WriteXorExecute";

    /// <summary>Call once every resource is added: it sets the variable on every .NET process of the app model.</summary>
    public static void ApplyToEveryDotnetProcess(IDistributedApplicationBuilder builder)
    {
        if (builder.Configuration.GetValue<bool>(WriteXorExecuteSetting))
        {
            return;
        }

        var dotnetProcesses = builder.Resources.OfType<ProjectResource>().Cast<IResourceWithEnvironment>()
            .Concat(builder.Resources.OfType<ExecutableResource>().Where(IsDotnetAssembly));
        foreach (var resource in dotnetProcesses.ToList())
        {
            builder.CreateResourceBuilder(resource).WithEnvironment(WriteXorExecuteVariable, "0");
        }
    }

    /// <summary>A migration job (<c>dotnet {assembly}</c>); not smtp4dev, which runs as a .NET tool but is not ours.</summary>
    private static bool IsDotnetAssembly(ExecutableResource executable) =>
        executable.Command == "dotnet" && executable.Name.EndsWith(AppModelExtensions.MigrationJobSuffix, StringComparison.Ordinal);
}
