using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Participatie.BuildingBlocks.Http;

/// <summary>
/// What a request was about was there when its access was decided and gone when the handler locked it: deleted or
/// erased by a concurrent request (found by the fuzz drill: a move while the same resident was erased). A 404 naming
/// the route parameter, as the access check would have answered a moment later, not a 500.
/// </summary>
public sealed class GoneMeanwhileException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}

internal sealed class GoneMeanwhileExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not GoneMeanwhileException gone)
        {
            return false;
        }

        httpContext.Response.StatusCode = StatusCodes.Status404NotFound;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [gone.Field] = [gone.Message] })
            {
                Status = StatusCodes.Status404NotFound,
                Title = "Not found.",
                Detail = gone.Message,
                Type = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5",
            },
        });
    }
}
