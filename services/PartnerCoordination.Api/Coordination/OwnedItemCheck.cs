using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http.HttpResults;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.PartnerCoordination.Trajectories;

namespace Participatie.PartnerCoordination.Coordination;

/// <summary>The item a route under its id is about, loaded once by <see cref="OwnedItemCheck{TItem}"/>, with the unit of work to go on in.</summary>
public sealed record OwnedItem<TItem>(TItem Item, UnitOfWork Work)
    where TItem : class
{
    [SuppressMessage("Design", "CA1000", Justification = "Minimal APIs bind a parameter through a static BindAsync on its own type.")]
    public static ValueTask<OwnedItem<TItem>?> BindAsync(HttpContext context) => RouteAccess.Loaded<OwnedItem<TItem>>(context);
}

/// <summary>
/// One access check for the routes under an owned item's id: it finds the item once (404 when there is none, in the
/// trajectory of the route), and for a change locks it and lets only its owner through (403), or whom the route's
/// own rule names (<see cref="OwnedItems.ChangedBy{TItem}"/>). Inside a trajectory it runs after the trajectory's check,
/// in the same request unit of work.
/// </summary>
public sealed class OwnedItemCheck<TItem>(string idRouteKey, OwnedItemStore<TItem> store) : IRouteAccessCheck
    where TItem : class
{
    public async Task<IResult?> CheckAsync(HttpContext context)
    {
        var refuseChange = context.GetEndpoint()?.Metadata.GetMetadata<ItemChangeRule<TItem>>()?.Refuse ?? store.RefuseChange;
        var id = RouteAccess.RouteId(context, idRouteKey);
        var trajectoryId = RouteAccess.Find<TrajectoryCaller>(context)?.TrajectoryId;
        // Items of no trajectory (best practices) have no trajectory check before them: they begin the unit of work.
        var work = await context.UnitOfWorkAsync();
        var forChange = !HttpMethods.IsGet(context.Request.Method);
        var item = await store.FindAsync(work, trajectoryId, id, forChange, context.RequestAborted);
        if (item is null)
        {
            return Problems.NotFound(store.Name, id);
        }

        if (forChange && refuseChange(item, context.User.GetPartnerId()) is { } refused)
        {
            return refused;
        }

        RouteAccess.Admit(context, new OwnedItem<TItem>(item, work));
        return null;
    }
}

/// <summary>Endpoint metadata: who, besides or instead of the owner, may make this route's change.</summary>
internal sealed record ItemChangeRule<TItem>(Func<TItem, Guid?, ProblemHttpResult?> Refuse);

public static class OwnedItems
{
    /// <summary>The routes under one owned item's id, past its <see cref="OwnedItemCheck{TItem}"/>.</summary>
    public static RouteGroupBuilder MapOwnedItem<TItem>(this RouteGroupBuilder items, string prefix, string idRouteKey, OwnedItemStore<TItem> store)
        where TItem : class =>
        items.MapGroup($"{prefix}/{{{idRouteKey}:guid}}")
            .WithAccessCheck(new OwnedItemCheck<TItem>(idRouteKey, store));

    public static RouteHandlerBuilder ChangedBy<TItem>(this RouteHandlerBuilder endpoint, Func<TItem, Guid?, ProblemHttpResult?> rule)
        where TItem : class =>
        endpoint.WithMetadata(new ItemChangeRule<TItem>(rule));
}
