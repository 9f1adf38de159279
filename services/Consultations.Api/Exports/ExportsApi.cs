using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Participatie.BuildingBlocks.Http;
using Participatie.BuildingBlocks.Time;
using Participatie.Consultations.Consultations;
using Participatie.Consultations.Domain;
using Participatie.Consultations.Polls;
using Participatie.Consultations.Questionnaires;
using Participatie.Consultations.Reach;
using Participatie.Consultations.Reactions;
using Participatie.Consultations.Residents;
using Participatie.Consultations.SupportMeasurements;
using Participatie.Contracts;

namespace Participatie.Consultations.Exports;

/// <summary>
/// CSV files for a partner's own reporting (its BI tool, its spreadsheet): the same data, seen the same way, as the
/// JSON reads, so that an export never shows more than the API does. Every count of residents or what they did follows
/// <see cref="SmallCount.Rule"/> and is written as its display ("12", "&lt; 5" or "hidden"); a draagvlakmeting's result
/// keeps its exact numbers, as its JSON does (the law's 70% must be checkable).
/// </summary>
public static class ExportsApi
{
    public const string CsvContentType = "text/csv; charset=utf-8";

    public static IEndpointRouteBuilder MapExportsApi(this IEndpointRouteBuilder routes)
    {
        var consultation = routes.MapApiGroup("/v1/consultations/{consultationId:guid}/exports", "Exports")
            .WithConsultationAccess()
            .ProducesProblem(StatusCodes.Status404NotFound);
        consultation.MapGet("/reactions", ExportReactions)
            .WithName("ExportReactions")
            .WithSummary("The consultation's reactions as CSV: text, status, explanation, theme and the dates received, due and answered")
            .WithDescription("residentId is filled only for residents the calling partner registered, as in ListReactions.")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv");
        consultation.MapGet("/reach", ExportReach)
            .WithName("ExportConsultationReach")
            .WithSummary("The consultation's reach as CSV: the total, then each language, age band, tenure and buurt")
            .WithDescription(SmallCount.Rule)
            .Produces(StatusCodes.Status200OK, contentType: "text/csv");
        consultation.MapGet("/questionnaire-results", ExportQuestionnaireResults)
            .WithName("ExportQuestionnaireResults")
            .WithSummary("The questionnaire's results as CSV: per question how many answered, and per option how many chose it (404 without a questionnaire)")
            .WithDescription(SmallCount.Rule)
            .Produces(StatusCodes.Status200OK, contentType: "text/csv");
        consultation.MapGet("/poll-results", ExportPollResults)
            .WithName("ExportPollResults")
            .WithSummary("The poll's results as CSV: how many voted, and per option how many chose it (404 without a poll)")
            .WithDescription(SmallCount.Rule)
            .Produces(StatusCodes.Status200OK, contentType: "text/csv");
        consultation.MapGet("/meeting-attendance", ExportMeetingAttendance)
            .WithName("ExportMeetingAttendance")
            .WithSummary("The consultation's meetings as CSV, earliest first: how many registered, came, stayed away or are not yet recorded")
            .WithDescription(SmallCount.Rule)
            .Produces(StatusCodes.Status200OK, contentType: "text/csv");

        routes.MapApiGroup("/v1/support-measurements/{measurementId:guid}/exports", "Exports")
            .WithSupportMeasurementAccess()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .MapGet("/result", ExportSupportResult)
            .WithName("ExportSupportResult")
            .WithSummary("The draagvlakmeting's result as CSV: homes, votes, agreeing share against the 70%, and whether it is closed")
            .WithDescription("Exact numbers, as GetSupportResult has them: every tenant must be able to check the 70% (art. 7:220 BW).")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv");
        return routes;
    }

