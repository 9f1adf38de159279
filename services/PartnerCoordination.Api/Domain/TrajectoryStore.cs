using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.Contracts;
using Participatie.PartnerCoordination.Apis;

namespace Participatie.PartnerCoordination.Domain;

/// <summary>Reading trajectories and deciding who may do what in them.</summary>
public static class TrajectoryStore
{
    public static async Task<TrajectoryResponse?> FindAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid trajectoryId, Guid? callerPartnerId, CancellationToken cancellationToken)
    {
        var trajectory = await connection.QuerySingleOrDefaultAsync<TrajectoryResponse>(new CommandDefinition(
            """
            SELECT id, name, description, buurt_codes AS BuurtCodes, lead_partner_id AS LeadPartnerId, phase, created_at AS CreatedAt
            FROM trajectories WHERE id = @TrajectoryId
            """,
            new { TrajectoryId = trajectoryId }, transaction, cancellationToken: cancellationToken));
        if (trajectory is null)
        {
            return null;
        }

        var members = (await connection.QueryAsync<TrajectoryMember>(new CommandDefinition(
            """
            SELECT m.partner_id AS PartnerId, p.name AS PartnerName, p.kind AS PartnerKind, m.role, m.joined_at AS JoinedAt
            FROM trajectory_members m JOIN partners p ON p.id = m.partner_id
            WHERE m.trajectory_id = @TrajectoryId ORDER BY m.joined_at, p.name
            """,
            new { TrajectoryId = trajectoryId }, transaction, cancellationToken: cancellationToken))).AsList();
        return trajectory with
        {
            Members = members,
            MyRole = members.FirstOrDefault(member => member.PartnerId == callerPartnerId)?.Role,
        };
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
}
