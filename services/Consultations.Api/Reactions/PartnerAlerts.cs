using Dapper;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Time;
using Participatie.Contracts;

namespace Participatie.Consultations.Reactions;

/// <summary>
/// Announces, once each, the consultations whose last day passed (<see cref="ConsultationClosed"/>) and the reactions
/// whose answer is overdue (<see cref="ReactionOverdue"/>), for partners' subscriptions. Marking and publishing share
/// one transaction, so an announcement is never lost or doubled, also with two instances at once (the second finds
/// the rows marked once the first commits).
/// </summary>
public static class PartnerAlerts
{
    private const int BatchSize = 500;

    public static async Task<int> AnnounceDueAsync(UnitOfWorkFactory unitOfWork, TimeProvider clock, CancellationToken cancellationToken)
    {
        var today = AmsterdamClock.Today(clock);
        var now = clock.GetUtcNow();
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        var closed = (await work.Connection.QueryAsync<(Guid Id, Guid? TrajectoryId, DateOnly ClosesOn)>(new CommandDefinition(
            """
            UPDATE consultations SET closing_announced_at = @Now
            WHERE id IN (SELECT id FROM consultations WHERE closing_announced_at IS NULL AND closes_on < @Today LIMIT @BatchSize)
              AND closing_announced_at IS NULL
            RETURNING id, trajectory_id, closes_on
            """,
            new { Now = now, Today = today, BatchSize }, work.Transaction, cancellationToken: cancellationToken))).AsList();
        var overdue = (await work.Connection.QueryAsync<(Guid Id, Guid ConsultationId, Guid? TrajectoryId, DateOnly AnswerDueOn)>(new CommandDefinition(
            $"""
            UPDATE reactions r SET overdue_announced_at = @Now
            FROM consultations c
            WHERE c.id = r.consultation_id
              AND r.id IN (SELECT id FROM reactions WHERE overdue_announced_at IS NULL AND {ReactionStore.OverdueFilter} LIMIT @BatchSize)
              AND r.overdue_announced_at IS NULL
            RETURNING r.id, r.consultation_id, c.trajectory_id, r.answer_due_on
            """,
            new { Now = now, Today = today, BatchSize }, work.Transaction, cancellationToken: cancellationToken))).AsList();

        // Consultations from before trajectories existed belong to none: no partner subscribed to them.
        await work.PublishManyAsync(
            [.. closed.Where(c => c.TrajectoryId is not null).Select(c => new ConsultationClosed(c.Id, c.TrajectoryId!.Value, c.ClosesOn, now))],
            cancellationToken);
        await work.PublishManyAsync(
            [.. overdue.Where(r => r.TrajectoryId is not null).Select(r => new ReactionOverdue(r.Id, r.ConsultationId, r.TrajectoryId!.Value, r.AnswerDueOn, now))],
            cancellationToken);
        await work.CommitAsync(cancellationToken);
        return closed.Count + overdue.Count;
    }
}