    internal static async Task<FileContentHttpResult> ExportReactions(VisibleConsultation visible, [AsParameters] ApiServices services)
    {
        await using var connection = await services.Database.OpenConnectionAsync(services.Cancellation);
        var rows = (await connection.QueryAsync<ReactionRow>(new CommandDefinition(
            """
            SELECT r.id, r.resident_id AS ResidentId, r.text, r.channel, r.language, r.status, r.explanation,
                   r.theme_id AS ThemeId, t.title AS ThemeTitle, r.submitted_at AS SubmittedAt, r.answer_due_on AS AnswerDueOn,
                   r.answered_at AS AnsweredAt
            FROM reactions r LEFT JOIN themes t ON t.id = r.theme_id
            WHERE r.consultation_id = @ConsultationId
            ORDER BY r.submitted_at, r.id
            """,
            new { ConsultationId = visible.Consultation.Id }, cancellationToken: services.Cancellation))).AsList();
        var shown = await ResidentPartners.HideOthersAsync(
            connection, null, services.PartnerId, rows, row => row.ResidentId, row => row with { ResidentId = null }, services.Cancellation);

        var today = AmsterdamClock.Today(services.Clock);
        var csv = new CsvTable(
            "reactionId", "residentId", "receivedAt", "channel", "language", "text", "status", "explanation", "themeId", "theme",
            "answerDueOn", "answeredAt", "overdue");
        foreach (var row in shown)
        {
            csv.Row(
                row.Id, row.ResidentId, row.SubmittedAt, row.Channel, row.Language, row.Text, row.Status, row.Explanation, row.ThemeId,
                row.ThemeTitle, row.AnswerDueOn, row.AnsweredAt, AnswerDeadlines.IsOverdue(row.AnswerDueOn, row.Status, today));
        }

        return Attachment(csv, "reacties", visible.Consultation.Id);
    }

    internal static async Task<FileContentHttpResult> ExportReach(VisibleConsultation visible, [AsParameters] ApiServices services)
    {
        var report = (await ReachApi.GetReach(visible, services)).Value!;
        var csv = new CsvTable(
            "dimension", "value", "residents", "respondents", "shareOfResidents", "shareOfRespondents", "responseRate", "underrepresented");
        csv.Row("total", null, report.Residents.Display, report.Respondents.Display, null, null, report.ResponseRate, null);
        foreach (var group in report.Groups)
        {
            csv.Row(
                group.Dimension, group.Value, group.Residents.Display, group.Respondents.Display, group.ShareOfResidents,
                group.ShareOfRespondents, group.ResponseRate, group.Underrepresented);
        }

        return Attachment(csv, "bereik", visible.Consultation.Id);
    }

    internal static Task<Results<FileContentHttpResult, ProblemHttpResult>> ExportQuestionnaireResults(
        VisibleConsultation visible, [AsParameters] ApiServices services) =>
        ExportQuestionsAsync(visible, QuestionnaireStore.Questionnaire, "vragenlijst", services);

    internal static Task<Results<FileContentHttpResult, ProblemHttpResult>> ExportPollResults(
        VisibleConsultation visible, [AsParameters] ApiServices services) =>
        ExportQuestionsAsync(visible, QuestionnaireStore.Poll, "peiling", services);

    /// <summary>
    /// One row for the number of respondents, one per question with how many answered it, and one per option with how
    /// many chose it; open answers' texts are left out (an aggregate has none; they are read in the JSON results).
    /// </summary>
    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ExportQuestionsAsync(
        VisibleConsultation visible, string kind, string fileName, ApiServices services)
    {
        var outcome = await QuestionnaireStore.ResultsAsync(visible, kind, services);
        if (outcome.Result is not Ok<QuestionnaireResults> { Value: { } results })
        {
            return (ProblemHttpResult)outcome.Result;
        }

        await using var connection = await services.Database.OpenConnectionAsync(services.Cancellation);
        var questions = (await QuestionnaireStore.QuestionsAsync(connection, results.QuestionnaireId, services.Cancellation))!
            .ToDictionary(question => question.Id!, StringComparer.Ordinal);
        var csv = new CsvTable("questionId", "type", "question", "optionId", "option", "count");
        csv.Row(null, null, kind == QuestionnaireStore.Poll ? "votes" : "respondents", null, null, results.ResponseCount.Display);
        foreach (var result in results.Questions)
        {
            var question = questions[result.QuestionId];
            // The poll's single question has its own id inside the questionnaire machinery; the poll API shows none.
            var questionId = kind == QuestionnaireStore.Poll && result.QuestionId == PollsApi.QuestionId ? null : result.QuestionId;
            csv.Row(questionId, result.Type, Dutch(question.Texts), null, null, result.AnswerCount.Display);
            foreach (var option in result.Options ?? [])
            {
                var definition = question.Options?.FirstOrDefault(candidate => candidate.Id == option.OptionId);
                csv.Row(questionId, result.Type, Dutch(question.Texts), option.OptionId, Dutch(definition?.Texts), option.Count.Display);
            }
        }

        return Attachment(csv, fileName, visible.Consultation.Id);
    }

