using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Participatie.BuildingBlocks.Http;

/// <summary>The problem+json answers that handlers return, worded alike across services.</summary>
public static class Problems
{
    public static ProblemHttpResult NotFound(string resource, Guid id) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status404NotFound,
            title: $"The {resource} was not found.",
            detail: $"There is no {resource} with id '{id}'.",
            type: "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5");

    /// <summary>403: the caller is known but this is not theirs to see or change.</summary>
    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "This is not yours to see or change.",
            detail: detail,
            type: "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4");

    /// <summary>
    /// 422: a well-formed request that refers to something that does not exist or is in the wrong state, naming
    /// the field. (TypedResults.ValidationProblem would always answer 400.)
    /// </summary>
    public static ProblemHttpResult Unprocessable(string field, string message) =>
        TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "The request cannot be processed.",
            Type = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.21",
        });
}
