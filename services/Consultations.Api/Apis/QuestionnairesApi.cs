using System.Security.Claims;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.Consultations.Domain;
using Participatie.Contracts;

namespace Participatie.Consultations.Apis;

/// <summary>
/// A consultation's questionnaire: open and multiple-choice questions, each in every supported language (see
/// <see cref="QuestionnaireRules"/>). Partners enter residents' answers, one response per resident (answering again
/// replaces the earlier answers), and read the counted results, which never show who answered what.
/// </summary>
public static class QuestionnairesApi
{
    public static IEndpointRouteBuilder MapQuestionnairesApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapApiGroup("/v1/consultations/{consultationId:guid}/questionnaire", "Questionnaires")
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPut("", SetQuestionnaire)
            .WithName("SetQuestionnaire")
            .WithSummary("Give a consultation its questionnaire, or change it while nobody has answered (those who answer its reactions)")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("", GetQuestionnaire)
            .WithName("GetQuestionnaire")
            .WithSummary("Read a consultation's questionnaire with its questions in every language");
        api.MapPost("/responses", SubmitQuestionnaireResponse)
            .WithName("SubmitQuestionnaireResponse")
            .WithSummary("Enter a resident's answers; a resident's second response replaces the first")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("/results", GetQuestionnaireResults)
            .WithName("GetQuestionnaireResults")
            .WithSummary("Count the answers: per option how often it was chosen, and the open answers without who gave them");
        return routes;
    }

    internal static Task<Results<Created<QuestionnaireResponse>, Ok<QuestionnaireResponse>, ProblemHttpResult>> SetQuestionnaire(
        Guid consultationId,
        SetQuestionnaireRequest request,
        ClaimsPrincipal user,
        TrajectoryDirectory trajectories,
        UnitOfWorkFactory unitOfWork,
        TimeProvider clock,
        CancellationToken cancellationToken) =>
        QuestionnaireStore.SetAsync(
            consultationId, QuestionnaireStore.Questionnaire, request.Questions, user, trajectories, unitOfWork, clock, cancellationToken);

    internal static Task<Results<Ok<QuestionnaireResponse>, ProblemHttpResult>> GetQuestionnaire(
        Guid consultationId, TrajectoryDirectory trajectories, NpgsqlDataSource database, CancellationToken cancellationToken) =>
        QuestionnaireStore.GetAsync(consultationId, QuestionnaireStore.Questionnaire, trajectories, database, cancellationToken);

    internal static Task<Results<Created<QuestionnaireAnswers>, Ok<QuestionnaireAnswers>, ProblemHttpResult>> SubmitQuestionnaireResponse(
        Guid consultationId,
        SubmitQuestionnaireResponseRequest request,
        ClaimsPrincipal user,
        TrajectoryDirectory trajectories,
        UnitOfWorkFactory unitOfWork,
        TimeProvider clock,
        CancellationToken cancellationToken) =>
        QuestionnaireStore.SubmitAsync(
            consultationId, QuestionnaireStore.Questionnaire, request.ResidentId, request.Channel, request.Language, request.Answers,
            user, trajectories, unitOfWork, clock, cancellationToken);

    internal static Task<Results<Ok<QuestionnaireResults>, ProblemHttpResult>> GetQuestionnaireResults(
        Guid consultationId, TrajectoryDirectory trajectories, NpgsqlDataSource database, CancellationToken cancellationToken) =>
        QuestionnaireStore.ResultsAsync(consultationId, QuestionnaireStore.Questionnaire, trajectories, database, cancellationToken);
}

/// <summary>
/// The storage and rules questionnaires and polls share: a poll is a questionnaire of one multiple-choice question,
/// stored as such, so that both are answered and counted alike.
/// </summary>
internal static class QuestionnaireStore
{
    public const string Questionnaire = "questionnaire";
    public const string Poll = "poll";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private const string SelectQuestionnaire = """
        SELECT q.id, q.consultation_id AS ConsultationId, q.kind, q.questions::text AS QuestionsJson,
               q.created_at AS CreatedAt, q.updated_at AS UpdatedAt,
               (SELECT count(*)::int FROM questionnaire_responses r WHERE r.questionnaire_id = q.id) AS ResponseCount
        FROM questionnaires q
        """;

    private sealed record StoredQuestionnaire
    {
        public required Guid Id { get; init; }

        public required Guid ConsultationId { get; init; }

        public required string Kind { get; init; }

        public required string QuestionsJson { get; init; }

        public required DateTimeOffset CreatedAt { get; init; }

        public required DateTimeOffset UpdatedAt { get; init; }

        public required int ResponseCount { get; init; }

