using Microsoft.AspNetCore.Http.HttpResults;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Http;
using Participatie.BuildingBlocks.Time;
using Participatie.Consultations.Domain;
using Participatie.Consultations.Polls;
using Participatie.Consultations.Questionnaires;

namespace Participatie.Consultations.Me;

/// <summary>
/// The questionnaire and poll of a consultation for the resident, in their language: they answer them themselves, by
/// the same rules as the answers partners enter for them (a second answer replaces the first).
/// </summary>
public static class MyQuestionsApi
{
    public static IEndpointRouteBuilder MapMyQuestionsApi(this IEndpointRouteBuilder routes)
    {
        var questionnaire = routes.MapApiGroup("/v1/me/questionnaires/{questionnaireId:guid}", MyConsultationsApi.Tag, AuthenticationExtensions.ResidentPolicy)
            .WithAccessCheck<MyQuestionnaireOnlyAccessCheck>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        questionnaire.MapGet("", GetMyQuestionnaire)
            .WithName("GetMyQuestionnaire")
            .WithSummary("A questionnaire of a consultation for my address, in my language, with my answers if I gave them");
        questionnaire.MapPost("/responses", AnswerMyQuestionnaire)
            .WithName("AnswerMyQuestionnaire")
            .WithSummary("Answer the questionnaire while its consultation is open; answering again replaces my earlier answers")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);

        var poll = routes.MapApiGroup("/v1/me/polls/{pollId:guid}", MyConsultationsApi.Tag, AuthenticationExtensions.ResidentPolicy)
            .WithAccessCheck<MyPollAccessCheck>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        poll.MapGet("", GetMyPoll)
            .WithName("GetMyPoll")
            .WithSummary("A poll of a consultation for my address, in my language, with my choice if I made one");
        poll.MapPost("/responses", AnswerMyPoll)
            .WithName("AnswerMyPoll")
            .WithSummary("Choose an option while its consultation is open; choosing again replaces my earlier choice")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        return routes;
    }

    internal static async Task<Ok<MyQuestionnaireResponse>> GetMyQuestionnaire(MyQuestionnaireSubject subject, [AsParameters] ApiServices services)
    {
        await using var connection = await services.Database.OpenConnectionAsync(services.Cancellation);
        var questions = await QuestionnaireStore.QuestionsAsync(connection, subject.QuestionnaireId, services.Cancellation);
        var mine = await QuestionnaireStore.AnswersOfAsync(connection, subject.QuestionnaireId, subject.Consultation.Me.ResidentId, services.Cancellation);
        var language = subject.Consultation.Me.Language;
        return TypedResults.Ok(new MyQuestionnaireResponse
        {
            Id = subject.QuestionnaireId,
            ConsultationId = subject.Consultation.Consultation.Id,
            Questions = [.. questions!.Select(question => InMyLanguage(question, language))],
            MyAnswers = mine?.Answers,
            MyAnswersLanguage = mine?.Language,
            AnsweredAt = mine?.SubmittedAt,
        });
    }

    internal static async Task<Results<Created<MyAnswers>, Ok<MyAnswers>, ProblemHttpResult>> AnswerMyQuestionnaire(
        MyQuestionnaireSubject subject, SubmitMyAnswersRequest request, [AsParameters] ApiServices services)
    {
        if (ClosedProblem(subject, services) is { } closed)
        {
            return closed;
        }

        var (answers, created, problem) = await QuestionnaireStore.StoreAnswersAsync(
            subject.Consultation.Consultation.Id, QuestionnaireStore.Questionnaire, subject.Consultation.Me.ResidentId, partnerId: null,
            channel: null, request.Language ?? subject.Consultation.Me.Language, request.Answers, services);
        if (problem is not null)
        {
            return problem;
        }

        var mine = new MyAnswers
        {
            QuestionnaireId = subject.QuestionnaireId, Answers = answers!.Answers, Language = answers.Language, SubmittedAt = answers.SubmittedAt,
        };
        return created ? TypedResults.Created($"/v1/me/questionnaires/{subject.QuestionnaireId}", mine) : TypedResults.Ok(mine);
    }

    internal static async Task<Ok<MyPollResponse>> GetMyPoll(MyQuestionnaireSubject subject, [AsParameters] ApiServices services)
    {
        await using var connection = await services.Database.OpenConnectionAsync(services.Cancellation);
        var question = InMyLanguage((await QuestionnaireStore.QuestionsAsync(connection, subject.QuestionnaireId, services.Cancellation))![0], subject.Consultation.Me.Language);
        var mine = await QuestionnaireStore.AnswersOfAsync(connection, subject.QuestionnaireId, subject.Consultation.Me.ResidentId, services.Cancellation);
        return TypedResults.Ok(new MyPollResponse
        {
            Id = subject.QuestionnaireId,
            ConsultationId = subject.Consultation.Consultation.Id,
            Text = question.Text,
            TextLanguage = question.TextLanguage,
            Options = question.Options!,
            MyChoice = mine?.Answers[0].OptionId,
            AnsweredAt = mine?.SubmittedAt,
        });
    }

    internal static async Task<Results<Created<MyPollChoice>, Ok<MyPollChoice>, ProblemHttpResult>> AnswerMyPoll(
        MyQuestionnaireSubject subject, SubmitMyPollResponseRequest request, [AsParameters] ApiServices services)
    {
        if (ClosedProblem(subject, services) is { } closed)
        {
            return closed;
        }

        var (answers, created, problem) = await QuestionnaireStore.StoreAnswersAsync(
            subject.Consultation.Consultation.Id, QuestionnaireStore.Poll, subject.Consultation.Me.ResidentId, partnerId: null,
            channel: null, subject.Consultation.Me.Language, [new AnswerRequest { QuestionId = PollsApi.QuestionId, OptionId = request.OptionId }],
            services, PollsApi.FieldName);
        if (problem is not null)
        {
            return problem;
        }

        var mine = new MyPollChoice { PollId = subject.QuestionnaireId, OptionId = answers!.Answers[0].OptionId!, SubmittedAt = answers.SubmittedAt };
        return created ? TypedResults.Created($"/v1/me/polls/{subject.QuestionnaireId}", mine) : TypedResults.Ok(mine);
    }

    /// <summary>A resident answers only while the consultation is open; partners may still enter paper answers afterwards.</summary>
    private static ProblemHttpResult? ClosedProblem(MyQuestionnaireSubject subject, ApiServices services)
    {
        var consultation = subject.Consultation.Consultation;
        return ConsultationPeriod.IsOpen(consultation.ClosesOn, AmsterdamClock.Today(services.Clock))
            ? null
            : Problems.Unprocessable("consultationId", $"The consultation closed on {consultation.ClosesOn:yyyy-MM-dd}.");
    }

    private static MyQuestion InMyLanguage(QuestionDefinition question, string language)
    {
        var (text, textLanguage) = MyLanguage.PickComplete(question.Texts!, language);
        return new MyQuestion
        {
            Id = question.Id!,
            Type = question.Type!,
            Text = text,
            TextLanguage = textLanguage,
            Options = question.Options?.Select(option => new MyOption { Id = option.Id!, Text = MyLanguage.PickComplete(option.Texts!, language).Text }).ToList(),
        };
    }
}
