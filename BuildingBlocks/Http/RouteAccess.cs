using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Participatie.BuildingBlocks.Http;

/// <summary>What an endpoint asks of the caller beyond seeing what its route is about, for example "contribute".</summary>
public sealed record AccessRequirement(string Permission);

public static class RouteAccess
{
    /// <summary>Only callers with this permission on what the route is about reach the handler; others get 403.</summary>
    public static RouteHandlerBuilder Requires(this RouteHandlerBuilder endpoint, string permission) =>
        endpoint.WithMetadata(new AccessRequirement(permission));

    /// <summary>What the route group's access filter loaded for this request.</summary>
    public static ValueTask<TSubject?> Loaded<TSubject>(HttpContext context)
        where TSubject : class =>
        ValueTask.FromResult<TSubject?>(context.Items[typeof(TSubject)] as TSubject
            ?? throw new InvalidOperationException($"No {typeof(TSubject).Name} was loaded: its route group lacks the access filter."));
}

/// <summary>
/// Decides access once for a whole route group: loads what the route is about (named by a route parameter) as the
/// caller may see it, answers 404 when the caller may not see it and 403 when the endpoint's
/// <see cref="AccessRequirement"/> is not met, and leaves it for the handler, which takes it as a parameter
/// (the subject's <c>BindAsync</c> calls <see cref="RouteAccess.Loaded{TSubject}"/>).
/// </summary>
public abstract class RouteAccessFilter<TSubject>(string routeParameter, string resource) : IEndpointFilter
    where TSubject : class
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        // The route's {id:guid} constraint has already rejected anything else.
        var id = Guid.Parse((string)http.Request.RouteValues[routeParameter]!);
        var subject = await LoadAsync(http, id, http.RequestAborted);
        if (subject is null)
        {
            return Problems.NotFound(resource, id);
        }

        if (http.GetEndpoint()?.Metadata.GetMetadata<AccessRequirement>() is { } requirement
            && Refuse(subject, requirement.Permission, http.User) is { } reason)
        {
            return Problems.Forbidden(reason);
        }

        http.Items[typeof(TSubject)] = subject;
        return await next(context);
    }

    /// <summary>The subject as the caller may see it, or null when it does not exist for the caller.</summary>
    protected abstract Task<TSubject?> LoadAsync(HttpContext context, Guid id, CancellationToken cancellationToken);

    /// <summary>Why the caller lacks the permission, or null when it has it.</summary>
    protected abstract string? Refuse(TSubject subject, string permission, ClaimsPrincipal user);
}
