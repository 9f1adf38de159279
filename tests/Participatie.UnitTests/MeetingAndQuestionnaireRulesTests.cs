using Participatie.Consultations.Questionnaires;
using Participatie.Consultations.Domain;
using Participatie.Consultations.Polls;
using Participatie.Contracts;
using Participatie.Notifications.Texts;

namespace Participatie.UnitTests;

public class MeetingRulesTests
{
    private static readonly DateTimeOffset Now = new(2030, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_meeting_starts_in_the_future_and_ends_after_it_starts()
    {
        Assert.Null(MeetingRules.CheckTimes(Now.AddDays(1), Now.AddDays(1).AddHours(2), Now));
        Assert.Equal("startsAt", MeetingRules.CheckTimes(Now, Now.AddHours(2), Now)?.Field);
        Assert.Equal("endsAt", MeetingRules.CheckTimes(Now.AddDays(1), Now.AddDays(1), Now)?.Field);
    }

    [Theory]
    [InlineData(25, false)]
    [InlineData(24, true)]
    [InlineData(1, true)]
    [InlineData(0, false)]
    [InlineData(-1, false)]
    public void A_reminder_is_due_within_the_day_before_the_start(int hoursUntilStart, bool due) =>
        Assert.Equal(due, MeetingRules.IsReminderDue(Now.AddHours(hoursUntilStart), Now));

    [Fact]
    public void Attendance_is_known_from_the_start() =>
        Assert.Equal([false, true, true], [
            MeetingRules.CanRecordAttendance(Now.AddMinutes(1), Now),
            MeetingRules.CanRecordAttendance(Now, Now),
            MeetingRules.CanRecordAttendance(Now.AddHours(-1), Now),
        ]);
}

public class MeetingTextsTests
{
    public static TheoryData<string> AllLanguages => [.. Languages.All];