        public IReadOnlyList<QuestionDefinition> Questions => JsonSerializer.Deserialize<List<QuestionDefinition>>(QuestionsJson, Json)!;

        public QuestionnaireResponse ToResponse() => new()
        {
            Id = Id,
            ConsultationId = ConsultationId,
            Kind = Kind,
            Questions = Questions,
            CreatedAt = CreatedAt,
            UpdatedAt = UpdatedAt,
            ResponseCount = ResponseCount,
        };
    }

    private static string OnlyThoseWhoAnswer(string kind) =>
        $"Only the partner that opened the consultation, or the trajectory's lead and co-owners, set its {kind}.";

    /// <summary>422 naming every field in error, like <see cref="Problems.Unprocessable"/> for more than one field.</summary>
    public static ProblemHttpResult Unprocessable(IDictionary<string, string[]> errors) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "The request cannot be processed.",
            Type = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.21",
        });

    public static async Task<Results<Created<QuestionnaireResponse>, Ok<QuestionnaireResponse>, ProblemHttpResult>> SetAsync(
        Guid consultationId,
        string kind,
        IReadOnlyList<QuestionDefinition>? questions,
        ClaimsPrincipal user,
        TrajectoryDirectory trajectories,
        UnitOfWorkFactory unitOfWork,
        TimeProvider clock,
        CancellationToken cancellationToken,
        Func<string, string>? fieldName = null)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        var visible = await ConsultationAccess.FindVisibleAsync(work.Connection, work.Transaction, consultationId, trajectories, cancellationToken);
        if (visible is null)
        {
            return Problems.NotFound("consultation", consultationId);
        }

        if (!visible.CanAnswer(user))
        {
            return Problems.Forbidden(OnlyThoseWhoAnswer(kind));
        }

        var errors = QuestionnaireRules.CheckQuestions(questions);
        if (errors.Count > 0)
        {
            return Unprocessable(Rename(errors, fieldName));
        }

        var now = clock.GetUtcNow();
        var existing = await FindAsync(work.Connection, work.Transaction, consultationId, kind, cancellationToken, forUpdate: true);
        // Answers are given to the questions as they were asked: once a resident answered, the questions stay.
        if (existing is { ResponseCount: > 0 })
        {
            return Problems.Unprocessable(
                fieldName?.Invoke("questions") ?? "questions",
                $"The {kind} has been answered {existing.ResponseCount} times; its questions can no longer change.");
        }

        var normalized = JsonSerializer.Serialize(questions!.Select(Normalize).ToList(), Json);
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO questionnaires (id, consultation_id, kind, partner_id, questions, created_at, updated_at)
            VALUES (@Id, @ConsultationId, @Kind, @PartnerId, @Questions::jsonb, @Now, @Now)
            ON CONFLICT (consultation_id, kind) DO UPDATE SET questions = excluded.questions, updated_at = excluded.updated_at,
                                                              partner_id = excluded.partner_id
            """,
            new { Id = Guid.CreateVersion7(), ConsultationId = consultationId, Kind = kind, PartnerId = user.GetPartnerId(), Questions = normalized, Now = now },
            work.Transaction, cancellationToken: cancellationToken));
        var stored = (await FindAsync(work.Connection, work.Transaction, consultationId, kind, cancellationToken))!.ToResponse();
        await work.CommitAsync(cancellationToken);
        return existing is null
            ? TypedResults.Created($"/v1/consultations/{consultationId}/{kind}", stored)
            : TypedResults.Ok(stored);
    }

    public static async Task<Results<Ok<QuestionnaireResponse>, ProblemHttpResult>> GetAsync(
        Guid consultationId, string kind, TrajectoryDirectory trajectories, NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        if (await ConsultationAccess.FindVisibleAsync(connection, null, consultationId, trajectories, cancellationToken) is null)
        {
            return Problems.NotFound("consultation", consultationId);
        }

        var questionnaire = await FindAsync(connection, null, consultationId, kind, cancellationToken);
        return questionnaire is null ? Problems.NotFound(kind, consultationId) : TypedResults.Ok(questionnaire.ToResponse());
    }

    public static async Task<Results<Created<QuestionnaireAnswers>, Ok<QuestionnaireAnswers>, ProblemHttpResult>> SubmitAsync(
        Guid consultationId,
        string kind,
        Guid residentId,
        string? channel,
        string? language,
        IReadOnlyList<AnswerRequest>? answers,
        ClaimsPrincipal user,
        TrajectoryDirectory trajectories,
        UnitOfWorkFactory unitOfWork,
        TimeProvider clock,
        CancellationToken cancellationToken,
        Func<string, string>? fieldName = null)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        var visible = await ConsultationAccess.FindVisibleAsync(work.Connection, work.Transaction, consultationId, trajectories, cancellationToken);
        if (visible is null)
        {
            return Problems.NotFound("consultation", consultationId);
        }

        if (!TrajectoryRoles.CanContribute(visible.Role))
        {
            return Problems.Forbidden($"A partner with role '{visible.Role}' cannot enter answers in this trajectory.");
        }

        // Shared lock: the questions cannot change while this response is stored against them.
        var questionnaire = await FindAsync(work.Connection, work.Transaction, consultationId, kind, cancellationToken, forShare: true);
        if (questionnaire is null)
        {
            return Problems.NotFound(kind, consultationId);
        }

        var errors = QuestionnaireRules.CheckAnswers(questionnaire.Questions, answers);
        if (errors.Count > 0)
        {
            return Unprocessable(Rename(errors, fieldName));
        }

        var response = new QuestionnaireAnswers
        {
            QuestionnaireId = questionnaire.Id,
            ResidentId = residentId,
            Channel = channel ?? ReactionChannels.Online,
            Language = language ?? Languages.Dutch,
            Answers = [.. answers!.Select(answer => answer with { Text = answer.Text?.Trim() })],
            SubmittedAt = clock.GetUtcNow(),
        };
        // xmax = 0 only for a freshly inserted row: it tells a first response from a replaced one.
        var inserted = await work.Connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            """
            INSERT INTO questionnaire_responses
                (questionnaire_id, resident_id, channel, language, answers, entered_by_partner_id, submitted_at)
            VALUES (@QuestionnaireId, @ResidentId, @Channel, @Language, @Answers::jsonb, @PartnerId, @SubmittedAt)
            ON CONFLICT (questionnaire_id, resident_id) DO UPDATE SET
                channel = excluded.channel, language = excluded.language, answers = excluded.answers,
                entered_by_partner_id = excluded.entered_by_partner_id, submitted_at = excluded.submitted_at
            RETURNING xmax = 0
            """,
            new
            {
                response.QuestionnaireId, response.ResidentId, response.Channel, response.Language,
                Answers = JsonSerializer.Serialize(response.Answers, Json), PartnerId = user.GetPartnerId(), response.SubmittedAt,
            },
            work.Transaction, cancellationToken: cancellationToken));
        await work.CommitAsync(cancellationToken);
        return inserted
            ? TypedResults.Created($"/v1/consultations/{consultationId}/{kind}/responses/{residentId}", response)
            : TypedResults.Ok(response);
    }

    public static async Task<Results<Ok<QuestionnaireResults>, ProblemHttpResult>> ResultsAsync(
        Guid consultationId, string kind, TrajectoryDirectory trajectories, NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        if (await ConsultationAccess.FindVisibleAsync(connection, null, consultationId, trajectories, cancellationToken) is null)
        {
            return Problems.NotFound("consultation", consultationId);
        }

        var questionnaire = await FindAsync(connection, null, consultationId, kind, cancellationToken);
        if (questionnaire is null)
        {
            return Problems.NotFound(kind, consultationId);
        }

        // Ordered by time, not by resident, so that the open answers' order tells nothing about who gave them.
        var responses = (await connection.QueryAsync<(string Language, string Answers)>(new CommandDefinition(
            "SELECT language, answers::text FROM questionnaire_responses WHERE questionnaire_id = @Id ORDER BY submitted_at",
            new { questionnaire.Id }, cancellationToken: cancellationToken)))
            .Select(row => (row.Language, (IReadOnlyList<AnswerRequest>)JsonSerializer.Deserialize<List<AnswerRequest>>(row.Answers, Json)!))
            .ToList();
        return TypedResults.Ok(new QuestionnaireResults
        {
            QuestionnaireId = questionnaire.Id,
            Kind = kind,
            ResponseCount = responses.Count,
            Questions = QuestionnaireRules.Tally(questionnaire.Questions, responses),
        });
    }

    private static QuestionDefinition Normalize(QuestionDefinition question) => question with
    {
        Texts = Trimmed(question.Texts!),
        Options = question.Type == QuestionnaireRules.MultipleChoice
            ? [.. question.Options!.Select(option => option with { Texts = Trimmed(option.Texts!) })]
            : null,
    };

    // In the order of Languages.All, Dutch first, whatever order the partner sent them in.
    private static Dictionary<string, string> Trimmed(IReadOnlyDictionary<string, string> texts) =>
        Languages.All.ToDictionary(language => language, language => texts[language].Trim(), StringComparer.Ordinal);

    private static Dictionary<string, string[]> Rename(Dictionary<string, string[]> errors, Func<string, string>? fieldName) =>
        fieldName is null ? errors : errors.ToDictionary(pair => fieldName(pair.Key), pair => pair.Value, StringComparer.Ordinal);

    private static Task<StoredQuestionnaire?> FindAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        Guid consultationId,
        string kind,
        CancellationToken cancellationToken,
        bool forUpdate = false,
        bool forShare = false) =>
        connection.QuerySingleOrDefaultAsync<StoredQuestionnaire>(new CommandDefinition(
            $"{SelectQuestionnaire} WHERE q.consultation_id = @ConsultationId AND q.kind = @Kind {(forUpdate ? "FOR UPDATE OF q" : forShare ? "FOR SHARE OF q" : string.Empty)}",
            new { ConsultationId = consultationId, Kind = kind }, transaction, cancellationToken: cancellationToken));
}

public sealed record SetQuestionnaireRequest
{
    public IReadOnlyList<QuestionDefinition>? Questions { get; init; }
}

/// <summary>A question as partners write it: an id of their choosing, a type, texts per language and, if multiple-choice, options.</summary>
public sealed record QuestionDefinition
{
    /// <summary>Chosen by the partner (lowercase letters, digits, dashes), so that answers refer to it.</summary>
    public string? Id { get; init; }

    /// <summary>open or multiple-choice.</summary>
    public string? Type { get; init; }

    /// <summary>The question in every supported language, keyed by language code (nl, en, tr, ar, pl, uk).</summary>
    public IReadOnlyDictionary<string, string>? Texts { get; init; }

    public IReadOnlyList<OptionDefinition>? Options { get; init; }
}

public sealed record OptionDefinition
{
    public string? Id { get; init; }

    public IReadOnlyDictionary<string, string>? Texts { get; init; }
}

public sealed record SubmitQuestionnaireResponseRequest(Guid ResidentId, string? Channel, string? Language, IReadOnlyList<AnswerRequest>? Answers)
    : IValidatableRequest
{
    public void Validate(ValidationErrors errors) => ResponseValidation.Validate(errors, ResidentId, Channel, Language);
}

/// <summary>An answer to one question: text for an open question, an option id for a multiple-choice one.</summary>
public sealed record AnswerRequest
{
    public string? QuestionId { get; init; }

    public string? Text { get; init; }

    public string? OptionId { get; init; }
}

internal static class ResponseValidation
{
    public static void Validate(ValidationErrors errors, Guid residentId, string? channel, string? language)
    {
        errors.NotEmpty("residentId", residentId);
        if (channel is not null)
        {
            errors.OneOf("channel", channel, ReactionChannels.All);
        }

        if (language is not null)
        {
            errors.OneOf("language", language, Languages.All);
        }
    }
}

public sealed record QuestionnaireResponse
{
    public required Guid Id { get; init; }

    public required Guid ConsultationId { get; init; }

    /// <summary>questionnaire or poll.</summary>
    public required string Kind { get; init; }

    public required IReadOnlyList<QuestionDefinition> Questions { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>How many residents answered.</summary>
    public required int ResponseCount { get; init; }
}

/// <summary>One resident's answers, as stored.</summary>
public sealed record QuestionnaireAnswers
{
    public required Guid QuestionnaireId { get; init; }

    /// <summary>Pseudonymous: the residents service alone can tell who this is.</summary>
    public required Guid ResidentId { get; init; }

    public required string Channel { get; init; }

    public required string Language { get; init; }

    public required IReadOnlyList<AnswerRequest> Answers { get; init; }

    public required DateTimeOffset SubmittedAt { get; init; }
}

public sealed record QuestionnaireResults
{
    public required Guid QuestionnaireId { get; init; }

    public required string Kind { get; init; }

    public required int ResponseCount { get; init; }

    public required IReadOnlyList<QuestionResult> Questions { get; init; }
}

public sealed record QuestionResult
{
    public required string QuestionId { get; init; }

    public required string Type { get; init; }

    public required int AnswerCount { get; init; }

    /// <summary>For a multiple-choice question: every option with how often it was chosen.</summary>
    public IReadOnlyList<OptionResult>? Options { get; init; }

    /// <summary>For an open question: the answers, with the language they were given in, never with who gave them.</summary>
    public IReadOnlyList<OpenAnswer>? OpenAnswers { get; init; }
}

public sealed record OptionResult
{
    public required string OptionId { get; init; }

    public required int Count { get; init; }
}

public sealed record OpenAnswer
{
    public required string Text { get; init; }

    public required string Language { get; init; }
}
