namespace Participatie.Contracts;

/// <summary>
/// The services that hold something about a resident and take part in export and erasure (AVG art. 15, 17, 20).
/// An erasure is proven when each of them confirmed it.
/// </summary>
public static class DataHoldingServices
{
    public const string Residents = "residents";
    public const string Consultations = "consultations";
    public const string PartnerCoordination = "partner-coordination";
    public const string Notifications = "notifications";

    public static readonly IReadOnlyList<string> All = [Residents, Consultations, PartnerCoordination, Notifications];
}

/// <summary>A resident (or a partner for them) asked for their data: every service answers with
/// <see cref="ResidentDataExported"/>.</summary>
public sealed record ResidentDataExportRequested(Guid ExportId, Guid ResidentId, DateTimeOffset RequestedAt);

/// <summary>
/// One service's part of an export: what it holds on the pseudonymous id, as a JSON document (an object of named
/// arrays), for the residents service to assemble.
/// </summary>
public sealed record ResidentDataExported(Guid ExportId, Guid ResidentId, string Service, string DataJson, DateTimeOffset ExportedAt);

/// <summary>
/// The residents service deleted a resident's personal data (on request, or by the retention job): every service
/// removes or unlinks what it holds on the id and confirms with <see cref="ResidentErasureConfirmed"/>. Carries ids
/// only. Handling it twice changes nothing.
/// </summary>
public sealed record ResidentErased(Guid ErasureId, Guid ResidentId, DateTimeOffset ErasedAt);

/// <summary>One service's confirmation that it honoured an erasure, for the proof record.</summary>
public sealed record ResidentErasureConfirmed(Guid ErasureId, Guid ResidentId, string Service, DateTimeOffset ConfirmedAt);

/// <summary>
/// Residents who did something themselves (reacted, answered a questionnaire or poll, registered for a meeting) up to
/// <paramref name="ActiveUntil"/>: it keeps them from being anonymised as inactive. The consultations service reports
/// them in batches (at most <see cref="MaxResidents"/> ids) once an hour, rather than residents hearing of every action.
/// </summary>
public sealed record ResidentsWereActive(Guid ReportId, IReadOnlyList<Guid> ResidentIds, DateTimeOffset ActiveUntil)
{
    public const int MaxResidents = 1000;
}
