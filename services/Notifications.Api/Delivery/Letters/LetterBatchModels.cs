using Participatie.BuildingBlocks.Http;

namespace Participatie.Notifications.Delivery.Letters;

/// <summary>What cut a print batch: the day's batch, a request through the API, or the local schedule.</summary>
public static class LetterBatchCuts
{
    public static readonly IReadOnlyList<string> All = [LetterBatcher.Daily, LetterBatcher.OnRequest, LetterBatcher.Scheduled];
}

/// <summary>A print batch as partners and the operator list it; the PDF and the manifest are fetched on their own.</summary>
public sealed record LetterBatchResponse
{
    public required Guid Id { get; init; }

    /// <summary>The sending partner (the lead of the letters' trajectories).</summary>
    public Guid? PartnerId { get; init; }

    public required string SenderName { get; init; }

    /// <summary>The date printed on the letters, in Amsterdam.</summary>
    public required DateOnly PrintDate { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary><c>daily</c> (the day's batch), <c>on-request</c> (cut through the API) or <c>scheduled</c> (local runs, every few minutes).</summary>
    [Vocabulary(typeof(LetterBatchCuts))]
    public required string CutBy { get; init; }

    public required int LetterCount { get; init; }

    public required int PageCount { get; init; }

    /// <summary>Whether the batch carries the voting codes of a draagvlakmeting: then only the platform operator sees it.</summary>
    public bool VotingCodes { get; init; }

    /// <summary>When the operator reported it printed; a voting-code batch's PDF is gone from then on.</summary>
    public DateTimeOffset? PrintedAt { get; init; }
}

/// <summary>What one cut made: a batch per sending partner, and how many letters could not be printed for want of an address.</summary>
public sealed record LetterCutResponse(IReadOnlyList<LetterBatchResponse> Batches, int Failed);