    [Theory]
    [MemberData(nameof(AllLanguages))]
    public void The_reminder_gives_title_place_and_Dutch_clock_time_in_every_language(string language)
    {
        // 17:00 UTC in summer is 19:00 in the Netherlands.
        var startsAt = new DateTimeOffset(2030, 6, 12, 17, 0, 0, TimeSpan.Zero);

        var text = MeetingTexts.For(language, "Mercatorplein", "Buurthuis De Meeuw", startsAt, startsAt.AddHours(2));

        Assert.Equal(language, text.Language);
        Assert.Contains("Mercatorplein", text.Title, StringComparison.Ordinal);
        Assert.Contains("Buurthuis De Meeuw", text.Body, StringComparison.Ordinal);
        Assert.Contains("12-06-2030", text.Body, StringComparison.Ordinal);
        Assert.Contains("19:00", text.Body, StringComparison.Ordinal);
        Assert.Contains("21:00", text.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unsupported_language_gets_the_Dutch_reminder() =>
        Assert.Equal(Languages.Dutch, MeetingTexts.For("fr", "Plein", "Buurthuis", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddHours(1)).Language);
}

public class QuestionnaireRulesTests
{
    private static Dictionary<string, string> InAll(string text, params string[] except) =>
        Languages.All.Except(except).ToDictionary(language => language, language => $"{language}: {text}");

    private static QuestionDefinition Choice(string id = "groen", params string[] optionIds) => new()
    {
        Id = id,
        Type = QuestionnaireRules.MultipleChoice,
        Texts = InAll("Wat wilt u?"),
        Options = [.. (optionIds.Length == 0 ? ["bomen", "speeltuin"] : optionIds).Select(option => new OptionDefinition { Id = option, Texts = InAll(option) })],
    };

    private static QuestionDefinition Open(string id = "wensen") => new() { Id = id, Type = QuestionnaireRules.Open, Texts = InAll("Nog iets?") };

    [Fact]
    public void A_complete_questionnaire_has_no_errors() =>
        Assert.Empty(QuestionnaireRules.CheckQuestions([Choice(), Open()]));

    [Fact]
    public void Every_text_is_needed_in_every_supported_language_not_only_Dutch()
    {
        var errors = QuestionnaireRules.CheckQuestions([Choice(), Open() with { Texts = InAll("Nog iets?", Languages.Ukrainian) }]);

        var error = Assert.Single(errors);
        Assert.Equal("questions[1].texts", error.Key);
        Assert.Contains("uk", error.Value[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Ids_are_unique_options_come_with_choices_only_and_types_are_known()
    {
        var errors = QuestionnaireRules.CheckQuestions(
        [
            Choice("groen", "ja", "ja"),
            Choice("groen"),
            Open() with { Options = [new OptionDefinition { Id = "x", Texts = InAll("x") }] },
            Open("vraag") with { Type = "ranking" },
            Choice("een", "alleen"),
        ]);

        Assert.Equal(
            ["questions[0].options[1].id", "questions[1].id", "questions[2].options", "questions[3].type", "questions[4].options"],
            errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Answers_name_known_questions_once_with_a_known_option_or_a_text()
    {
        IReadOnlyList<QuestionDefinition> questions = [Choice(), Open()];

        var errors = QuestionnaireRules.CheckAnswers(questions,
        [
            new AnswerRequest { QuestionId = "groen", OptionId = "parkeren" },
            new AnswerRequest { QuestionId = "wensen", Text = " " },
            new AnswerRequest { QuestionId = "fietsen", Text = "Ja" },
            new AnswerRequest { QuestionId = "wensen", Text = "Bankjes" },
        ]);

        Assert.Equal(
            ["answers[0].optionId", "answers[1].text", "answers[2].questionId", "answers[3].questionId"],
            errors.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(QuestionnaireRules.CheckAnswers(questions, [new AnswerRequest { QuestionId = "groen", OptionId = "bomen" }]));
        Assert.Contains("answers", QuestionnaireRules.CheckAnswers(questions, []).Keys);
    }

    [Fact]
    public void Results_count_every_option_and_list_open_answers_with_their_language()
    {
        IReadOnlyList<QuestionDefinition> questions = [Choice(), Open()];

        var results = QuestionnaireRules.Tally(questions,
        [
            ("tr", [new AnswerRequest { QuestionId = "groen", OptionId = "speeltuin" }, new AnswerRequest { QuestionId = "wensen", Text = "Bankjes" }]),
            .. Enumerable.Range(0, 4).Select(_ => ("nl", (IReadOnlyList<AnswerRequest>)[new AnswerRequest { QuestionId = "groen", OptionId = "speeltuin" }])),
        ]);

        Assert.Equal([("bomen", 0L), ("speeltuin", 5L)], results[0].Options!.Select(option => (option.OptionId, option.Count.Count!.Value)));
        Assert.Equal(5, results[0].AnswerCount.Count);
        Assert.Null(results[0].OpenAnswers);
        var open = Assert.Single(results[1].OpenAnswers!);
        Assert.Equal(("Bankjes", "tr"), (open.Text, open.Language));
        // One open answer is one resident: its count is not shown.
        Assert.True(results[1].AnswerCount.FewerThanFive);
    }

    [Fact]
    public void Results_hide_an_option_chosen_by_fewer_than_five_and_the_option_that_would_give_it_away()
    {
        var results = QuestionnaireRules.Tally([Choice()],
        [
            .. Enumerable.Range(0, 6).Select(i => ("nl", (IReadOnlyList<AnswerRequest>)[new AnswerRequest { QuestionId = "groen", OptionId = i < 2 ? "bomen" : "speeltuin" }])),
        ]);

        // 6 answers shown; bomen's 2 is "< 5", and speeltuin's 4 as well; were speeltuin 4 shown, 6 - 4 would give bomen away anyway.
        Assert.Equal(6, results[0].AnswerCount.Count);
        Assert.All(results[0].Options!, option => Assert.Null(option.Count.Count));
        Assert.Equal(["< 5", "< 5"], results[0].Options!.Select(option => option.Count.Display));
    }

    [Theory]
    [InlineData("questions[0].options[1].texts", "options[1].texts")]
    [InlineData("questions[0].texts", "texts")]
    [InlineData("answers[0].optionId", "optionId")]
    public void Poll_problems_name_the_polls_own_fields(string questionnaireField, string pollField) =>
        Assert.Equal(pollField, PollsApi.FieldName(questionnaireField));
}
