using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http.HttpResults;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.PartnerCoordination.Trajectories;

namespace Participatie.PartnerCoordination.Coordination;

/// <summary>The item a route under its id is about, loaded once by <see cref="OwnedItemFilter"/>, with the unit of work to go on in.</summary>
public sealed record OwnedItem<TItem>(TItem Item, UnitOfWork Work)
    where TItem : class
{
    internal static readonly object ItemKey = new();

    /// <summary>What binding hands over: binding runs before the filters, and the filter puts the loaded item in its place.</summary>
    private static readonly OwnedItem<TItem> NotYetLoaded = new(null!, null!);

    [SuppressMessage("Design", "CA1000", Justification = "Minimal APIs bind a parameter through a static BindAsync on its own type.")]
    public static ValueTask<OwnedItem<TItem>?> BindAsync(HttpContext context) =>
        ValueTask.FromResult<OwnedItem<TItem>?>(context.Items.TryGetValue(ItemKey, out var item) ? (OwnedItem<TItem>)item! : NotYetLoaded);
}

/// <summary>
/// One filter for the routes under an owned item's id: it finds the item once (404 when there is none, in the
/// trajectory of the route), and for a change locks it and lets only its owner through (403), or whom the route's
/// own rule names (<see cref="ChangedBy{TItem}"/>).
/// </summary>
public static class OwnedItemFilter
{
    public static RouteGroupBuilder MapOwnedItem<TItem>(this RouteGroupBuilder items, string prefix, string idRouteKey, OwnedItemStore<TItem> store)
        where TItem : class =>
        items.MapGroup($"{prefix}/{{{idRouteKey}:guid}}").AddEndpointFilterFactory((factory, next) => Create(factory, next, idRouteKey, store));

    public static RouteHandlerBuilder ChangedBy<TItem>(this RouteHandlerBuilder endpoint, Func<TItem, Guid?, ProblemHttpResult?> rule)
        where TItem : class =>
        endpoint.WithMetadata(new ItemChangeRule<TItem>(rule));

    private static EndpointFilterDelegate Create<TItem>(
        EndpointFilterFactoryContext factory, EndpointFilterDelegate next, string idRouteKey, OwnedItemStore<TItem> store)
        where TItem : class
    {
        var itemArgument = Array.FindIndex(factory.MethodInfo.GetParameters(), parameter => parameter.ParameterType == typeof(OwnedItem<TItem>));
        return async context =>
        {
            var http = context.HttpContext;
            var refuseChange = http.GetEndpoint()?.Metadata.GetMetadata<ItemChangeRule<TItem>>()?.Refuse ?? store.RefuseChange;
            var id = Guid.Parse((string)http.Request.RouteValues[idRouteKey]!);
            var caller = http.Items.TryGetValue(TrajectoryCaller.ItemKey, out var loaded) ? (TrajectoryCaller)loaded! : null;
            // Items of no trajectory (best practices) have no unit of work from the trajectory's filter: they get their own.
            await using var ownWork = caller is null
                ? await http.RequestServices.GetRequiredService<UnitOfWorkFactory>().BeginAsync(http.RequestAborted)
                : null;
            var work = caller?.Work ?? ownWork!;
            var forChange = !HttpMethods.IsGet(http.Request.Method);
            var item = await store.FindAsync(work, caller?.TrajectoryId, id, forChange, http.RequestAborted);
            if (item is null)
            {
                return Problems.NotFound(store.Name, id);
            }

            if (forChange && refuseChange(item, http.User.GetPartnerId()) is { } refused)
            {
                return refused;
            }

            var owned = new OwnedItem<TItem>(item, work);
            http.Items[OwnedItem<TItem>.ItemKey] = owned;
            if (itemArgument >= 0)
            {
                context.Arguments[itemArgument] = owned;
            }

            return await next(context);
        };
    }

    /// <summary>Endpoint metadata: who, besides or instead of the owner, may make this route's change.</summary>
    private sealed record ItemChangeRule<TItem>(Func<TItem, Guid?, ProblemHttpResult?> Refuse);
}
