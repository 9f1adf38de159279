using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Participatie.BuildingBlocks.Http;

/// <summary>
/// Turns a request the framework could not bind (malformed JSON, a value of the wrong type, a missing body)
/// into a 400 problem that names the offending field, instead of a bare error.
/// </summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }

        var errors = new Dictionary<string, string[]>();
        if (badRequest.InnerException is JsonException json)
        {
            errors[FieldName(json.Path)] = [json.Message];
        }
        else
        {
            errors["body"] = [badRequest.Message];
        }

        httpContext.Response.StatusCode = badRequest.StatusCode;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new HttpValidationProblemDetails(errors)
            {
                Status = badRequest.StatusCode,
                Title = badRequest.StatusCode == StatusCodes.Status413PayloadTooLarge
                    ? "The request body is too large."
                    : "The request could not be read.",
                Detail = badRequest.Message,
                Type = badRequest.StatusCode == StatusCodes.Status413PayloadTooLarge
                    ? "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.14"
                    : "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.1",
            },
        });
    }

    /// <summary>"$.resident.language" becomes "resident.language".</summary>
    private static string FieldName(string? jsonPath) =>
        string.IsNullOrEmpty(jsonPath) || jsonPath == "$" ? "body" : jsonPath.TrimStart('$', '.');
}
