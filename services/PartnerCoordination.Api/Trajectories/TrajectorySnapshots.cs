using Dapper;
using Participatie.BuildingBlocks.Data;
using Participatie.Contracts;

namespace Participatie.PartnerCoordination.Trajectories;

/// <summary>
/// Announces every change of a trajectory and its membership as a snapshot with a version (<see cref="TrajectoryChanged"/>),
/// through the outbox in the transaction of the change. Other services decide access from these snapshots, so each one
/// is read after the change, in its transaction: complete, and never older than its version says.
/// </summary>
internal static class TrajectorySnapshots
{
    /// <summary>The version a new trajectory starts at: its creation is its first change.</summary>
    public const long FirstVersion = 1;

    /// <summary>
    /// Raises the trajectory's version and returns it: the first change a change makes. Its row lock (taken already by
    /// <see cref="TrajectoryAccessFilter"/> for a manager's change) makes changes of one trajectory wait for each other,
    /// so versions follow the commit order and each snapshot includes the changes committed before it.
    /// </summary>
    public static Task<long> NextVersionAsync(UnitOfWork work, Guid trajectoryId, CancellationToken cancellationToken) =>
        work.Connection.QuerySingleAsync<long>(new CommandDefinition(
            "UPDATE trajectories SET version = version + 1 WHERE id = @TrajectoryId RETURNING version",
            new { TrajectoryId = trajectoryId }, work.Transaction, cancellationToken: cancellationToken));

    /// <summary>Records the trajectory as it now is, with all its members, in the outbox.</summary>
    public static async Task PublishAsync(
        UnitOfWork work, Guid trajectoryId, string change, long version, DateTimeOffset changedAt, CancellationToken cancellationToken)
    {
        var trajectory = await work.Connection.QuerySingleAsync<(string Name, string[] BuurtCodes, Guid LeadPartnerId)>(new CommandDefinition(
            "SELECT name, buurt_codes, lead_partner_id FROM trajectories WHERE id = @TrajectoryId",
            new { TrajectoryId = trajectoryId }, work.Transaction, cancellationToken: cancellationToken));
        var members = await work.Connection.QueryAsync<(Guid PartnerId, string Role)>(new CommandDefinition(
            "SELECT partner_id, role FROM trajectory_members WHERE trajectory_id = @TrajectoryId ORDER BY joined_at, partner_id",
            new { TrajectoryId = trajectoryId }, work.Transaction, cancellationToken: cancellationToken));
        await work.PublishAsync(
            new TrajectoryChanged(
                trajectoryId,
                change,
                version,
                trajectory.Name,
                trajectory.BuurtCodes,
                trajectory.LeadPartnerId,
                [.. members.Select(member => new Contracts.TrajectoryMember(member.PartnerId, member.Role))],
                changedAt),
            cancellationToken);
    }
}
