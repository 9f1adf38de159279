using Dapper;
using Npgsql;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;

namespace Participatie.PartnerCoordination.Trajectories;

/// <summary>The SQL of trajectories and their members.</summary>
public static class TrajectoryStore
{
    private const string SelectTrajectory = """
        SELECT id, name, description, buurt_codes AS BuurtCodes, lead_partner_id AS LeadPartnerId, phase, created_at AS CreatedAt
        FROM trajectories t
        """;

    public static async Task<TrajectoryResponse?> FindAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid trajectoryId, Guid? callerPartnerId, CancellationToken cancellationToken)
    {
        var trajectory = await connection.QuerySingleOrDefaultAsync<TrajectoryResponse>(new CommandDefinition(
            $"{SelectTrajectory} WHERE id = @TrajectoryId", new { TrajectoryId = trajectoryId }, transaction, cancellationToken: cancellationToken));
        return trajectory is null ? null : (await WithMembersAsync(connection, transaction, [trajectory], callerPartnerId, cancellationToken))[0];
    }

    /// <summary>One page of the trajectories the caller takes part in (all of them for the platform operator).</summary>
    public static async Task<Page<TrajectoryResponse>> PageAsync(
        NpgsqlConnection connection, PageQuery page, Guid? callerPartnerId, CancellationToken cancellationToken)
    {
        const string mine = """
            WHERE @PartnerId::uuid IS NULL
               OR EXISTS (SELECT 1 FROM trajectory_members m WHERE m.trajectory_id = t.id AND m.partner_id = @PartnerId)
            """;
        var trajectories = await connection.QueryPageAsync<TrajectoryResponse>(page, new CommandDefinition(
            $"""
            {SelectTrajectory} {mine} ORDER BY t.created_at DESC, t.id OFFSET @Offset LIMIT @Size;
            SELECT count(*) FROM trajectories t {mine};
            """,
            new { PartnerId = callerPartnerId, page.Offset, page.Size }, cancellationToken: cancellationToken));
        return trajectories with { Items = await WithMembersAsync(connection, null, trajectories.Items, callerPartnerId, cancellationToken) };
    }

    /// <summary>Adds the partners of all the trajectories at once, and the caller's role in each.</summary>
    private static async Task<IReadOnlyList<TrajectoryResponse>> WithMembersAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        IReadOnlyList<TrajectoryResponse> trajectories,
        Guid? callerPartnerId,
        CancellationToken cancellationToken)
    {
        var members = (await connection.QueryAsync<MemberRow>(new CommandDefinition(
            """
            SELECT m.trajectory_id AS TrajectoryId, m.partner_id AS PartnerId, p.name AS PartnerName, p.kind AS PartnerKind, m.role,
                   m.joined_at AS JoinedAt
            FROM trajectory_members m JOIN partners p ON p.id = m.partner_id
            WHERE m.trajectory_id = ANY(@Ids) ORDER BY m.joined_at, p.name
            """,
            new { Ids = trajectories.Select(trajectory => trajectory.Id).ToArray() }, transaction, cancellationToken: cancellationToken)))
            .ToLookup(
                row => row.TrajectoryId,
                row => new TrajectoryMember { PartnerId = row.PartnerId, PartnerName = row.PartnerName, PartnerKind = row.PartnerKind, Role = row.Role, JoinedAt = row.JoinedAt });
        return [.. trajectories.Select(trajectory => trajectory with
        {
            Members = [.. members[trajectory.Id]],
            MyRole = members[trajectory.Id].FirstOrDefault(member => member.PartnerId == callerPartnerId)?.Role,
        })];
    }

    /// <summary>A partner's role in the trajectory, its membership locked for the change that reads it.</summary>
    public static Task<string?> RoleOfAsync(UnitOfWork work, Guid trajectoryId, Guid partnerId, CancellationToken cancellationToken) =>
        work.Connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT role FROM trajectory_members WHERE trajectory_id = @TrajectoryId AND partner_id = @PartnerId FOR UPDATE",
            new { TrajectoryId = trajectoryId, PartnerId = partnerId }, work.Transaction, cancellationToken: cancellationToken));

    /// <summary>
    /// Whether the partner takes part in the trajectory. Its membership stays locked until the transaction ends, so
    /// that a partner is not removed while something is being assigned to it.
    /// </summary>
    public static async Task<bool> TakesPartAsync(UnitOfWork work, Guid trajectoryId, Guid partnerId, CancellationToken cancellationToken) =>
        await FirstOutsiderAsync(work, trajectoryId, [partnerId], cancellationToken) is null;

    /// <summary>
    /// The first of the partners that takes no part in the trajectory, or null when all of them do. Their memberships
    /// stay locked until the transaction ends.
    /// </summary>
    public static async Task<Guid?> FirstOutsiderAsync(
        UnitOfWork work, Guid trajectoryId, IReadOnlyCollection<Guid> partnerIds, CancellationToken cancellationToken)
    {
        var members = (await work.Connection.QueryAsync<Guid>(new CommandDefinition(
            "SELECT partner_id FROM trajectory_members WHERE trajectory_id = @TrajectoryId AND partner_id = ANY(@PartnerIds) FOR SHARE",
            new { TrajectoryId = trajectoryId, PartnerIds = partnerIds.ToArray() }, work.Transaction, cancellationToken: cancellationToken))).ToHashSet();
        return partnerIds.Where(partnerId => !members.Contains(partnerId)).Select(partnerId => (Guid?)partnerId).FirstOrDefault();
    }

    public static Task<bool> PartnerExistsAsync(UnitOfWork work, Guid partnerId, CancellationToken cancellationToken) =>
        work.Connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM partners WHERE id = @PartnerId)", new { PartnerId = partnerId }, work.Transaction, cancellationToken: cancellationToken));

    private sealed record MemberRow
    {
        public required Guid TrajectoryId { get; init; }

        public required Guid PartnerId { get; init; }

        public required string PartnerName { get; init; }

        public required string PartnerKind { get; init; }

        public required string Role { get; init; }

        public required DateTimeOffset JoinedAt { get; init; }
    }
}
