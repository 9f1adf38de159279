using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Participatie.BuildingBlocks.Http;

/// <summary>What an endpoint asks of the caller beyond seeing what its route is about, for example "contribute".</summary>
public sealed record AccessRequirement(string Permission);

/// <summary>Decides, for every endpoint of a route group, whether the caller may reach it.</summary>
public interface IRouteAccessCheck
{
    /// <summary>The problem to answer instead of running the endpoint, or null to run it.</summary>
    Task<IResult?> CheckAsync(HttpContext context);
}

/// <summary>
/// Access decided once for a whole route group: the group names its check (<see cref="RouteAccess.WithAccessCheck{TCheck}"/>),
/// and before the endpoint runs (before its parameters are bound) the check loads what the route is about as the
/// caller may see it, answers 404 when the caller may not see it and 403 when the endpoint's
/// <see cref="AccessRequirement"/> is not met, and leaves it in the request for the handler, which takes it as a
/// parameter (the subject's <c>BindAsync</c> calls <see cref="RouteAccess.Loaded{TSubject}"/>).
/// </summary>
public abstract class RouteAccessCheck<TSubject>(string routeParameter, string resource) : IRouteAccessCheck
    where TSubject : class
{
    public async Task<IResult?> CheckAsync(HttpContext context)
    {
        // The route's {id:guid} constraint has already rejected anything else.
        var id = Guid.Parse((string)context.Request.RouteValues[routeParameter]!);
        var subject = await LoadAsync(context, id, context.RequestAborted);
        if (subject is null)
        {
            return Problems.NotFound(resource, id);
        }

        if (context.GetEndpoint()?.Metadata.GetMetadata<AccessRequirement>() is { } requirement
            && Refuse(subject, requirement.Permission, context.User) is { } reason)
        {
            return Problems.Forbidden(reason);
        }

        context.Items[typeof(TSubject)] = subject;
        return null;
    }

    /// <summary>The subject as the caller may see it, or null when it does not exist for the caller.</summary>
    protected abstract Task<TSubject?> LoadAsync(HttpContext context, Guid id, CancellationToken cancellationToken);

    /// <summary>Why the caller lacks the permission, or null when it has it.</summary>
    protected abstract string? Refuse(TSubject subject, string permission, ClaimsPrincipal user);
}

public static class RouteAccess
{
    private static readonly ConcurrentDictionary<Type, ObjectFactory> Factories = new();

    /// <summary>Every endpoint of the group is reached only past this check.</summary>
    public static RouteGroupBuilder WithAccessCheck<TCheck>(this RouteGroupBuilder group)
        where TCheck : IRouteAccessCheck =>
        group.WithMetadata(new RouteAccessMetadata(typeof(TCheck)));

    /// <summary>Only callers with this permission on what the route is about reach the handler; others get 403.</summary>
    public static RouteHandlerBuilder Requires(this RouteHandlerBuilder endpoint, string permission) =>
        endpoint.WithMetadata(new AccessRequirement(permission));

    /// <summary>What the route group's access check loaded for this request.</summary>
    public static ValueTask<TSubject?> Loaded<TSubject>(HttpContext context)
        where TSubject : class =>
        ValueTask.FromResult<TSubject?>(context.Items[typeof(TSubject)] as TSubject
            ?? throw new InvalidOperationException($"No {typeof(TSubject).Name} was loaded: its route group lacks the access check."));

    /// <summary>Runs the access check of the endpoint's route group, after authentication and authorization.</summary>
    public static IApplicationBuilder UseRouteAccess(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (context.GetEndpoint()?.Metadata.GetMetadata<RouteAccessMetadata>() is { } metadata)
            {
                var factory = Factories.GetOrAdd(metadata.CheckType, type => ActivatorUtilities.CreateFactory(type, Type.EmptyTypes));
                var check = (IRouteAccessCheck)factory(context.RequestServices, null);
                if (await check.CheckAsync(context) is { } refusal)
                {
                    await refusal.ExecuteAsync(context);
                    return;
                }
            }

            await next(context);
        });

    private sealed record RouteAccessMetadata(Type CheckType);
}
