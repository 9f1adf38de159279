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

    /// <summary>A well-formed request that refers to something that does not exist or is in the wrong state.</summary>
    public static ValidationProblem Unprocessable(string field, string message) =>
        TypedResults.ValidationProblem(
            new Dictionary<string, string[]> { [field] = [message] },
            title: "The request cannot be processed.",
            type: "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.21");
}
