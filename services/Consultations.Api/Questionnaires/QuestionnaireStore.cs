using System.Security.Claims;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.Consultations.Consultations;
using Participatie.Consultations.DataRights;
using Participatie.Consultations.Domain;
using Participatie.Consultations.Reactions;
using Participatie.Contracts;

namespace Participatie.Consultations.Questionnaires;

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
            ResponseCount = SmallCount.Of(ResponseCount),
        };
    }

    /// <summary>422 naming every field in error, like <see cref="Problems.Unprocessable"/> for more than one field.</summary>
    public static ProblemHttpResult Unprocessable(IDictionary<string, string[]> errors) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "The request cannot be processed.",
            Type = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.21",
        });

    public static async Task<Results<Created<QuestionnaireResponse>, Ok<QuestionnaireResponse>, ProblemHttpResult>> SetAsync(
        VisibleConsultation visible,
        string kind,
        IReadOnlyList<QuestionDefinition>? questions,
        ApiServices services,
        Func<string, string>? fieldName = null)
    {
        await using var work = await services.UnitOfWork.BeginAsync(services.Cancellation);

        var errors = QuestionnaireRules.CheckQuestions(questions);
        if (errors.Count > 0)
        {
            return Unprocessable(Rename(errors, fieldName));
        }

        var now = services.Clock.GetUtcNow();
        var existing = await FindAsync(work.Connection, work.Transaction, visible.Consultation.Id, kind, services.Cancellation, forUpdate: true);
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
            new { Id = Guid.CreateVersion7(), ConsultationId = visible.Consultation.Id, Kind = kind, PartnerId = services.User.GetPartnerId(), Questions = normalized, Now = now },
            work.Transaction, cancellationToken: services.Cancellation));
        var stored = (await FindAsync(work.Connection, work.Transaction, visible.Consultation.Id, kind, services.Cancellation))!.ToResponse();
        await work.CommitAsync(services.Cancellation);
        return existing is null
            ? TypedResults.Created($"/v1/consultations/{visible.Consultation.Id}/{kind}", stored)
            : TypedResults.Ok(stored);
    }

    public static async Task<Results<Ok<QuestionnaireResponse>, ProblemHttpResult>> GetAsync(
        VisibleConsultation visible, string kind, ApiServices services)
    {
        await using var connection = await services.Database.OpenConnectionAsync(services.Cancellation);

        var questionnaire = await FindAsync(connection, null, visible.Consultation.Id, kind, services.Cancellation);
        return questionnaire is null ? Problems.NotFound(kind, visible.Consultation.Id) : TypedResults.Ok(questionnaire.ToResponse());
    }

    public static async Task<Results<Created<QuestionnaireAnswers>, Ok<QuestionnaireAnswers>, ProblemHttpResult>> SubmitAsync(
        VisibleConsultation visible,
        string kind,
        Guid residentId,
        string? channel,
        string? language,
        IReadOnlyList<AnswerRequest>? answers,
        ApiServices services,
        Func<string, string>? fieldName = null)
    {
        if (!TrajectoryRoles.CanContribute(visible.Role))
        {
            return Problems.Forbidden($"A partner with role '{visible.Role}' cannot enter answers in this trajectory.");
        }

        var (response, created, problem) = await StoreAnswersAsync(
            visible.Consultation.Id, kind, residentId, services.User.GetPartnerId(), channel, language, answers, services, fieldName);
        if (problem is not null)
        {
            return problem;
        }

        return created
            ? TypedResults.Created($"/v1/consultations/{visible.Consultation.Id}/{kind}/responses/{residentId}", response)
            : TypedResults.Ok(response);
    }

    /// <summary>
    /// The one way answers are stored, entered by a partner (<paramref name="partnerId"/>) or given by the resident
    /// (null): checked against the questions, replacing the resident's earlier answers (created is false then).
    /// </summary>
    public static async Task<(QuestionnaireAnswers? Answers, bool Created, ProblemHttpResult? Problem)> StoreAnswersAsync(
        Guid consultationId,
        string kind,
        Guid residentId,
        Guid? partnerId,
        string? channel,
        string? language,
        IReadOnlyList<AnswerRequest>? answers,
        ApiServices services,
        Func<string, string>? fieldName = null)
    {
        await using var work = await services.UnitOfWork.BeginAsync(services.Cancellation);
        // Shared lock: the questions cannot change while this response is stored against them.
        var questionnaire = await FindAsync(work.Connection, work.Transaction, consultationId, kind, services.Cancellation, forShare: true);
        if (questionnaire is null)
        {
            return (null, false, Problems.NotFound(kind, consultationId));
        }

        if (await ConsultationAudience.RefuseOutsiderAsync(work, consultationId, residentId, services.Cancellation) is { } outsider)
        {
            return (null, false, outsider);
        }

        var errors = QuestionnaireRules.CheckAnswers(questionnaire.Questions, answers);
        if (errors.Count > 0)
        {
            return (null, false, Unprocessable(Rename(errors, fieldName)));
        }

        var response = new QuestionnaireAnswers
        {
            QuestionnaireId = questionnaire.Id,
            ResidentId = residentId,
            Channel = channel ?? ReactionChannels.Online,
            Language = language ?? Languages.Dutch,
            Answers = [.. answers!.Select(answer => answer with { Text = answer.Text?.Trim() })],
            SubmittedAt = services.Clock.GetUtcNow(),
        };
        var author = EntryAuthor.Of(services.User);
        // xmax = 0 only for a freshly inserted row: it tells a first response from a replaced one. A partner replaces
        // only answers it entered itself (the resident replaces any of their own): otherwise no row comes back (null).
        // The table's trigger refuses an erased resident, in this one statement.
        var (inserted, erased) = await ErasedResidents.InsertAsync(residentId, () => work.Connection.ExecuteScalarAsync<bool?>(new CommandDefinition(
            """
            INSERT INTO questionnaire_responses
                (questionnaire_id, resident_id, channel, language, answers, entered_by_partner_id, entered_by_client_id, entered_by_staff_id, submitted_at)
            VALUES (@QuestionnaireId, @ResidentId, @Channel, @Language, @Answers::jsonb, @PartnerId, @ClientId, @StaffId, @SubmittedAt)
            ON CONFLICT (questionnaire_id, resident_id) DO UPDATE SET
                channel = excluded.channel, language = excluded.language, answers = excluded.answers,
                entered_by_partner_id = excluded.entered_by_partner_id, entered_by_client_id = excluded.entered_by_client_id,
                entered_by_staff_id = excluded.entered_by_staff_id, submitted_at = excluded.submitted_at
            WHERE excluded.entered_by_partner_id IS NULL OR questionnaire_responses.entered_by_partner_id = excluded.entered_by_partner_id
            RETURNING xmax = 0
            """,
            new
            {
                response.QuestionnaireId, response.ResidentId, response.Channel, response.Language,
                Answers = JsonSerializer.Serialize(response.Answers, Json), PartnerId = partnerId, author.ClientId, author.StaffId, response.SubmittedAt,
            },
            work.Transaction, cancellationToken: services.Cancellation)));
        if (erased is not null)
        {
            return (null, false, erased);
        }

        if (inserted is null)
        {
            return (null, false, ConsultationAudience.EnteredByAnother("answers", residentId));
        }

        await work.CommitAsync(services.Cancellation);
        return (response, inserted.Value, null);
    }

    /// <summary>A questionnaire's questions as stored, by its own id; null when there is none of that kind.</summary>
    public static async Task<IReadOnlyList<QuestionDefinition>?> QuestionsAsync(
        NpgsqlConnection connection, Guid questionnaireId, CancellationToken cancellationToken)
    {
        var json = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT questions::text FROM questionnaires WHERE id = @Id", new { Id = questionnaireId }, cancellationToken: cancellationToken));
        return json is null ? null : JsonSerializer.Deserialize<List<QuestionDefinition>>(json, Json);
    }

    /// <summary>A resident's own answers to a questionnaire, or null when they gave none.</summary>
    public static async Task<QuestionnaireAnswers?> AnswersOfAsync(
        NpgsqlConnection connection, Guid questionnaireId, Guid residentId, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<StoredAnswers>(new CommandDefinition(
            """
            SELECT questionnaire_id AS QuestionnaireId, resident_id AS ResidentId, channel, language, answers::text AS AnswersJson,
                   submitted_at AS SubmittedAt
            FROM questionnaire_responses WHERE questionnaire_id = @Id AND resident_id = @ResidentId
            """,
            new { Id = questionnaireId, ResidentId = residentId }, cancellationToken: cancellationToken));
        return row is null ? null : new QuestionnaireAnswers
        {
            QuestionnaireId = row.QuestionnaireId,
            ResidentId = row.ResidentId,
            Channel = row.Channel,
            Language = row.Language,
            Answers = JsonSerializer.Deserialize<List<AnswerRequest>>(row.AnswersJson, Json)!,
            SubmittedAt = row.SubmittedAt,
        };
    }

    private sealed record StoredAnswers
    {
        public required Guid QuestionnaireId { get; init; }

        public required Guid ResidentId { get; init; }

        public required string Channel { get; init; }

        public required string Language { get; init; }

        public required string AnswersJson { get; init; }

        public required DateTimeOffset SubmittedAt { get; init; }
    }

    public static async Task<Results<Ok<QuestionnaireResults>, ProblemHttpResult>> ResultsAsync(
        VisibleConsultation visible, string kind, ApiServices services)
    {
        await using var connection = await services.Database.OpenConnectionAsync(services.Cancellation);

        var questionnaire = await FindAsync(connection, null, visible.Consultation.Id, kind, services.Cancellation);
        if (questionnaire is null)
        {
            return Problems.NotFound(kind, visible.Consultation.Id);
        }

        // Ordered by time, not by resident, so that the open answers' order tells nothing about who gave them.
        var responses = (await connection.QueryAsync<(string Language, string Answers)>(new CommandDefinition(
            "SELECT language, answers::text FROM questionnaire_responses WHERE questionnaire_id = @Id ORDER BY submitted_at",
            new { questionnaire.Id }, cancellationToken: services.Cancellation)))
            .Select(row => (row.Language, (IReadOnlyList<AnswerRequest>)JsonSerializer.Deserialize<List<AnswerRequest>>(row.Answers, Json)!))
            .ToList();
        return TypedResults.Ok(new QuestionnaireResults
        {
            QuestionnaireId = questionnaire.Id,
            Kind = kind,
            ResponseCount = SmallCount.Of(responses.Count),
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

