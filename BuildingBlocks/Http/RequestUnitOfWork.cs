using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Participatie.BuildingBlocks.Data;

namespace Participatie.BuildingBlocks.Http;

/// <summary>
/// One unit of work for a whole request, begun by whoever needs it first (a route access check that locks what it
/// read) and continued by the handler, so that what the check decided holds until the handler commits. Disposed, and
/// so rolled back unless committed, when the request ends.
/// </summary>
public static class RequestUnitOfWork
{
    private static readonly object Key = new();

    public static async Task<UnitOfWork> UnitOfWorkAsync(this HttpContext context)
    {
        if (context.Items.TryGetValue(Key, out var begun))
        {
            return (UnitOfWork)begun!;
        }

        var work = await context.RequestServices.GetRequiredService<UnitOfWorkFactory>().BeginAsync(context.RequestAborted);
        context.Response.RegisterForDisposeAsync(work);
        context.Items[Key] = work;
        return work;
    }
}
