using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.Contracts;
using Participatie.PartnerCoordination.Domain;
using Participatie.PartnerCoordination.Trajectories;

namespace Participatie.PartnerCoordination.Trajectories;

/// <summary>
/// Trajectories and who takes part in them. A partner sees only the trajectories it takes part in (to others they do
/// not exist: 404); the lead and co-owners decide who takes part and in which role.
/// </summary>
public static class TrajectoriesApi
{
    public static IEndpointRouteBuilder MapTrajectoriesApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapApiGroup("/v1/trajectories", "Trajectories", AuthenticationExtensions.CallerPolicy);

        api.MapPost("", CreateTrajectory)
            .WithName("CreateTrajectory")
            .WithSummary("Start a trajectory; the calling partner is its lead");
        api.MapGet("", ListTrajectories)
            .WithName("ListTrajectories")
            .WithSummary("List the trajectories the calling partner takes part in");
        api.MapGet("/{trajectoryId:guid}", GetTrajectory)
            .WithName("GetTrajectory")
            .WithSummary("Read a trajectory with its partners and their roles")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut("/{trajectoryId:guid}/members/{partnerId:guid}", SetMember)
            .WithName("SetTrajectoryMember")
            .WithSummary("Let a partner take part in a trajectory, or change its role (lead and co-owners)")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapDelete("/{trajectoryId:guid}/members/{partnerId:guid}", RemoveMember)
            .WithName("RemoveTrajectoryMember")
            .WithSummary("Remove a partner from a trajectory (lead and co-owners; never the lead)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut("/{trajectoryId:guid}/phase", ChangePhase)
            .WithName("ChangeTrajectoryPhase")
            .WithSummary("Move the trajectory to another phase (lead and co-owners); the residents of its buurten are told")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{trajectoryId:guid}/audit", ListAudit)
            .WithName("ListTrajectoryAudit")
            .WithSummary("List who changed ownership and roles in a trajectory, newest first (lead and co-owners)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    internal static async Task<Results<Created<TrajectoryResponse>, ProblemHttpResult>> CreateTrajectory(
        CreateTrajectoryRequest request, ClaimsPrincipal user, UnitOfWorkFactory unitOfWork, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (user.GetPartnerId() is not { } partnerId)
        {
            return Problems.Forbidden("A trajectory is started by a partner, not by the platform operator.");
        }

        var now = clock.GetUtcNow();
        var trajectoryId = Guid.CreateVersion7();
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO trajectories (id, name, description, buurt_codes, lead_partner_id, created_at, version)
            VALUES (@Id, @Name, @Description, @BuurtCodes, @LeadPartnerId, @CreatedAt, @Version);
            INSERT INTO trajectory_members (trajectory_id, partner_id, role, joined_at)
            VALUES (@Id, @LeadPartnerId, 'lead', @CreatedAt);
            """,
            new
            {
                Id = trajectoryId,
                Name = request.Name!.Trim(),
                Description = request.Description?.Trim() ?? string.Empty,
                BuurtCodes = request.BuurtCodes!.Distinct(StringComparer.Ordinal).ToArray(),
                LeadPartnerId = partnerId,
                CreatedAt = now,
                Version = TrajectorySnapshots.FirstVersion,
            },
            work.Transaction, cancellationToken: cancellationToken));
        await AuditLog.RecordAsync(work, user, trajectoryId, "trajectory-created", $"partner {partnerId}", new { role = TrajectoryRoles.Lead }, cancellationToken);
        await TrajectorySnapshots.PublishAsync(work, trajectoryId, TrajectoryChanges.Created, TrajectorySnapshots.FirstVersion, now, cancellationToken);
        await work.CommitAsync(cancellationToken);

        var created = (await TrajectoryStore.FindAsync(work.Connection, null, trajectoryId, partnerId, cancellationToken))!;
        return TypedResults.Created($"/v1/trajectories/{trajectoryId}", created);
    }

    internal static async Task<Ok<Page<TrajectoryResponse>>> ListTrajectories(
        [AsParameters] PageQuery page, ClaimsPrincipal user, NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return TypedResults.Ok(await TrajectoryStore.PageAsync(connection, page, user.GetPartnerId(), cancellationToken));
    }

    internal static async Task<Results<Ok<TrajectoryResponse>, ProblemHttpResult>> GetTrajectory(
        Guid trajectoryId, ClaimsPrincipal user, NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var trajectory = await TrajectoryStore.FindAsync(connection, null, trajectoryId, user.GetPartnerId(), cancellationToken);
        return trajectory is not null && (trajectory.MyRole is not null || user.IsPlatformOperator())
            ? TypedResults.Ok(trajectory)
            : Problems.NotFound("trajectory", trajectoryId);
    }

    internal static async Task<Results<Ok<TrajectoryMember>, ProblemHttpResult>> SetMember(
        Guid trajectoryId,
        Guid partnerId,
        SetMemberRequest request,
        ClaimsPrincipal user,
        UnitOfWorkFactory unitOfWork,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        // First of all: concurrent changes of this trajectory's membership wait here, on its row, for each other.
        var version = await TrajectorySnapshots.NextVersionAsync(work, trajectoryId, cancellationToken);
        if (await TrajectoryStore.CheckManagerAsync(work, trajectoryId, user, cancellationToken) is { } denied)
        {
            return denied;
        }

        var partnerExists = await work.Connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM partners WHERE id = @PartnerId)", new { PartnerId = partnerId }, work.Transaction, cancellationToken: cancellationToken));
        if (!partnerExists)
        {
            return Problems.Unprocessable("partnerId", $"There is no partner with id '{partnerId}'.");
        }

        var previous = await TrajectoryStore.RoleOfAsync(work, trajectoryId, partnerId, cancellationToken);
        if (previous == TrajectoryRoles.Lead)
        {
            return Problems.Unprocessable("partnerId", "The lead's role cannot be changed.");
        }

        if (previous != request.Role)
        {
            var now = clock.GetUtcNow();
            await work.Connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO trajectory_members (trajectory_id, partner_id, role, joined_at) VALUES (@TrajectoryId, @PartnerId, @Role, @Now)
                ON CONFLICT (trajectory_id, partner_id) DO UPDATE SET role = excluded.role
                """,
                new { TrajectoryId = trajectoryId, PartnerId = partnerId, request.Role, Now = now },
                work.Transaction, cancellationToken: cancellationToken));
            await AuditLog.RecordAsync(
                work, user, trajectoryId, previous is null ? "member-added" : "member-role-changed", $"partner {partnerId}",
                new { role = request.Role, previousRole = previous }, cancellationToken);
            await TrajectorySnapshots.PublishAsync(
                work, trajectoryId, previous is null ? TrajectoryChanges.MemberAdded : TrajectoryChanges.RoleChanged, version!.Value, now, cancellationToken);
        }

        var trajectory = await TrajectoryStore.FindAsync(work.Connection, work.Transaction, trajectoryId, user.GetPartnerId(), cancellationToken);
        // The same role again changes nothing: the raised version is rolled back with the transaction, nothing is announced.
        if (previous != request.Role)
        {
            await work.CommitAsync(cancellationToken);
        }

        return TypedResults.Ok(trajectory!.Members.Single(member => member.PartnerId == partnerId));
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> RemoveMember(
        Guid trajectoryId, Guid partnerId, ClaimsPrincipal user, UnitOfWorkFactory unitOfWork, TimeProvider clock, CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        // First of all: concurrent changes of this trajectory's membership wait here, on its row, for each other.
        var version = await TrajectorySnapshots.NextVersionAsync(work, trajectoryId, cancellationToken);
        if (await TrajectoryStore.CheckManagerAsync(work, trajectoryId, user, cancellationToken) is { } denied)
        {
            return denied;
        }

        var role = await TrajectoryStore.RoleOfAsync(work, trajectoryId, partnerId, cancellationToken);
        if (role is null)
        {
            return Problems.NotFound("member", partnerId);
        }

        if (role == TrajectoryRoles.Lead)
        {
            return Problems.Forbidden("The lead cannot be removed from its trajectory.");
        }

        await work.Connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM trajectory_members WHERE trajectory_id = @TrajectoryId AND partner_id = @PartnerId",
            new { TrajectoryId = trajectoryId, PartnerId = partnerId }, work.Transaction, cancellationToken: cancellationToken));
        await AuditLog.RecordAsync(work, user, trajectoryId, "member-removed", $"partner {partnerId}", new { previousRole = role }, cancellationToken);
        await TrajectorySnapshots.PublishAsync(work, trajectoryId, TrajectoryChanges.MemberRemoved, version!.Value, clock.GetUtcNow(), cancellationToken);
        await work.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    internal static async Task<Results<Ok<TrajectoryResponse>, ProblemHttpResult>> ChangePhase(
        Guid trajectoryId, ChangePhaseRequest request, ClaimsPrincipal user, UnitOfWorkFactory unitOfWork, TimeProvider clock, CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        if (await TrajectoryStore.CheckManagerAsync(work, trajectoryId, user, cancellationToken) is { } denied)
        {
            return denied;
        }

        var current = await work.Connection.QuerySingleAsync<(string Name, string Phase, string[] BuurtCodes)>(new CommandDefinition(
            "SELECT name, phase, buurt_codes FROM trajectories WHERE id = @TrajectoryId FOR UPDATE",
            new { TrajectoryId = trajectoryId }, work.Transaction, cancellationToken: cancellationToken));
        if (current.Phase != request.Phase)
        {
            var now = clock.GetUtcNow();
            await work.Connection.ExecuteAsync(new CommandDefinition(
                "UPDATE trajectories SET phase = @Phase, phase_changed_at = @Now WHERE id = @TrajectoryId",
                new { request.Phase, Now = now, TrajectoryId = trajectoryId }, work.Transaction, cancellationToken: cancellationToken));
            await AuditLog.RecordAsync(work, user, trajectoryId, "phase-changed", $"trajectory {trajectoryId}", new { phase = request.Phase, previousPhase = current.Phase }, cancellationToken);
            await work.PublishAsync(
                new TrajectoryPhaseChanged(trajectoryId, current.Name, request.Phase!, current.Phase, current.BuurtCodes, now), cancellationToken);
        }

        await work.CommitAsync(cancellationToken);
        return TypedResults.Ok((await TrajectoryStore.FindAsync(work.Connection, null, trajectoryId, user.GetPartnerId(), cancellationToken))!);
    }

    internal static async Task<Results<Ok<Page<AuditEntry>>, ProblemHttpResult>> ListAudit(
        Guid trajectoryId, [AsParameters] PageQuery page, ClaimsPrincipal user, UnitOfWorkFactory unitOfWork, CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        if (await TrajectoryStore.CheckManagerAsync(work, trajectoryId, user, cancellationToken) is { } denied)
        {
            return denied;
        }

        var entries = (await work.Connection.QueryAsync<AuditEntry>(new CommandDefinition(
            """
            SELECT actor_partner_id AS ActorPartnerId, actor_client_id AS ActorClientId, action, subject,
                   details::text AS Details, occurred_at AS OccurredAt
            FROM audit_log WHERE trajectory_id = @TrajectoryId ORDER BY id DESC OFFSET @Offset LIMIT @Size
            """,
            new { TrajectoryId = trajectoryId, page.Offset, page.Size }, work.Transaction, cancellationToken: cancellationToken))).AsList();
        var total = await work.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM audit_log WHERE trajectory_id = @TrajectoryId",
            new { TrajectoryId = trajectoryId }, work.Transaction, cancellationToken: cancellationToken));
        return TypedResults.Ok(page.ToPage<AuditEntry>(entries, total));
    }
}
