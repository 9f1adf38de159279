using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.BuildingBlocks.Time;
using Participatie.Consultations.Consultations;
using Participatie.Consultations.Domain;
using Participatie.Consultations.Questionnaires;
using Participatie.Consultations.Reactions;

namespace Participatie.Consultations.Me;

/// <summary>
/// The resident's own part in consultations: what is open for them (their buurt, or an address list they are on), and
/// their reactions with everything that happened to them, in their language. Only with a resident token; another
/// resident's reaction, or a consultation that is not for them, does not exist (404).
/// </summary>
public static class MyConsultationsApi
{
    public const string Tag = "Me";

    public static IEndpointRouteBuilder MapMyConsultationsApi(this IEndpointRouteBuilder routes)
    {
        var consultations = routes.MapApiGroup("/v1/me/consultations", Tag, AuthenticationExtensions.ResidentPolicy);
        consultations.MapGet("", ListMyConsultations)
            .WithName("ListMyConsultations")
            .WithSummary("The open consultations for my address, newest first, each with its meetings, questionnaire and poll and whether I reacted; in my language where the partner gave a translation");

        var one = routes.MapApiGroup("/v1/me/consultations/{consultationId:guid}", Tag, AuthenticationExtensions.ResidentPolicy)
            .WithAccessCheck<MyConsultationAccessCheck>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        one.MapGet("", GetMyConsultation)
            .WithName("GetMyConsultation")
            .WithSummary("One consultation for my address, in my language");
        one.MapPost("/reactions", SubmitMyReaction)
            .WithName("SubmitMyReaction")
            .WithSummary("React to a consultation for my address while it is open; I get a receipt at once")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);

