using System.Security.Claims;
using Dapper;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Http;

namespace Participatie.Notifications.Delivery.Letters;

/// <summary>
/// A letter batch the caller may fetch: its own as the sending partner, or any as the platform operator. A batch of
/// voting codes is the operator's only, whoever leads the trajectory: a partner holding a code could vote for the home.
/// </summary>
public sealed record VisibleLetterBatch(LetterBatchResponse Batch)
{
    public static ValueTask<VisibleLetterBatch?> BindAsync(HttpContext context) => RouteAccess.Loaded<VisibleLetterBatch>(context);
}

/// <summary>Another partner's batch does not exist for the caller (404): it holds the addresses of that partner's residents.</summary>
public sealed class LetterBatchAccessCheck(NpgsqlDataSource database) : RouteAccessCheck<VisibleLetterBatch>("letterBatchId", "letter batch")
{
    /// <summary>The batches the caller may see (parameters <c>@Operator</c> and <c>@CallerPartnerId</c>).</summary>
    internal const string VisibleToCaller = "(@Operator OR (partner_id = @CallerPartnerId AND NOT voting_codes))";

    internal const string BatchColumns = """
        id, partner_id AS PartnerId, sender_name AS SenderName, print_date AS PrintDate, created_at AS CreatedAt,
        cut_by AS CutBy, letter_count AS LetterCount, page_count AS PageCount, voting_codes AS VotingCodes, printed_at AS PrintedAt
        """;

    internal const string SelectBatch = $"SELECT {BatchColumns} FROM letter_batches";

    protected override async Task<VisibleLetterBatch?> LoadAsync(HttpContext context, Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var batch = await connection.QuerySingleOrDefaultAsync<LetterBatchResponse>(new CommandDefinition(
            $"{SelectBatch} WHERE id = @Id AND {VisibleToCaller}",
            new { Id = id, Operator = context.User.IsPlatformOperator(), CallerPartnerId = context.User.GetPartnerId() },
            cancellationToken: cancellationToken));
        return batch is null ? null : new VisibleLetterBatch(batch);
    }

    /// <summary>Reporting a batch printed, which drops a voting-code batch's PDF: the operator's, who hands batches to the print shop.</summary>
    public const string MarkPrinted = "mark-printed";

    protected override string? Refuse(VisibleLetterBatch subject, string permission, ClaimsPrincipal user) =>
        permission == MarkPrinted && !user.IsPlatformOperator() ? "Only the platform operator reports a letter batch printed." : null;
}
