using Dapper;
using Participatie.BuildingBlocks.Data;

namespace Participatie.Residents.DataRights;

/// <summary>
/// What keeps a resident from being anonymised by retention (<c>last_activity_at</c>): besides a change of their data
/// (the trigger of migration 0011), every action of the resident's own, recorded here by the handler that sees it, at
/// the service's clock.
/// </summary>
public static class ResidentActivity
{
    public static Task<int> RecordAsync(UnitOfWork work, IReadOnlyCollection<Guid> residentIds, DateTimeOffset at, CancellationToken cancellationToken) =>
        work.Connection.ExecuteAsync(new CommandDefinition(
            // Rows locked in id order, so that two bulk registrations touching the same residents wait instead of deadlocking.
            """
            UPDATE residents SET last_activity_at = greatest(last_activity_at, @At)
            WHERE id IN (SELECT id FROM residents WHERE id = ANY(@Ids) ORDER BY id FOR NO KEY UPDATE)
            """,
            new { Ids = residentIds.Distinct().ToArray(), At = at }, work.Transaction, cancellationToken: cancellationToken));
}
