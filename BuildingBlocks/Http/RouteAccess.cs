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
    /// <summary>
    /// The problem to answer instead of running the endpoint, or null to run it. What it loaded for the handler it
    /// leaves with <see cref="RouteAccess.Admit{TSubject}"/>.
    /// </summary>
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
        var id = RouteAccess.RouteId(context, routeParameter);
        var subject = await LoadAsync(context, id, context.RequestAborted);
        if (subject is null)
        {
            return Problems.NotFound(resource, id);
        }

        if (RouteAccess.RequiredPermission(context) is { } permission && Refuse(subject, permission, context.User) is { } reason)
        {
            return Problems.Forbidden(reason);
        }

        RouteAccess.Admit(context, subject);
        return null;
    }

    /// <summary>The subject as the caller may see it, or null when it does not exist for the caller.</summary>
    protected abstract Task<TSubject?> LoadAsync(HttpContext context, Guid id, CancellationToken cancellationToken);

    /// <summary>Why the caller lacks the permission, or null when it has it.</summary>
    protected abstract string? Refuse(TSubject subject, string permission, ClaimsPrincipal user);
}

/// <summary>
/// The one mechanism for access per route group. A route with several ids nests its groups, each naming a check for
/// its own id; the checks run from the outermost group inwards, each can read what the ones before it loaded, and the
/// first refusal ends the round. A check that must hold what it read until the handler is done (a lock) works in the
/// request's unit of work (<see cref="RequestUnitOfWork.UnitOfWorkAsync"/>), in which the handler goes on.
/// </summary>
public static class RouteAccess
{
    private static readonly ConcurrentDictionary<Type, ObjectFactory> Factories = new();

    /// <summary>Every endpoint of the group is reached only past this check, created per request from the services.</summary>
    public static RouteGroupBuilder WithAccessCheck<TCheck>(this RouteGroupBuilder group)
        where TCheck : IRouteAccessCheck =>
        group.WithMetadata(new RouteAccessMetadata(
            services => (IRouteAccessCheck)Factories.GetOrAdd(typeof(TCheck), type => ActivatorUtilities.CreateFactory(type, Type.EmptyTypes))(services, null)));

    /// <summary>Every endpoint of the group is reached only past this check, one instance for all requests.</summary>
    public static RouteGroupBuilder WithAccessCheck(this RouteGroupBuilder group, IRouteAccessCheck check) =>
        group.WithMetadata(new RouteAccessMetadata(_ => check));

    /// <summary>Only callers with this permission on what the route is about reach the handler; others get 403.</summary>
    public static RouteHandlerBuilder Requires(this RouteHandlerBuilder endpoint, string permission) =>
        endpoint.WithMetadata(new AccessRequirement(permission));

    /// <summary>The permission the endpoint requires (<see cref="Requires"/>), or null when seeing its subject is enough.</summary>
    public static string? RequiredPermission(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<AccessRequirement>()?.Permission;

    /// <summary>A route id; the route's {id:guid} constraint has already rejected anything else.</summary>
    public static Guid RouteId(HttpContext context, string routeParameter) =>
        Guid.Parse((string)context.Request.RouteValues[routeParameter]!);

    /// <summary>Leaves what a check loaded in the request, for the handler (and for the checks of inner groups).</summary>
    public static void Admit<TSubject>(HttpContext context, TSubject subject)
        where TSubject : class =>
        context.Items[typeof(TSubject)] = subject;

    /// <summary>What an access check admitted for this request, or null when no check of its route loaded one.</summary>
    public static TSubject? Find<TSubject>(HttpContext context)
        where TSubject : class =>
        context.Items.TryGetValue(typeof(TSubject), out var subject) ? (TSubject?)subject : null;

    /// <summary>What the route group's access check loaded for this request.</summary>
    public static ValueTask<TSubject?> Loaded<TSubject>(HttpContext context)
        where TSubject : class =>
        ValueTask.FromResult<TSubject?>(Find<TSubject>(context)
            ?? throw new InvalidOperationException($"No {typeof(TSubject).Name} was loaded: its route group lacks the access check."));

    /// <summary>Runs the access checks of the endpoint's route groups, after authentication and authorization.</summary>
    public static IApplicationBuilder UseRouteAccess(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            foreach (var metadata in context.GetEndpoint()?.Metadata.GetOrderedMetadata<RouteAccessMetadata>() ?? [])
            {
                // Refused before the endpoint binds its parameters: an outsider learns nothing, not even about its body.
                if (await metadata.Create(context.RequestServices).CheckAsync(context) is { } refusal)
                {
                    await refusal.ExecuteAsync(context);
                    return;
                }
            }

            await next(context);
        });

    private sealed record RouteAccessMetadata(Func<IServiceProvider, IRouteAccessCheck> Create);
}
