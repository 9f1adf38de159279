using Participatie.Testing;

[assembly: AssemblyFixture(typeof(PlatformContainers))]

namespace Participatie.PartnerCoordination.FunctionalTests;

public sealed class PartnerCoordinationService(PlatformContainers containers)
    : ServiceFactory<Program>("partnersdb", containers);
