using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Participatie.Consultations.Partners;
using Participatie.Testing;

[assembly: AssemblyFixture(typeof(PlatformContainers))]

namespace Participatie.Consultations.FunctionalTests;

/// <summary>
/// The consultations service against the real containers, with a partner directory that knows
/// <see cref="KnownPartners.Municipality"/> and <see cref="KnownPartners.HousingCorporation"/> instead of asking the
/// partner-coordination service (the end-to-end test covers that call).
/// </summary>
public sealed class ConsultationsService(PlatformContainers containers) : ServiceFactory<Program>(
    "consultationsdb",
    containers,
    services =>
    {
        // Drops the typed HTTP client registration, so that the fake is the only directory.
        services.RemoveAll<IPartnerDirectory>();
        services.AddSingleton<IPartnerDirectory>(new KnownPartners(KnownPartners.Municipality, KnownPartners.HousingCorporation));
    });

/// <summary>An in-memory partner directory with a fixed set of partners.</summary>
public sealed class KnownPartners(params Guid[] partnerIds) : IPartnerDirectory
{
    public static readonly Guid Municipality = Guid.Parse("0197a000-0000-7000-8000-000000000001");

    public static readonly Guid HousingCorporation = Guid.Parse("0197a000-0000-7000-8000-000000000002");

    private readonly HashSet<Guid> _partnerIds = [.. partnerIds];

    public Task<bool> ExistsAsync(Guid partnerId, CancellationToken cancellationToken) =>
        Task.FromResult(_partnerIds.Contains(partnerId));
}
