using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Participatie.BuildingBlocks.Http;
using Participatie.BuildingBlocks.Time;
using Participatie.Consultations.Consultations;
using Participatie.Consultations.Domain;
using Participatie.Consultations.Questionnaires;
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
            .WithSummary("You said, we did, for everyone: the summary of a closed consultation without personal data; 404 while it is open")
            .WithDescription(SmallCount.Rule);
        MapPublicGroup(routes, "/v1/public/consultations")
            .MapGet("", ListOpenInBuurt)
            .WithName("ListPublicOpenConsultations")
            .WithSummary("What is open in a buurt, for everyone: the consultations meant for the whole buurt with their meetings; no counts, nothing about residents");
        return routes;
    }

    internal static async Task<Ok<PublicBuurtConsultations>> ListOpenInBuurt(
        [AsParameters] PublicBuurtQuery query, [AsParameters] ApiServices services)
    {
        var language = query.Language ?? Languages.Dutch;
        await using var connection = await services.Database.OpenConnectionAsync(services.Cancellation);
        // Only consultations for the whole buurt: one for a list of addresses would tell a passer-by which homes are on it.
        var parameters = new { query.BuurtCode, Today = AmsterdamClock.Today(services.Clock), Now = services.Clock.GetUtcNow() };
        using var results = await connection.QueryMultipleAsync(new CommandDefinition(
            $"""
            SELECT {ConsultationStore.Columns} FROM consultations c
            WHERE c.buurt_code = @BuurtCode AND NOT c.address_scoped AND c.closes_on >= @Today
            ORDER BY c.closes_on, c.id LIMIT 50;
            SELECT m.consultation_id AS ConsultationId, m.place, m.starts_at AS StartsAt, m.ends_at AS EndsAt
            FROM meetings m JOIN consultations c ON c.id = m.consultation_id
            WHERE c.buurt_code = @BuurtCode AND NOT c.address_scoped AND c.closes_on >= @Today AND m.ends_at > @Now
            ORDER BY m.starts_at, m.id;
            SELECT DISTINCT q.consultation_id AS ConsultationId, q.kind
            FROM questionnaires q JOIN consultations c ON c.id = q.consultation_id
            WHERE c.buurt_code = @BuurtCode AND NOT c.address_scoped AND c.closes_on >= @Today;
            """,
            parameters, cancellationToken: services.Cancellation));
        var consultations = (await results.ReadAsync<ConsultationResponse>()).AsList();
        var meetings = (await results.ReadAsync<PublicMeeting>()).ToLookup(meeting => meeting.ConsultationId);
        var kinds = (await results.ReadAsync<PublicQuestionsKind>()).ToLookup(row => row.ConsultationId, row => row.Kind);
        return TypedResults.Ok(new PublicBuurtConsultations
        {
            BuurtCode = query.BuurtCode!,
            Items =
            [
                .. consultations.Select(consultation =>
                {
                    var (title, titleLanguage) = MyLanguage.Pick(consultation.Title, consultation.TitleTranslations, language);
                    var (description, descriptionLanguage) = MyLanguage.Pick(consultation.Description, consultation.DescriptionTranslations, language);
                    return new PublicConsultation
                    {
                        Id = consultation.Id,
                        TrajectoryId = consultation.TrajectoryId,
                        Title = title,
                        Description = description,
                        TextLanguage = titleLanguage == descriptionLanguage ? titleLanguage : Languages.Dutch,
                        ClosesOn = consultation.ClosesOn,
                        HasQuestionnaire = kinds[consultation.Id].Contains(QuestionnaireStore.Questionnaire),
                        HasPoll = kinds[consultation.Id].Contains(QuestionnaireStore.Poll),
                        Meetings = [.. meetings[consultation.Id]],
                    };
                }),
            ],
        });
    }

    private sealed record PublicQuestionsKind
    {
        public required Guid ConsultationId { get; init; }

        public required string Kind { get; init; }
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

        var summary = (await MySummariesApi.SummarizeAsync(connection, [consultation], query.Language ?? Languages.Dutch, services.Cancellation)).Consultations.Single();
        return TypedResults.Ok(PublicConsultationSummary.Of(summary));
    }
}

public sealed record PublicBuurtQuery : IValidatableRequest
{
    [FromQuery(Name = "buurtCode")]
    public string? BuurtCode { get; init; }