        var reactions = routes.MapApiGroup("/v1/me/reactions", Tag, AuthenticationExtensions.ResidentPolicy);
        reactions.MapGet("", ListMyReactions)
            .WithName("ListMyReactions")
            .WithSummary("My reactions, newest first, with their status and explanation in my language");
        routes.MapApiGroup("/v1/me/reactions/{reactionId:guid}", Tag, AuthenticationExtensions.ResidentPolicy)
            .WithAccessCheck<MyReactionAccessCheck>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .MapGet("", GetMyReaction)
            .WithName("GetMyReaction")
            .WithSummary("One of my reactions with every status it went through and each explanation, in my language");
        return routes;
    }

    internal static async Task<Ok<Page<MyConsultationResponse>>> ListMyConsultations(
        [AsParameters] PageQuery page, [AsParameters] ApiServices services)
    {
        await using var connection = await services.Database.OpenConnectionAsync(services.Cancellation);
        var me = await MyProfile.LoadAsync(connection, services.User.ResidentId(), services.Cancellation);
        const string filter = $"c.closes_on >= @Today AND {MyParticipation.TakesPart}";
        var parameters = new { me.ResidentId, Today = AmsterdamClock.Today(services.Clock), page.Offset, page.Size };
        using var results = await connection.QueryMultipleAsync(new CommandDefinition(
            $"""
            SELECT {ConsultationStore.Columns} FROM consultations c WHERE {filter}
            ORDER BY c.opened_at DESC, c.id OFFSET @Offset LIMIT @Size;
            SELECT count(*) FROM consultations c WHERE {filter};
            """,
            parameters, cancellationToken: services.Cancellation));
        var consultations = (await results.ReadAsync<ConsultationResponse>()).AsList();
        var total = await results.ReadSingleAsync<long>();
        var items = await DescribeAsync(connection, me, consultations, services);
        return TypedResults.Ok(page.ToPage(items, total));
    }

    internal static async Task<Ok<MyConsultationResponse>> GetMyConsultation(MyConsultation mine, [AsParameters] ApiServices services)
    {
        await using var connection = await services.Database.OpenConnectionAsync(services.Cancellation);
        return TypedResults.Ok((await DescribeAsync(connection, mine.Me, [mine.Consultation], services)).Single());
    }

    internal static async Task<Results<Created<MyReactionResponse>, ProblemHttpResult>> SubmitMyReaction(
        MyConsultation mine, SubmitMyReactionRequest request, ReactionWriter writer, [AsParameters] ApiServices services)
    {
        // The resident reacts for themselves only: the reaction's resident is the token's, online, in their language
        // unless they say they wrote in another.
        var (reaction, problem) = await ReactionsApi.SubmitAsync(
            mine.Consultation, mine.AnswerWorkingDays, mine.Me.ResidentId, request.Text!, ReactionChannels.Online,
            request.Language ?? mine.Me.Language, writer, services);
        if (problem is not null)
        {
            return problem;
        }

        var (title, _) = MyLanguage.Pick(mine.Consultation.Title, mine.Consultation.TitleTranslations, mine.Me.Language);
        return TypedResults.Created($"/v1/me/reactions/{reaction!.Id}", new MyReactionResponse
        {
            Id = reaction.Id,
            ConsultationId = reaction.ConsultationId,
            ConsultationTitle = title,
            Text = reaction.Text,
            Language = reaction.Language,
            Status = reaction.Status,
            SubmittedAt = reaction.SubmittedAt,
            AnswerDueOn = reaction.AnswerDueOn,
            History = [new MyStatusChange { Status = reaction.Status, ChangedAt = reaction.SubmittedAt }],
        });
    }

    internal static async Task<Ok<Page<MyReactionResponse>>> ListMyReactions([AsParameters] PageQuery page, [AsParameters] ApiServices services)
    {
        await using var connection = await services.Database.OpenConnectionAsync(services.Cancellation);
        var me = await MyProfile.LoadAsync(connection, services.User.ResidentId(), services.Cancellation);
        using var results = await connection.QueryMultipleAsync(new CommandDefinition(
            $"""
            {SelectMyReaction} WHERE r.resident_id = @ResidentId
            ORDER BY r.submitted_at DESC, r.id DESC OFFSET @Offset LIMIT @Size;
            SELECT count(*) FROM reactions WHERE resident_id = @ResidentId;
            """,
            new { me.ResidentId, page.Offset, page.Size }, cancellationToken: services.Cancellation));
        var rows = (await results.ReadAsync<MyReactionRow>()).AsList();
        var total = await results.ReadSingleAsync<long>();
        return TypedResults.Ok(page.ToPage<MyReactionResponse>([.. rows.Select(row => row.ToResponse(me.Language, history: null))], total));
    }

    internal static async Task<Ok<MyReactionResponse>> GetMyReaction(MyReactionSubject mine, [AsParameters] ApiServices services)
    {
        await using var connection = await services.Database.OpenConnectionAsync(services.Cancellation);
        var row = await connection.QuerySingleAsync<MyReactionRow>(new CommandDefinition(
            $"{SelectMyReaction} WHERE r.id = @ReactionId", new { mine.ReactionId }, cancellationToken: services.Cancellation));
        var history = await ReactionStore.HistoryAsync(connection, mine.ReactionId, services.Cancellation);
        return TypedResults.Ok(row.ToResponse(mine.Me.Language, history));
    }

    private const string SelectMyReaction = """
        SELECT r.id, r.consultation_id AS ConsultationId, c.title AS ConsultationTitle, c.title_translations AS TitleTranslations,
               r.text, r.language, r.status, r.explanation, r.explanation_translations AS ExplanationTranslations,
               r.submitted_at AS SubmittedAt, r.answered_at AS AnsweredAt, r.answer_due_on AS AnswerDueOn
        FROM reactions r JOIN consultations c ON c.id = r.consultation_id
        """;

    /// <summary>The consultations with their meetings, questionnaire, poll and the resident's part in each, in three queries.</summary>
    private static async Task<List<MyConsultationResponse>> DescribeAsync(
        NpgsqlConnection connection, MyProfile me, IReadOnlyList<ConsultationResponse> consultations, ApiServices services)
    {
        Guid[] ids = [.. consultations.Select(consultation => consultation.Id)];
        using var results = await connection.QueryMultipleAsync(new CommandDefinition(
            """
            SELECT m.id, m.consultation_id AS ConsultationId, m.place, m.starts_at AS StartsAt, m.ends_at AS EndsAt,
                   m.capacity - (SELECT count(*)::int FROM meeting_registrations x WHERE x.meeting_id = m.id) AS PlacesLeft,
                   EXISTS (SELECT 1 FROM meeting_registrations x WHERE x.meeting_id = m.id AND x.resident_id = @ResidentId) AS Registered
            FROM meetings m WHERE m.consultation_id = ANY(@Ids) AND m.ends_at > @Now ORDER BY m.starts_at, m.id;

            SELECT q.consultation_id AS ConsultationId, q.kind, q.id,
                   EXISTS (SELECT 1 FROM questionnaire_responses x WHERE x.questionnaire_id = q.id AND x.resident_id = @ResidentId) AS Answered
            FROM questionnaires q WHERE q.consultation_id = ANY(@Ids);

            SELECT DISTINCT consultation_id FROM reactions WHERE consultation_id = ANY(@Ids) AND resident_id = @ResidentId;
            """,
            new { Ids = ids, me.ResidentId, Now = services.Clock.GetUtcNow() }, cancellationToken: services.Cancellation));
        var meetings = (await results.ReadAsync<MyMeetingResponse>()).ToLookup(meeting => meeting.ConsultationId);
        var questions = (await results.ReadAsync<QuestionsRow>()).ToLookup(row => row.ConsultationId);
        var reacted = (await results.ReadAsync<Guid>()).ToHashSet();
        var today = AmsterdamClock.Today(services.Clock);

        return
        [
            .. consultations.Select(consultation =>
            {
                var (title, language) = MyLanguage.Pick(consultation.Title, consultation.TitleTranslations, me.Language);
                var (description, descriptionLanguage) = MyLanguage.Pick(consultation.Description, consultation.DescriptionTranslations, me.Language);
                MyQuestionsLink? Link(string kind) => questions[consultation.Id].Where(row => row.Kind == kind)
                    .Select(row => new MyQuestionsLink { Id = row.Id, Answered = row.Answered }).SingleOrDefault();
                return new MyConsultationResponse
                {
                    Id = consultation.Id,
                    TrajectoryId = consultation.TrajectoryId,
                    Title = title,
                    Description = description,
                    // A title in the resident's language with a Dutch description (or the reverse) is marked as Dutch.
                    TextLanguage = language == descriptionLanguage ? language : Contracts.Languages.Dutch,
                    InMyLanguage = language == me.Language && descriptionLanguage == me.Language,
                    BuurtCode = consultation.BuurtCode,
                    ClosesOn = consultation.ClosesOn,
                    IsOpen = ConsultationPeriod.IsOpen(consultation.ClosesOn, today),
                    Reacted = reacted.Contains(consultation.Id),
                    Meetings = [.. meetings[consultation.Id]],
                    Questionnaire = Link(QuestionnaireStore.Questionnaire),
                    Poll = Link(QuestionnaireStore.Poll),
                };
            }),
        ];
    }

    private sealed record QuestionsRow
    {
        public required Guid ConsultationId { get; init; }

        public required string Kind { get; init; }

        public required Guid Id { get; init; }

        public required bool Answered { get; init; }
    }

    private sealed record MyReactionRow
    {
        public required Guid Id { get; init; }

        public required Guid ConsultationId { get; init; }

        public required string ConsultationTitle { get; init; }

        public IReadOnlyDictionary<string, string>? TitleTranslations { get; init; }

        public required string Text { get; init; }

        public required string Language { get; init; }

        public required string Status { get; init; }

        public string? Explanation { get; init; }

        public IReadOnlyDictionary<string, string>? ExplanationTranslations { get; init; }

        public required DateTimeOffset SubmittedAt { get; init; }

        public DateTimeOffset? AnsweredAt { get; init; }

        public required DateOnly AnswerDueOn { get; init; }

        public MyReactionResponse ToResponse(string language, IReadOnlyList<StatusChange>? history)
        {
            var explanation = Explanation is null ? ((string, string)?)null : MyLanguage.Pick(Explanation, ExplanationTranslations, language);
            return new MyReactionResponse
            {
                Id = Id,
                ConsultationId = ConsultationId,
                ConsultationTitle = MyLanguage.Pick(ConsultationTitle, TitleTranslations, language).Text,
                Text = Text,
                Language = Language,
                Status = Status,
                Explanation = explanation?.Item1,
                ExplanationLanguage = explanation?.Item2,
                SubmittedAt = SubmittedAt,
                AnsweredAt = AnsweredAt,
                AnswerDueOn = AnswerDueOn,
                History = history?.Select(change =>
                {
                    var picked = change.Explanation is null
                        ? ((string, string)?)null
                        : MyLanguage.Pick(change.Explanation, change.ExplanationTranslations, language);
                    return new MyStatusChange
                    {
                        Status = change.Status, Explanation = picked?.Item1, ExplanationLanguage = picked?.Item2, ChangedAt = change.ChangedAt,
                    };
                }).ToList(),
            };
        }
    }
}
