using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.Contracts;
using TrajectoryMember = Participatie.PartnerCoordination.Trajectories.TrajectoryMember;

namespace Participatie.PartnerCoordination.Trajectories;

/// <summary>Reading trajectories and deciding who may do what in them.</summary>
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

    public static Task<string?> RoleOfAsync(UnitOfWork work, Guid trajectoryId, Guid partnerId, CancellationToken cancellationToken) =>
        work.Connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT role FROM trajectory_members WHERE trajectory_id = @TrajectoryId AND partner_id = @PartnerId FOR UPDATE",
            new { TrajectoryId = trajectoryId, PartnerId = partnerId }, work.Transaction, cancellationToken: cancellationToken));

    /// <summary>Null when the caller may manage the trajectory's members; otherwise the problem to answer.</summary>
    public static async Task<ProblemHttpResult?> CheckManagerAsync(
        UnitOfWork work, Guid trajectoryId, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var exists = await work.Connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM trajectories WHERE id = @TrajectoryId)",
            new { TrajectoryId = trajectoryId }, work.Transaction, cancellationToken: cancellationToken));
        if (user.IsPlatformOperator())
        {
            return exists ? null : Problems.NotFound("trajectory", trajectoryId);
        }

        var role = exists && user.GetPartnerId() is { } partnerId ? await RoleOfAsync(work, trajectoryId, partnerId, cancellationToken) : null;
        if (role is null)
        {
            // Outsiders do not learn that the trajectory exists.
            return Problems.NotFound("trajectory", trajectoryId);
        }

        return TrajectoryRoles.CanManageMembers(role)
            ? null
            : Problems.Forbidden($"A partner with role '{role}' cannot change who takes part in this trajectory.");
    }

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