    /// <summary>The language to read the partners' texts in, where they gave a translation; Dutch by default.</summary>
    [FromQuery(Name = "language")]
    [Vocabulary(typeof(Languages))]
    public string? Language { get; init; }

    public void Validate(ValidationErrors errors)
    {
        if (errors.Required("buurtCode", BuurtCode) && !BuurtCodes.IsValid(BuurtCode))
        {
            errors.Add("buurtCode", "'buurtCode' is not a CBS buurt code (for example BU03630001).");
        }

        if (Language is not null)
        {
            errors.OneOf("language", Language, Languages.All);
        }
    }
}

/// <summary>The open consultations of one buurt that anyone may see.</summary>
public sealed record PublicBuurtConsultations
{
    public required string BuurtCode { get; init; }

    public required IReadOnlyList<PublicConsultation> Items { get; init; }
}

public sealed record PublicConsultation
{
    public required Guid Id { get; init; }

    public required Guid TrajectoryId { get; init; }

    public required string Title { get; init; }

    public required string Description { get; init; }

    /// <summary>The language of the title and description: the one asked for, or nl when the partner gave no translation.</summary>
    [Vocabulary(typeof(Languages))]
    public required string TextLanguage { get; init; }

    public required DateOnly ClosesOn { get; init; }

    public required bool HasQuestionnaire { get; init; }

    public required bool HasPoll { get; init; }

    public required IReadOnlyList<PublicMeeting> Meetings { get; init; }
}

/// <summary>A meeting's place and time; who registered, and how many, is nobody else's business.</summary>
public sealed record PublicMeeting
{
    public required Guid ConsultationId { get; init; }

    public required string Place { get; init; }

    public required DateTimeOffset StartsAt { get; init; }

    public required DateTimeOffset EndsAt { get; init; }
}

public sealed record PublicSummaryQuery : IValidatableRequest
{
    /// <summary>The language to read the partners' texts in, where they gave a translation; Dutch by default.</summary>
    [FromQuery(Name = "language")]
    [Vocabulary(typeof(Languages))]
    public string? Language { get; init; }

    public void Validate(ValidationErrors errors)
    {
        if (Language is not null)
        {
            errors.OneOf("language", Language, Languages.All);
        }
    }
}

public sealed record PublicConsultationSummary
{
    /// <summary>
    /// The summary without personal data; its counts were hidden by <see cref="SmallCount.Rule"/> when it was made
    /// (the reactions per status add up to the total, and so do the reactions per theme with the unthemed ones).
    /// </summary>
    public static PublicConsultationSummary Of(MyConsultationSummary summary) => new()
    {
        ConsultationId = summary.ConsultationId,
        Title = summary.Title,
        TitleLanguage = summary.TitleLanguage,
        ClosesOn = summary.ClosesOn,
        Reactions = summary.ReactionCount,
        ReactionsPerStatus = summary.ReactionsPerStatus,
        UnthemedReactions = summary.UnthemedReactionCount,
        Themes =
        [
            .. summary.Themes.Select(theme => new PublicThemeSummary
            {
                Title = theme.Title,
                Description = theme.Description,
                Reactions = theme.ReactionCount,
                Decision = theme.Decision,
            }),
        ],
    };

    public required Guid ConsultationId { get; init; }

    public required string Title { get; init; }

    /// <summary>The language of the title: the one asked for, or nl when the partner gave no translation.</summary>
    [Vocabulary(typeof(Languages))]
    public required string TitleLanguage { get; init; }

    public required DateOnly ClosesOn { get; init; }

    public required SmallCount Reactions { get; init; }

    /// <summary>Per status (received, under-consideration, adopted, partly-adopted, not-adopted); they add up to the total.</summary>
    [Vocabulary(typeof(ReactionStatuses))]
    public required IReadOnlyDictionary<string, SmallCount> ReactionsPerStatus { get; init; }

    public required SmallCount UnthemedReactions { get; init; }

    public required IReadOnlyList<PublicThemeSummary> Themes { get; init; }
}

public sealed record PublicThemeSummary
{
    /// <summary>In Dutch: partners name themes in Dutch only.</summary>
    public required string Title { get; init; }

    public string? Description { get; init; }

    public required SmallCount Reactions { get; init; }

    public MyThemeDecision? Decision { get; init; }
}