    internal static async Task<FileContentHttpResult> ExportMeetingAttendance(VisibleConsultation visible, [AsParameters] ApiServices services)
    {
        await using var connection = await services.Database.OpenConnectionAsync(services.Cancellation);
        var meetings = await connection.QueryAsync<AttendanceRow>(new CommandDefinition(
            """
            SELECT m.id, m.place, m.starts_at AS StartsAt, m.ends_at AS EndsAt, m.capacity,
                   count(r.resident_id) AS Registered,
                   count(r.resident_id) FILTER (WHERE r.attended) AS Attended,
                   count(r.resident_id) FILTER (WHERE NOT r.attended) AS Absent,
                   count(r.resident_id) FILTER (WHERE r.attended IS NULL) AS NotRecorded
            FROM meetings m LEFT JOIN meeting_registrations r ON r.meeting_id = m.id
            WHERE m.consultation_id = @ConsultationId
            GROUP BY m.id
            ORDER BY m.starts_at, m.id
            """,
            new { ConsultationId = visible.Consultation.Id }, cancellationToken: services.Cancellation));

        var csv = new CsvTable("meetingId", "place", "startsAt", "endsAt", "capacity", "registered", "attended", "absent", "notRecorded");
        foreach (var meeting in meetings)
        {
            // Came, stayed away and not recorded add up to the registered: one hidden part could be worked out from the rest.
            var (registered, parts) = SmallCountSuppression.OneGroup(meeting.Registered, [meeting.Attended, meeting.Absent, meeting.NotRecorded]);
            csv.Row(
                meeting.Id, meeting.Place, meeting.StartsAt, meeting.EndsAt, meeting.Capacity, registered.Display,
                parts[0].Display, parts[1].Display, parts[2].Display);
        }

        return Attachment(csv, "bijeenkomsten", visible.Consultation.Id);
    }

    internal static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ExportSupportResult(
        VisibleSupportMeasurement visible, [AsParameters] ApiServices services)
    {
        // The same read as GetSupportResult, so that a measurement past its deadline is frozen by the export as well.
        if ((await SupportMeasurementsApi.GetSupportResult(visible, services)).Result is not Ok<SupportResultResponse> { Value: { } result })
        {
            return Problems.NotFound("support measurement", visible.Measurement.Id);
        }

        var csv = new CsvTable(
            "measurementId", "title", "status", "final", "deadline", "closedAt", "complexHomes", "excludedHomes", "homes", "votes",
            "agreeing", "disagreeing", "notVoted", "responseRate", "agreeingShare", "agreeingPercentage", "thresholdPercent",
            "thresholdMet", "noticeRequestedAt", "courtPeriodEndsOn");
        csv.Row(
            result.MeasurementId, visible.Measurement.Title, result.Status, result.Final, result.Deadline, result.ClosedAt,
            result.ComplexHomes, result.ExcludedHomes, result.Homes, result.Votes, result.Agreeing, result.Disagreeing, result.NotVoted,
            result.ResponseRate, result.AgreeingShare, result.AgreeingShare * 100, result.ThresholdPercent, result.ThresholdMet,
            result.NoticeRequestedAt, result.CourtPeriodEndsOn);
        return Attachment(csv, "draagvlakmeting", visible.Measurement.Id);
    }

    private static string? Dutch(IReadOnlyDictionary<string, string>? texts) => texts?.GetValueOrDefault(Languages.Dutch);

    private static FileContentHttpResult Attachment(CsvTable csv, string name, Guid id) =>
        TypedResults.File(csv.ToBytes(), CsvContentType, $"{name}-{id}.csv");

    // Read by Dapper through their properties, as the other stores' rows are (DateOnly has a type handler there).
    private sealed record ReactionRow
    {
        public Guid Id { get; init; }

        public Guid? ResidentId { get; init; }

        public string Text { get; init; } = "";

        public string Channel { get; init; } = "";

        public string Language { get; init; } = "";

        public string Status { get; init; } = "";

        public string? Explanation { get; init; }

        public Guid? ThemeId { get; init; }

        public string? ThemeTitle { get; init; }

        public DateTimeOffset SubmittedAt { get; init; }

        public DateOnly AnswerDueOn { get; init; }

        public DateTimeOffset? AnsweredAt { get; init; }
    }

    private sealed record AttendanceRow
    {
        public Guid Id { get; init; }

        public string Place { get; init; } = "";

        public DateTimeOffset StartsAt { get; init; }

        public DateTimeOffset EndsAt { get; init; }

        public int Capacity { get; init; }

        public long Registered { get; init; }

        public long Attended { get; init; }

        public long Absent { get; init; }

        public long NotRecorded { get; init; }
    }
}
