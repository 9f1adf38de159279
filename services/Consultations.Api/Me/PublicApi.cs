using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Participatie.BuildingBlocks.Http;
using Participatie.BuildingBlocks.Time;
using Participatie.Consultations.Consultations;
using Participatie.Consultations.Domain;
using Participatie.Contracts;

namespace Participatie.Consultations.Me;

/// <summary>
/// What anyone may read or do without a token: the summary of a closed consultation (no personal data, small counts
/// suppressed) and a vote with a letter code (<see cref="MySupportMeasurementsApi"/>).
/// </summary>
public static class PublicApi
{
    /// <summary>
    /// An anonymous group: validated input and problem+json errors as everywhere, but no token. Kept under
    /// /v1/public so that the gateway routes it without authentication and nothing else is open by accident.
    /// </summary>
    public static RouteGroupBuilder MapPublicGroup(IEndpointRouteBuilder routes, string prefix) =>
        routes.MapGroup(prefix)
            .WithTags("Public")
            .AllowAnonymous()
            .AddEndpointFilter<ValidationFilter>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status500InternalServerError);

    public static IEndpointRouteBuilder MapPublicApi(this IEndpointRouteBuilder routes)
    {
        MapPublicGroup(routes, "/v1/public/consultations/{consultationId:guid}")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .MapGet("/summary", GetPublicSummary)
            .WithName("GetPublicConsultationSummary")
            .WithSummary("You said, we did, for everyone: the summary of a closed consultation without personal data; counts of 1 to 4 are shown as fewer than 5; 404 while it is open");
        return routes;
    }

    internal static async Task<Results<Ok<PublicConsultationSummary>, ProblemHttpResult>> GetPublicSummary(
        Guid consultationId, [AsParameters] PublicSummaryQuery query, [AsParameters] ApiServices services)
    {
        await using var connection = await services.Database.OpenConnectionAsync(services.Cancellation);
        var consultation = await ConsultationStore.FindAsync(connection, consultationId, services.Cancellation);
        // An open consultation's summary changes by the day and could tell who reacted lately: only once closed.
        if (consultation is null || ConsultationPeriod.IsOpen(consultation.ClosesOn, AmsterdamClock.Today(services.Clock)))
        {
            return Problems.NotFound("consultation", consultationId);
        }

        var summary = (await MySummariesApi.SummarizeAsync(connection, [consultation], query.Language ?? Languages.Dutch, services.Cancellation)).Single();
        return TypedResults.Ok(new PublicConsultationSummary
        {
            ConsultationId = summary.ConsultationId,
            Title = summary.Title,
            TitleLanguage = summary.TitleLanguage,
            ClosesOn = summary.ClosesOn,
            Reactions = PublicCount.Of(summary.ReactionCount),
            ReactionsPerStatus = summary.ReactionsPerStatus.ToDictionary(pair => pair.Key, pair => PublicCount.Of(pair.Value), StringComparer.Ordinal),
            UnthemedReactions = PublicCount.Of(summary.UnthemedReactionCount),
            Themes =
            [
                .. summary.Themes.Select(theme => new PublicThemeSummary
                {
                    Title = theme.Title,
                    Description = theme.Description,
                    Reactions = PublicCount.Of(theme.ReactionCount),
                    Decision = theme.Decision,
                }),
            ],
        });
    }
}

public sealed record PublicSummaryQuery : IValidatableRequest
{
    /// <summary>The language to read the partners' texts in, where they gave a translation; Dutch by default.</summary>
    [FromQuery(Name = "language")]
    public string? Language { get; init; }

    public void Validate(ValidationErrors errors)
    {
        if (Language is not null)
        {
            errors.OneOf("language", Language, Languages.All);
        }
    }
}

/// <summary>
/// A count shown to anyone. Counts of 1 to 4 could point at the few residents behind them, so they are not shown:
/// <c>count</c> is null and <c>fewerThanFive</c> true. Zero and 5 or more are shown as they are.
/// </summary>
public sealed record PublicCount
{
    public const int Threshold = 5;

    public long? Count { get; init; }

    public required bool FewerThanFive { get; init; }

    public static PublicCount Of(long count) =>
        count is > 0 and < Threshold ? new PublicCount { Count = null, FewerThanFive = true } : new PublicCount { Count = count, FewerThanFive = false };
}

public sealed record PublicConsultationSummary
{
    public required Guid ConsultationId { get; init; }

    public required string Title { get; init; }

    /// <summary>The language of the title: the one asked for, or nl when the partner gave no translation.</summary>
    public required string TitleLanguage { get; init; }

    public required DateOnly ClosesOn { get; init; }

    public required PublicCount Reactions { get; init; }

    /// <summary>Per status (received, under-consideration, adopted, partly-adopted, not-adopted), each count suppressed below 5.</summary>
    public required IReadOnlyDictionary<string, PublicCount> ReactionsPerStatus { get; init; }

    public required PublicCount UnthemedReactions { get; init; }

    public required IReadOnlyList<PublicThemeSummary> Themes { get; init; }
}

public sealed record PublicThemeSummary
{
    /// <summary>In Dutch: partners name themes in Dutch only.</summary>
    public required string Title { get; init; }

    public string? Description { get; init; }

    public required PublicCount Reactions { get; init; }

    public MyThemeDecision? Decision { get; init; }
}
