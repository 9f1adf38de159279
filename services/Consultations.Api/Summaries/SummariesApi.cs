using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Http;
using Participatie.Consultations.Consultations;
using Participatie.Consultations.Domain;
using Participatie.Consultations.Trajectories;
using Participatie.Contracts;

namespace Participatie.Consultations.Summaries;

/// <summary>
/// "You said, we did": per consultation, the themes residents raised, how many reactions each had and what was
/// decided when, with counts of the reactions per status. Built to be shown to residents, so it holds counts and the
/// partners' own words only: no reaction texts, no resident ids. The counts follow <see cref="SmallCount.Rule"/>, as
/// everywhere they are shown: a summary is made to be passed on.
/// </summary>
public static class SummariesApi
{
    public static IEndpointRouteBuilder MapSummariesApi(this IEndpointRouteBuilder routes)
    {
        routes.MapApiGroup("/v1/consultations/{consultationId:guid}/summary", "Summaries")
            .WithConsultationAccess()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .MapGet("", GetConsultationSummary)
            .WithName("GetConsultationSummary")
            .WithSummary("You said, we did: a consultation's themes with their reaction counts and decisions, and its reactions counted per status")
            .WithDescription(SmallCount.Rule);
        routes.MapApiGroup("/v1/consultations/trajectories/{trajectoryId:guid}/summary", "Summaries")
            .WithTrajectoryAccess()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .MapGet("", GetTrajectorySummary)
            .WithName("GetTrajectorySummary")
            .WithSummary("You said, we did: the summary of every consultation in a trajectory, with totals")
            .WithDescription(SmallCount.Rule);
        return routes;
    }

    internal static async Task<Ok<ConsultationSummary>> GetConsultationSummary(
        VisibleConsultation visible, [AsParameters] ApiServices services)
    {
        await using var connection = await services.Database.OpenConnectionAsync(services.Cancellation);
        return TypedResults.Ok((await SummarizeAsync(connection, [visible.Consultation], services.Cancellation)).Consultations.Single());
    }

    internal static async Task<Ok<TrajectorySummary>> GetTrajectorySummary(
        VisibleTrajectory visible, [AsParameters] ApiServices services)
    {
        var trajectoryId = visible.Trajectory.Id;
        await using var connection = await services.Database.OpenConnectionAsync(services.Cancellation);
        var consultations = (await connection.QueryAsync<ConsultationResponse>(new CommandDefinition(
            $"SELECT {ConsultationStore.Columns} FROM consultations c WHERE c.trajectory_id = @TrajectoryId ORDER BY c.opened_at, c.id",
            new { TrajectoryId = trajectoryId }, cancellationToken: services.Cancellation))).AsList();
        var (summaries, overall) = await SummarizeAsync(connection, consultations, services.Cancellation);
        return TypedResults.Ok(new TrajectorySummary
        {
            TrajectoryId = trajectoryId,
            ReactionCount = overall.Total,
            ReactionsPerStatus = overall.PerStatus,
            UnthemedReactionCount = overall.Unthemed,
            Consultations = summaries,
        });
    }

    /// <summary>The summaries, and their totals, with the counts of all of them hidden as one whole (<see cref="SummaryCounts"/>).</summary>
    internal static async Task<(List<ConsultationSummary> Consultations, ShownReactions Overall)> SummarizeAsync(
        NpgsqlConnection connection, IReadOnlyList<ConsultationResponse> consultations, CancellationToken cancellationToken)
    {
        Guid[] ids = [.. consultations.Select(consultation => consultation.Id)];
        using var results = await connection.QueryMultipleAsync(new CommandDefinition(
            """
            SELECT consultation_id AS ConsultationId, status, count(*) AS Count, count(*) FILTER (WHERE theme_id IS NULL) AS Unthemed
            FROM reactions WHERE consultation_id = ANY(@Ids)
            GROUP BY consultation_id, status;

            SELECT t.consultation_id AS ConsultationId, t.id AS ThemeId, t.title, t.description, count(r.id) AS ReactionCount,
                   t.status, t.explanation, (t.answered_at AT TIME ZONE 'Europe/Amsterdam')::date AS DecidedOn
            FROM themes t LEFT JOIN reactions r ON r.theme_id = t.id
            WHERE t.consultation_id = ANY(@Ids)
            GROUP BY t.id
            ORDER BY count(r.id) DESC, t.created_at, t.id;
            """,
            new { Ids = ids }, cancellationToken: cancellationToken));
        var counts = (await results.ReadAsync<StatusCountRow>()).ToLookup(row => row.ConsultationId);
        var themes = (await results.ReadAsync<ThemeRow>()).ToLookup(row => row.ConsultationId);

        var (overall, shown) = SummaryCounts.Suppress(
            [
                .. consultations.Select(consultation => new CountedReactions(
                    counts[consultation.Id].Sum(row => row.Count),
                    [.. PerStatus(counts[consultation.Id].Select(row => KeyValuePair.Create(row.Status, row.Count)))],
                    counts[consultation.Id].Sum(row => row.Unthemed),
                    [.. themes[consultation.Id].Select(theme => theme.ReactionCount)])),
            ],
            Statuses);
        List<ConsultationSummary> summaries =
        [
            .. consultations.Select((consultation, c) => new ConsultationSummary
            {
                ConsultationId = consultation.Id,
                Title = consultation.Title,
                BuurtCode = consultation.BuurtCode,
                ClosesOn = consultation.ClosesOn,
                ReactionCount = shown[c].Total,
                ReactionsPerStatus = shown[c].PerStatus,
                UnthemedReactionCount = shown[c].Unthemed,
                Themes =
                [
                    .. themes[consultation.Id].Select((theme, t) => new ThemeSummary
                    {
                        ThemeId = theme.ThemeId,
                        Title = theme.Title,
                        Description = theme.Description,
                        ReactionCount = shown[c].PerTheme[t],
                        Decision = theme.Status is null
                            ? null
                            : new ThemeDecision { Status = theme.Status, Explanation = theme.Explanation!, DecidedOn = theme.DecidedOn!.Value },
                    }),
                ],
            }),
        ];
        return (summaries, overall);
    }

