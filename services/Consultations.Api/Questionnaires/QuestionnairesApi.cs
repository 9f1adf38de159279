using System.Security.Claims;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.Consultations.Consultations;
using Participatie.Consultations.Domain;
using Participatie.Consultations.Reactions;
using Participatie.Contracts;

namespace Participatie.Consultations.Questionnaires;

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
            .WithConsultationAccess()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPut("", SetQuestionnaire)
            .Requires(ConsultationPermissions.Answer)
            .WithName("SetQuestionnaire")
            .WithSummary("Give a consultation its questionnaire, or change it while nobody has answered (those who answer its reactions)")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("", GetQuestionnaire)
            .WithName("GetQuestionnaire")
            .WithSummary("Read a consultation's questionnaire with its questions in every language");
        api.MapPost("/responses", SubmitQuestionnaireResponse)
            .Requires(ConsultationPermissions.Contribute)
            .WithName("SubmitQuestionnaireResponse")
            .WithSummary("Enter a resident's answers; a resident's second response replaces the first (a partner replaces only what it entered itself: 409 otherwise); 422 for a resident who was erased, is outside the consultation's audience or is not known to this service yet")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesValidationProblem(StatusCodes.Status409Conflict);
        api.MapGet("/results", GetQuestionnaireResults)
            .WithName("GetQuestionnaireResults")
            .WithSummary("Count the answers: per option how often it was chosen, and the open answers without who gave them")
            .WithDescription(SmallCount.Rule);
        return routes;
    }

    internal static Task<Results<Created<QuestionnaireResponse>, Ok<QuestionnaireResponse>, ProblemHttpResult>> SetQuestionnaire(
        VisibleConsultation visible, SetQuestionnaireRequest request, [AsParameters] ApiServices services) =>
        QuestionnaireStore.SetAsync(visible, QuestionnaireStore.Questionnaire, request.Questions, services);

    internal static Task<Results<Ok<QuestionnaireResponse>, ProblemHttpResult>> GetQuestionnaire(
        VisibleConsultation visible, [AsParameters] ApiServices services) =>
        QuestionnaireStore.GetAsync(visible, QuestionnaireStore.Questionnaire, services);

    internal static Task<Results<Created<QuestionnaireAnswers>, Ok<QuestionnaireAnswers>, ProblemHttpResult>> SubmitQuestionnaireResponse(
        VisibleConsultation visible, SubmitQuestionnaireResponseRequest request, [AsParameters] ApiServices services) =>
        QuestionnaireStore.SubmitAsync(
            visible, QuestionnaireStore.Questionnaire, request.ResidentId, request.Channel, request.Language, request.Answers, services);

    internal static Task<Results<Ok<QuestionnaireResults>, ProblemHttpResult>> GetQuestionnaireResults(
        VisibleConsultation visible, [AsParameters] ApiServices services) =>
        QuestionnaireStore.ResultsAsync(visible, QuestionnaireStore.Questionnaire, services);
}
