using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Participatie.BuildingBlocks.Http;

/// <summary>
/// Turns a request the framework could not bind (malformed JSON, a value of the wrong type, an unknown field, a
/// missing body, a query parameter that is not a number) into a 400 problem that names the offending field or
/// parameter as the client sent it, in plain words and never with a .NET type name.
/// </summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }

        var tooLarge = badRequest.StatusCode == StatusCodes.Status413PayloadTooLarge;
        var (field, message) = tooLarge
            ? ("body", "The body is larger than this endpoint accepts.")
            : BindingFailures.Describe(badRequest, httpContext);
        httpContext.Response.StatusCode = badRequest.StatusCode;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
            {
                Status = badRequest.StatusCode,
                Title = tooLarge ? "The request body is too large." : "The request could not be read.",
                Detail = message,
                Type = tooLarge
                    ? "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.14"
                    : "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.1",
            },
        });
    }
}
