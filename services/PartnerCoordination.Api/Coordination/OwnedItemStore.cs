using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;

namespace Participatie.PartnerCoordination.Coordination;

/// <summary>
/// Where one kind of item that a partner owns is kept (tasks, agreements, the agenda, the communication plan,
/// interests, private notes, best practices): finding one, a page of them, deleting one, and who may change one.
/// Each kind gives only its own table, columns and owner rule; its inserts and updates stay with its endpoints.
/// </summary>
public sealed class OwnedItemStore<TItem>
    where TItem : class
{
    /// <summary>The item's name in problems: "task", "communication plan entry".</summary>
    public required string Name { get; init; }

    /// <summary>The table, with an alias when <see cref="Select"/> joins another.</summary>
    public required string Table { get; init; }

    /// <summary>SELECT ... FROM ..., naming the columns as the item's properties.</summary>
    public required string Select { get; init; }

    public string IdColumn { get; init; } = "id";

    /// <summary>The column that holds the trajectory; null for items that belong to none.</summary>
    public string? TrajectoryColumn { get; init; } = "trajectory_id";

    /// <summary>How a change locks the item until its transaction ends.</summary>
    public string LockClause { get; init; } = "FOR UPDATE";

    /// <summary>The partner that owns an item; none for items that no other partner ever finds (private notes).</summary>
    public Func<TItem, Guid>? Owner { get; init; }

    /// <summary>Why another partner may not change it (403).</summary>
    public string OwnerOnly { get; init; } = "Only the partner that recorded this changes it.";

    /// <summary>The item in the trajectory (or anywhere, for items of no trajectory); for a change, locked.</summary>
    public Task<TItem?> FindAsync(UnitOfWork work, Guid? trajectoryId, Guid id, bool forChange, CancellationToken cancellationToken)
    {
        var inTrajectory = TrajectoryColumn is null ? string.Empty : $"AND {TrajectoryColumn} = @TrajectoryId";
        return work.Connection.QuerySingleOrDefaultAsync<TItem>(new CommandDefinition(
            $"{Select} WHERE {IdColumn} = @Id {inTrajectory} {(forChange ? LockClause : string.Empty)}",
            new { Id = id, TrajectoryId = trajectoryId }, work.Transaction, cancellationToken: cancellationToken));
    }

    /// <summary>One page of the items the condition (a WHERE clause over <see cref="Table"/>) selects, in the order given.</summary>
    public Task<Page<TItem>> PageAsync(
        UnitOfWork work, PageQuery page, string condition, string orderBy, object parameters, CancellationToken cancellationToken)
    {
        var arguments = new DynamicParameters(parameters);
        arguments.Add("Offset", page.Offset);
        arguments.Add("Size", page.Size);
        return work.Connection.QueryPageAsync<TItem>(page, new CommandDefinition(
            $"""
            {Select} {condition} ORDER BY {orderBy} OFFSET @Offset LIMIT @Size;
            SELECT count(*) FROM {Table} {condition};
            """,
            arguments, work.Transaction, cancellationToken: cancellationToken));
    }

    public Task DeleteAsync(UnitOfWork work, Guid id, CancellationToken cancellationToken) =>
        work.Connection.ExecuteAsync(new CommandDefinition(
            $"DELETE FROM {Table} WHERE {IdColumn} = @Id", new { Id = id }, work.Transaction, cancellationToken: cancellationToken));

    /// <summary>Null when the partner may change the item: the partner that owns it; otherwise 403.</summary>
    public ProblemHttpResult? RefuseChange(TItem item, Guid? partnerId) =>
        Owner is not null && Owner(item) == partnerId ? null : Problems.Forbidden(OwnerOnly);
}
