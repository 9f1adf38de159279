using Dapper;
using Npgsql;
using Participatie.BuildingBlocks.Data;
using Participatie.Contracts;

namespace Participatie.BuildingBlocks.Trajectories;

/// <summary>A trajectory as the calling partner sees it, with its role in it.</summary>
public sealed record TrajectoryView(Guid Id, string Name, IReadOnlyList<string> BuurtCodes, Guid LeadPartnerId, string Role);

/// <summary>
/// This service's projection of the trajectories and their members (<see cref="TrajectoryChanged"/>), which answers
/// every access question locally: no call to partner coordination while a request waits. A partner that is not a
/// member of a trajectory (or the platform operator, who takes part in none) gets no view of it.
/// </summary>
public static class TrajectoryProjection
{
    /// <summary>The trajectories the caller (<c>@CallerPartnerId</c>) takes part in, as a subquery for list filters.</summary>
    public const string CallerTrajectories =
        "SELECT trajectory_id FROM trajectory_member_projection WHERE partner_id = @CallerPartnerId";

    public static async Task<TrajectoryView?> FindAsync(
        NpgsqlConnection connection, Guid trajectoryId, Guid? callerPartnerId, CancellationToken cancellationToken) =>
        callerPartnerId is null
            ? null
            : await connection.QuerySingleOrDefaultAsync<TrajectoryView>(new CommandDefinition(
                """
                SELECT t.id, t.name, t.buurt_codes AS BuurtCodes, t.lead_partner_id AS LeadPartnerId, m.role
                FROM trajectory_projection t
                JOIN trajectory_member_projection m ON m.trajectory_id = t.id AND m.partner_id = @CallerPartnerId
                WHERE t.id = @TrajectoryId
                """,
                new { TrajectoryId = trajectoryId, CallerPartnerId = callerPartnerId }, cancellationToken: cancellationToken));

    /// <summary>The role of a partner in a trajectory, or null when it takes no part in it.</summary>
    public static Task<string?> RoleOfAsync(
        NpgsqlConnection connection, Guid trajectoryId, Guid partnerId, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT role FROM trajectory_member_projection WHERE trajectory_id = @TrajectoryId AND partner_id = @PartnerId",
            new { TrajectoryId = trajectoryId, PartnerId = partnerId }, cancellationToken: cancellationToken));

    /// <summary>
    /// Applies a snapshot unless a newer one was applied already, in the caller's transaction. Returns whether it applied.
    /// </summary>
    public static async Task<bool> ApplyAsync(UnitOfWork work, TrajectoryChanged snapshot, CancellationToken cancellationToken)
    {
        // The upsert locks the row, so two snapshots of one trajectory applied at once are applied one after the other,
        // and the version condition is evaluated against the row as the first one left it.
        var applied = await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO trajectory_projection (id, name, buurt_codes, lead_partner_id, version, changed_at)
            VALUES (@TrajectoryId, @Name, @BuurtCodes, @LeadPartnerId, @Version, @ChangedAt)
            ON CONFLICT (id) DO UPDATE
            SET name = excluded.name, buurt_codes = excluded.buurt_codes, lead_partner_id = excluded.lead_partner_id,
                version = excluded.version, changed_at = excluded.changed_at
            WHERE trajectory_projection.version < excluded.version
            """,
            new
            {
                snapshot.TrajectoryId,
                snapshot.Name,
                BuurtCodes = snapshot.BuurtCodes.ToArray(),
                snapshot.LeadPartnerId,
                snapshot.Version,
                snapshot.ChangedAt,
            },
            work.Transaction, cancellationToken: cancellationToken)) == 1;
        if (!applied)
        {
            return false;
        }

        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            DELETE FROM trajectory_member_projection WHERE trajectory_id = @TrajectoryId;
            INSERT INTO trajectory_member_projection (trajectory_id, partner_id, role)
            SELECT @TrajectoryId, member.partner_id, member.role
            FROM unnest(@PartnerIds, @Roles) AS member (partner_id, role);
            """,
            new
            {
                snapshot.TrajectoryId,
                PartnerIds = snapshot.Members.Select(member => member.PartnerId).ToArray(),
                Roles = snapshot.Members.Select(member => member.Role).ToArray(),
            },
            work.Transaction, cancellationToken: cancellationToken));
        return true;
    }
}