    /// <summary>Every status, in the order a reaction goes through them.</summary>
    private static readonly IReadOnlyList<string> Statuses = [ReactionStatuses.Received, .. ReactionStatuses.Answers];

    /// <summary>Every status, in the order a reaction goes through them, with zero where none has it.</summary>
    private static Dictionary<string, long> PerStatus(IEnumerable<KeyValuePair<string, long>> counts)
    {
        var perStatus = Statuses.ToDictionary(status => status, _ => 0L, StringComparer.Ordinal);

        foreach (var (status, count) in counts)
        {
            perStatus[status] = perStatus.GetValueOrDefault(status) + count;
        }

        return perStatus;
    }

    private sealed record StatusCountRow
    {
        public required Guid ConsultationId { get; init; }

        public required string Status { get; init; }

        public required long Count { get; init; }

        public required long Unthemed { get; init; }
    }

    private sealed record ThemeRow
    {
        public required Guid ConsultationId { get; init; }

        public required Guid ThemeId { get; init; }

        public required string Title { get; init; }

        public string? Description { get; init; }

        public required long ReactionCount { get; init; }

        public string? Status { get; init; }

        public string? Explanation { get; init; }

        public DateOnly? DecidedOn { get; init; }
    }
}

public sealed record ConsultationSummary
{
    public required Guid ConsultationId { get; init; }

    public required string Title { get; init; }

    public required string BuurtCode { get; init; }

    public required DateOnly ClosesOn { get; init; }

    public required SmallCount ReactionCount { get; init; }

    /// <summary>How many reactions have each status now: received, under-consideration, adopted, partly-adopted, not-adopted.</summary>
    [Vocabulary(typeof(ReactionStatuses))]
    public required IReadOnlyDictionary<string, SmallCount> ReactionsPerStatus { get; init; }

    /// <summary>Reactions in no theme: answered one by one, or not grouped yet.</summary>
    public required SmallCount UnthemedReactionCount { get; init; }

    /// <summary>The themes, those with the most reactions first.</summary>
    public required IReadOnlyList<ThemeSummary> Themes { get; init; }
}

public sealed record ThemeSummary
{
    public required Guid ThemeId { get; init; }

    public required string Title { get; init; }

    public string? Description { get; init; }

    public required SmallCount ReactionCount { get; init; }

    /// <summary>What was decided; null while the theme has no answer.</summary>
    public ThemeDecision? Decision { get; init; }
}

public sealed record ThemeDecision
{
    [Vocabulary(typeof(ReactionStatuses), nameof(ReactionStatuses.Answers))]
    public required string Status { get; init; }

    public required string Explanation { get; init; }

    /// <summary>The day (in the Netherlands) the theme got this answer.</summary>
    public required DateOnly DecidedOn { get; init; }
}

public sealed record TrajectorySummary
{
    public required Guid TrajectoryId { get; init; }

    public required SmallCount ReactionCount { get; init; }

    [Vocabulary(typeof(ReactionStatuses))]
    public required IReadOnlyDictionary<string, SmallCount> ReactionsPerStatus { get; init; }

    public required SmallCount UnthemedReactionCount { get; init; }

    /// <summary>Each consultation of the trajectory, oldest first.</summary>
    public required IReadOnlyList<ConsultationSummary> Consultations { get; init; }
}
