using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Http;
using Participatie.Consultations.Consultations;
using Participatie.Consultations.Summaries;
using Participatie.Contracts;

namespace Participatie.Consultations.Me;

/// <summary>
/// "You said, we did" for the resident, in their language: a consultation that was for them, or a trajectory in which
/// one was (then the consultations of it that were for them). Counts and the partners' own words only, as for partners.
/// </summary>
public static class MySummariesApi
{
    public static IEndpointRouteBuilder MapMySummariesApi(this IEndpointRouteBuilder routes)
    {
        routes.MapApiGroup("/v1/me/summaries/consultations/{consultationId:guid}", MyConsultationsApi.Tag, AuthenticationExtensions.ResidentPolicy)
            .WithAccessCheck<MyConsultationAccessCheck>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .MapGet("", GetMyConsultationSummary)
            .WithName("GetMyConsultationSummary")
            .WithSummary("You said, we did: what was decided on a consultation I was invited to, in my language");
        routes.MapApiGroup("/v1/me/summaries/trajectories/{trajectoryId:guid}", MyConsultationsApi.Tag, AuthenticationExtensions.ResidentPolicy)
            .WithAccessCheck<MyTrajectoryAccessCheck>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .MapGet("", GetMyTrajectorySummary)
            .WithName("GetMyTrajectorySummary")
            .WithSummary("You said, we did: the consultations of a trajectory I was invited to, in my language, with totals");
        return routes;
    }

    internal static async Task<Ok<MyConsultationSummary>> GetMyConsultationSummary(MyConsultation mine, [AsParameters] ApiServices services)
    {
        await using var connection = await services.Database.OpenConnectionAsync(services.Cancellation);
        return TypedResults.Ok((await SummarizeAsync(connection, [mine.Consultation], mine.Me.Language, services.Cancellation)).Consultations.Single());
    }

    internal static async Task<Ok<MyTrajectorySummary>> GetMyTrajectorySummary(MyTrajectorySubject mine, [AsParameters] ApiServices services)
    {
        await using var connection = await services.Database.OpenConnectionAsync(services.Cancellation);
        var consultations = (await connection.QueryAsync<ConsultationResponse>(new CommandDefinition(
            $"""
            SELECT {ConsultationStore.Columns} FROM consultations c
            WHERE c.trajectory_id = @TrajectoryId AND {MyParticipation.TakesPart} ORDER BY c.opened_at, c.id
            """,
            new { mine.TrajectoryId, mine.Me.ResidentId }, cancellationToken: services.Cancellation))).AsList();
        var (summaries, overall) = await SummarizeAsync(connection, consultations, mine.Me.Language, services.Cancellation);
        return TypedResults.Ok(new MyTrajectorySummary
        {
            TrajectoryId = mine.TrajectoryId,
            ReactionCount = overall.Total,
            ReactionsPerStatus = overall.PerStatus,
            Consultations = summaries,
        });
    }

    /// <summary>
    /// The partners' summaries with the texts in the language asked for, where the partner gave a translation, and
    /// their totals; the counts hidden as in the partners' (<see cref="SmallCount.Rule"/>).
    /// </summary>
    internal static async Task<(List<MyConsultationSummary> Consultations, ShownReactions Overall)> SummarizeAsync(
        NpgsqlConnection connection, IReadOnlyList<ConsultationResponse> consultations, string language, CancellationToken cancellationToken)
    {
        var (summaries, overall) = await SummariesApi.SummarizeAsync(connection, consultations, cancellationToken);
        var explanations = await ThemeExplanationTranslationsAsync(
            connection, [.. summaries.SelectMany(summary => summary.Themes).Select(theme => theme.ThemeId)], cancellationToken);
        List<MyConsultationSummary> mine =
        [
            .. consultations.Zip(summaries, (consultation, summary) =>
            {
                var (title, titleLanguage) = MyLanguage.Pick(consultation.Title, consultation.TitleTranslations, language);
                return new MyConsultationSummary
                {
                    ConsultationId = consultation.Id,
                    Title = title,
                    TitleLanguage = titleLanguage,
                    ClosesOn = consultation.ClosesOn,
                    ReactionCount = summary.ReactionCount,
                    ReactionsPerStatus = summary.ReactionsPerStatus,
                    UnthemedReactionCount = summary.UnthemedReactionCount,
                    Themes =
                    [
                        .. summary.Themes.Select(theme => new MyThemeSummary
                        {
                            ThemeId = theme.ThemeId,
                            Title = theme.Title,
                            Description = theme.Description,
                            ReactionCount = theme.ReactionCount,
                            Decision = theme.Decision is not { } decision ? null : Decide(decision, explanations.GetValueOrDefault(theme.ThemeId), language),
                        }),
                    ],
                };
            }),
        ];
        return (mine, overall);
    }

