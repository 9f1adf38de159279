using Dapper;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Messaging;
using Participatie.Contracts;

namespace Participatie.Notifications.SupportMeasurements;

/// <summary>
/// A letter to each home of a new draagvlakmeting with its voting code. The code is stored apart from the body and
/// only until the letter is printed (<see cref="HomeLetterBatcher"/>), in a batch only the platform operator fetches.
/// </summary>
public sealed class SupportVotingCodesIssuedConsumer(UnitOfWorkFactory unitOfWork, TimeProvider clock)
    : IdempotentConsumer<SupportVotingCodesIssued>(unitOfWork)
{
    protected override Task HandleAsync(SupportVotingCodesIssued message, UnitOfWork work, CancellationToken cancellationToken)
    {
        var (title, body) = SupportMeasurementLetterTexts.VotingCode(message.Title, message.Deadline);
        return HomeLetters.RecordAsync(
            work, HomeLetters.VotingCodeKind, message.MeasurementId, message.TrajectoryId, title, body,
            [.. message.Homes.Select(home => (home.HomeKey, (string?)home.Code))], clock.GetUtcNow(), cancellationToken);
    }
}

/// <summary>The written notice of a closed draagvlakmeting's result to every tenant's home (art. 7:220 lid 3 BW).</summary>
public sealed class SupportMeasurementClosedConsumer(UnitOfWorkFactory unitOfWork, TimeProvider clock)
    : IdempotentConsumer<SupportMeasurementClosed>(unitOfWork)
{
    protected override Task HandleAsync(SupportMeasurementClosed message, UnitOfWork work, CancellationToken cancellationToken)
    {
        var (title, body) = SupportMeasurementLetterTexts.Result(
            message.Title, message.TenantHomes, message.Agreeing, message.Disagreeing, message.ThresholdMet, message.ClosedAt, message.CourtPeriodEndsOn);
        return HomeLetters.RecordAsync(
            work, HomeLetters.ResultKind, message.MeasurementId, message.TrajectoryId, title, body,
            [.. message.TenantHomeKeys.Select(homeKey => (homeKey, (string?)null))], clock.GetUtcNow(), cancellationToken);
    }
}

internal static class HomeLetters
{
    public const string VotingCodeKind = "support-voting-code";
    public const string ResultKind = "support-result";

    public static Task RecordAsync(
        UnitOfWork work, string kind, Guid measurementId, Guid trajectoryId, string title, string body,
        IReadOnlyList<(string HomeKey, string? Code)> homes, DateTimeOffset now, CancellationToken cancellationToken) =>
        // The same event twice under another message id (a repeated close) still makes one letter per home.
        work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO home_letters (id, kind, measurement_id, trajectory_id, home_key, language, title, body, voting_code, created_at)
            SELECT gen_random_uuid(), @Kind, @MeasurementId, @TrajectoryId, home.home_key, @Language, @Title, @Body, home.code, @Now
            FROM unnest(@HomeKeys, @Codes) WITH ORDINALITY AS home (home_key, code, position)
            ORDER BY home.position
            ON CONFLICT (measurement_id, kind, home_key) DO NOTHING
            """,
            new
            {
                Kind = kind,
                MeasurementId = measurementId,
                TrajectoryId = trajectoryId,
                SupportMeasurementLetterTexts.Language,
                Title = title,
                Body = body,
                HomeKeys = homes.Select(home => home.HomeKey).ToArray(),
                Codes = homes.Select(home => home.Code).ToArray(),
                Now = now,
            },
            work.Transaction,
            cancellationToken: cancellationToken));
}
