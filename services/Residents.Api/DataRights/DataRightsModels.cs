using Participatie.BuildingBlocks.Http;
using Participatie.Contracts;

namespace Participatie.Residents.DataRights;

/// <summary>An export request and how far it is: ready once every data-holding service sent its part.</summary>
public sealed record ExportResponse
{
    public const string Collecting = "collecting";
    public const string Ready = "ready";

    public static readonly IReadOnlyList<string> Statuses = [Collecting, Ready];

    public required Guid Id { get; init; }

    public required Guid ResidentId { get; init; }

    /// <summary>collecting, or ready (every service answered; data.json and data.pdf can be fetched).</summary>
    [Vocabulary(typeof(ExportResponse), nameof(ExportResponse.Statuses))]
    public required string Status { get; init; }

    /// <summary>resident or partner.</summary>
    [Vocabulary(typeof(Requesters), nameof(Requesters.OfExports))]
    public required string RequestedBy { get; init; }

    public required DateTimeOffset RequestedAt { get; init; }

    /// <summary>When the last part arrived; null while collecting.</summary>
    public DateTimeOffset? ReadyAt { get; init; }

    public required IReadOnlyList<ExportPartStatus> PartsReceived { get; init; }

    /// <summary>The services whose part has not arrived yet.</summary>
    [Vocabulary(typeof(DataHoldingServices))]
    public required IReadOnlyList<string> PartsMissing { get; init; }

    internal static ExportResponse From(ExportRecord export, IReadOnlyList<ExportPart> parts)
    {
        var missing = DataHoldingServices.All.Where(service => parts.All(part => part.Service != service)).ToList();
        return new ExportResponse
        {
            Id = export.Id,
            ResidentId = export.ResidentId,
            Status = missing.Count == 0 ? Ready : Collecting,
            RequestedBy = export.RequestedBy,
            RequestedAt = export.RequestedAt,
            ReadyAt = missing.Count == 0 ? parts.Max(part => part.ReceivedAt) : null,
            PartsReceived = [.. parts.Select(part => new ExportPartStatus(part.Service, part.ExportedAt, part.ReceivedAt))],
            PartsMissing = missing,
        };
    }
}

public sealed record ExportPartStatus([Vocabulary(typeof(DataHoldingServices))] string Service, DateTimeOffset ExportedAt, DateTimeOffset ReceivedAt);

/// <summary>The proof of an erasure: each data-holding service's confirmation, complete when all confirmed.</summary>
public sealed record ErasureResponse
{
    public required Guid Id { get; init; }

    public required Guid ResidentId { get; init; }

    /// <summary>resident, partner or retention.</summary>
    [Vocabulary(typeof(Requesters))]
    public required string RequestedBy { get; init; }

    public required DateTimeOffset ErasedAt { get; init; }

    /// <summary>Every data-holding service confirmed.</summary>
    public required bool Complete { get; init; }

    /// <summary>When the last confirmation arrived; null until complete.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>One entry per data-holding service; confirmedAt is null until it confirmed.</summary>
    public required IReadOnlyList<ErasureConfirmation> Confirmations { get; init; }

    internal static ErasureResponse From(ErasureRecord erasure, IReadOnlyDictionary<string, DateTimeOffset> confirmations)
    {
        var complete = DataHoldingServices.All.All(confirmations.ContainsKey);
        return new ErasureResponse
        {
            Id = erasure.Id,
            ResidentId = erasure.ResidentId,
            RequestedBy = erasure.RequestedBy,
            ErasedAt = erasure.ErasedAt,
            Complete = complete,
            CompletedAt = complete ? confirmations.Values.Max() : null,
            Confirmations = [.. DataHoldingServices.All.Select(service =>
                new ErasureConfirmation(service, confirmations.TryGetValue(service, out var at) ? at : null))],
        };
    }
}

public sealed record ErasureConfirmation([Vocabulary(typeof(DataHoldingServices))] string Service, DateTimeOffset? ConfirmedAt);