    private static MyThemeDecision Decide(ThemeDecision decision, IReadOnlyDictionary<string, string>? translations, string language)
    {
        var (explanation, explanationLanguage) = MyLanguage.Pick(decision.Explanation, translations, language);
        return new MyThemeDecision
        {
            Status = decision.Status, Explanation = explanation, ExplanationLanguage = explanationLanguage, DecidedOn = decision.DecidedOn,
        };
    }

    /// <summary>
    /// A theme keeps its answer in Dutch; the partner's translations of it went to each of its reactions. Any reaction
    /// that carries the theme's current explanation has them.
    /// </summary>
    private static async Task<Dictionary<Guid, IReadOnlyDictionary<string, string>>> ThemeExplanationTranslationsAsync(
        NpgsqlConnection connection, Guid[] themeIds, CancellationToken cancellationToken)
    {
        if (themeIds.Length == 0)
        {
            return [];
        }

        var rows = await connection.QueryAsync<ThemeTranslationsRow>(new CommandDefinition(
            """
            SELECT DISTINCT ON (t.id) t.id AS ThemeId, r.explanation_translations AS Translations
            FROM themes t JOIN reactions r ON r.theme_id = t.id AND r.explanation = t.explanation
            WHERE t.id = ANY(@ThemeIds) AND r.explanation_translations IS NOT NULL
            ORDER BY t.id, r.answered_at DESC
            """,
            new { ThemeIds = themeIds }, cancellationToken: cancellationToken));
        return rows.ToDictionary(row => row.ThemeId, row => row.Translations);
    }

    private sealed record ThemeTranslationsRow
    {
        public required Guid ThemeId { get; init; }

        public required IReadOnlyDictionary<string, string> Translations { get; init; }
    }
}

public sealed record MyConsultationSummary
{
    public required Guid ConsultationId { get; init; }

    public required string Title { get; init; }

    /// <summary>The language of the title: the reader's own, or nl when the partner gave no translation.</summary>
    [Vocabulary(typeof(Languages))]
    public required string TitleLanguage { get; init; }

    public required DateOnly ClosesOn { get; init; }

    /// <summary>The counts follow <see cref="SmallCount.Rule"/>.</summary>
    public required SmallCount ReactionCount { get; init; }

    /// <summary>How many reactions have each status now: received, under-consideration, adopted, partly-adopted, not-adopted.</summary>
    [Vocabulary(typeof(ReactionStatuses))]
    public required IReadOnlyDictionary<string, SmallCount> ReactionsPerStatus { get; init; }

    public required SmallCount UnthemedReactionCount { get; init; }

    /// <summary>The themes, those with the most reactions first. Their titles are the partners' own, in Dutch.</summary>
    public required IReadOnlyList<MyThemeSummary> Themes { get; init; }
}

public sealed record MyThemeSummary
{
    public required Guid ThemeId { get; init; }

    /// <summary>In Dutch: partners name themes in Dutch only.</summary>
    public required string Title { get; init; }

    public string? Description { get; init; }

    public required SmallCount ReactionCount { get; init; }

    /// <summary>What was decided; null while the theme has no answer.</summary>
    public MyThemeDecision? Decision { get; init; }
}

public sealed record MyThemeDecision
{
    [Vocabulary(typeof(ReactionStatuses), nameof(ReactionStatuses.Answers))]
    public required string Status { get; init; }

    public required string Explanation { get; init; }

    /// <summary>The language of the explanation: the reader's own, or nl when the partner gave no translation.</summary>
    [Vocabulary(typeof(Languages))]
    public required string ExplanationLanguage { get; init; }

    /// <summary>The day (in the Netherlands) the theme got this answer.</summary>
    public required DateOnly DecidedOn { get; init; }
}

public sealed record MyTrajectorySummary
{
    public required Guid TrajectoryId { get; init; }

    public required SmallCount ReactionCount { get; init; }

    [Vocabulary(typeof(ReactionStatuses))]
    public required IReadOnlyDictionary<string, SmallCount> ReactionsPerStatus { get; init; }

    /// <summary>The consultations of the trajectory that were for me, oldest first.</summary>
    public required IReadOnlyList<MyConsultationSummary> Consultations { get; init; }
}
