using Dapper;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Time;
using Participatie.Contracts;

namespace Participatie.PartnerCoordination.Coordination;

/// <summary>
/// Announces each unfinished task whose due date passed (<see cref="TaskOverdue"/>), once per due date, for partners'
/// subscriptions. Marking and publishing share one transaction: never lost, never doubled, also on two instances.
/// </summary>
public static class OverdueTaskAlerts
{
    private const int BatchSize = 500;

    public static async Task<int> AnnounceDueAsync(UnitOfWorkFactory unitOfWork, TimeProvider clock, CancellationToken cancellationToken)
    {
        var today = AmsterdamClock.Today(clock);
        var now = clock.GetUtcNow();
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        var overdue = (await work.Connection.QueryAsync<(Guid Id, Guid TrajectoryId, Guid AssigneePartnerId, DateOnly DueDate)>(new CommandDefinition(
            """
            UPDATE trajectory_tasks SET overdue_announced_for = due_date
            WHERE id IN (
                SELECT id FROM trajectory_tasks
                WHERE status IN ('open', 'in-progress') AND due_date < @Today AND overdue_announced_for IS DISTINCT FROM due_date
                LIMIT @BatchSize)
              AND overdue_announced_for IS DISTINCT FROM due_date
            RETURNING id, trajectory_id, assignee_partner_id, due_date
            """,
            new { Today = today, BatchSize }, work.Transaction, cancellationToken: cancellationToken))).AsList();
        await work.PublishManyAsync(
            [.. overdue.Select(task => new TaskOverdue(task.Id, task.TrajectoryId, task.AssigneePartnerId, task.DueDate, now))], cancellationToken);
        await work.CommitAsync(cancellationToken);
        return overdue.Count;
    }
}
