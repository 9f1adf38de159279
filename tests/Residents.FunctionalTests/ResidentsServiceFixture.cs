using Participatie.Testing;

[assembly: AssemblyFixture(typeof(PlatformContainers))]

namespace Participatie.Residents.FunctionalTests;

public sealed class ResidentsService(PlatformContainers containers)
    : ServiceFactory<EntryPoint>("residentsdb", containers, containers.TokenServer);
