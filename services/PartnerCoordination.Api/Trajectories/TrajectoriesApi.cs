using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.Contracts;
using Participatie.PartnerCoordination.Partners;

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
            .WithSummary("Start a trajectory; the calling partner is its lead; its buurten lie inside the lead's areas and are capped (422 naming buurtCodes)")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("", ListTrajectories)
            .WithName("ListTrajectories")
            .WithSummary("List the trajectories the calling partner takes part in");

        var trajectory = api.MapGroup("/{trajectoryId:guid}").WithTrajectoryAccess();
        trajectory.MapGet("", GetTrajectory)
            .WithName("GetTrajectory")
            .WithSummary("Read a trajectory with its partners and their roles")
            .ProducesProblem(StatusCodes.Status404NotFound);
        trajectory.MapPut("/members/{partnerId:guid}", SetMember)
            .Requires(TrajectoryPermissions.Manage)
            .WithName("SetTrajectoryMember")
            .WithSummary("Let a partner take part in a trajectory, or change its role (lead and co-owners)")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        trajectory.MapDelete("/members/{partnerId:guid}", RemoveMember)
            .Requires(TrajectoryPermissions.Manage)
            .WithName("RemoveTrajectoryMember")
            .WithSummary("Remove a partner from a trajectory (lead and co-owners; never the lead)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        trajectory.MapPut("/phase", ChangePhase)
            .Requires(TrajectoryPermissions.Manage)
            .WithName("ChangeTrajectoryPhase")
            .WithSummary("Move the trajectory to another phase (lead and co-owners); the residents of its buurten are told")
            .ProducesProblem(StatusCodes.Status404NotFound);
        trajectory.MapPost("/buurten", AddBuurten)
            .Requires(TrajectoryPermissions.Manage)
            .WithName("AddTrajectoryBuurten")
            .WithSummary("Add buurten to a trajectory (lead and co-owners): inside the lead's areas and within the cap (422 naming buurtCodes)")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        trajectory.MapGet("/audit", ListAudit)
            .Requires(TrajectoryPermissions.Manage)
            .WithName("ListTrajectoryAudit")
            .WithSummary("List who changed ownership and roles in a trajectory, newest first (lead and co-owners)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    internal static async Task<Results<Created<TrajectoryResponse>, ProblemHttpResult>> CreateTrajectory(
        CreateTrajectoryRequest request,
        ClaimsPrincipal user,
        UnitOfWorkFactory unitOfWork,
        TimeProvider clock,
        IOptions<TrajectoryOptions> options,
        CancellationToken cancellationToken)
    {
        if (user.GetPartnerId() is not { } partnerId)
        {
            return Problems.Forbidden("A trajectory is started by a partner, not by the platform operator.");
        }

        var buurtCodes = request.BuurtCodes!.Distinct(StringComparer.Ordinal).ToArray();
        if (buurtCodes.Length > options.Value.MaxBuurten)
        {
            return Problems.Unprocessable("buurtCodes", $"A trajectory spans at most {options.Value.MaxBuurten} buurten; this one names {buurtCodes.Length}.");
        }

        var now = clock.GetUtcNow();
        var trajectoryId = Guid.CreateVersion7();
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        // Only the lead's areas count: members (a tenants' organisation, a welfare organisation) join the lead's
        // work where it is, whatever areas they were granted themselves.
        if (await PartnerAreasApi.FirstBuurtOutsideAsync(work, partnerId, buurtCodes, cancellationToken) is { } outside)
        {
            return Problems.Unprocessable(
                "buurtCodes", $"Buurt '{outside}' lies outside the areas granted to your organisation; the platform operator grants them.");
        }

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
                BuurtCodes = buurtCodes,
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

    internal static async Task<Results<Ok<TrajectoryResponse>, ProblemHttpResult>> GetTrajectory(TrajectoryCaller caller, CancellationToken cancellationToken) =>
        TypedResults.Ok((await FindAsync(caller, cancellationToken))!);

    internal static async Task<Results<Ok<TrajectoryMember>, ProblemHttpResult>> SetMember(
        TrajectoryCaller caller, Guid partnerId, SetMemberRequest request, [AsParameters] ApiServices services)
    {
        var (work, cancellationToken) = (caller.Work, services.Cancellation);
        var version = await TrajectorySnapshots.NextVersionAsync(work, caller.TrajectoryId, cancellationToken);
        if (!await TrajectoryStore.PartnerExistsAsync(work, partnerId, cancellationToken))
        {
            return Problems.Unprocessable("partnerId", $"There is no partner with id '{partnerId}'.");
        }

        var previous = await TrajectoryStore.RoleOfAsync(work, caller.TrajectoryId, partnerId, cancellationToken);
        if (previous == TrajectoryRoles.Lead)
        {
            return Problems.Unprocessable("partnerId", "The lead's role cannot be changed.");
        }

        // The same role again changes nothing: nothing is committed (the raised version neither), nothing announced.
        var changes = previous != request.Role;
        if (changes)
        {
            var now = services.Clock.GetUtcNow();
            await work.Connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO trajectory_members (trajectory_id, partner_id, role, joined_at) VALUES (@TrajectoryId, @PartnerId, @Role, @Now)
                ON CONFLICT (trajectory_id, partner_id) DO UPDATE SET role = excluded.role
                """,
                new { caller.TrajectoryId, PartnerId = partnerId, request.Role, Now = now },
                work.Transaction, cancellationToken: cancellationToken));
            await AuditLog.RecordAsync(
                work, services.User, caller.TrajectoryId, previous is null ? "member-added" : "member-role-changed", $"partner {partnerId}",
                new { role = request.Role, previousRole = previous }, cancellationToken);
            await TrajectorySnapshots.PublishAsync(
                work, caller.TrajectoryId, previous is null ? TrajectoryChanges.MemberAdded : TrajectoryChanges.RoleChanged, version, now, cancellationToken);
        }

        var trajectory = (await FindAsync(caller, cancellationToken))!;
        if (changes)
        {
            await work.CommitAsync(cancellationToken);
        }

        return TypedResults.Ok(trajectory.Members.Single(member => member.PartnerId == partnerId));
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> RemoveMember(
        TrajectoryCaller caller, Guid partnerId, [AsParameters] ApiServices services)
    {
        var (work, cancellationToken) = (caller.Work, services.Cancellation);
        var version = await TrajectorySnapshots.NextVersionAsync(work, caller.TrajectoryId, cancellationToken);
        var role = await TrajectoryStore.RoleOfAsync(work, caller.TrajectoryId, partnerId, cancellationToken);
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
            new { caller.TrajectoryId, PartnerId = partnerId }, work.Transaction, cancellationToken: cancellationToken));
        await AuditLog.RecordAsync(work, services.User, caller.TrajectoryId, "member-removed", $"partner {partnerId}", new { previousRole = role }, cancellationToken);
        await TrajectorySnapshots.PublishAsync(work, caller.TrajectoryId, TrajectoryChanges.MemberRemoved, version, services.Clock.GetUtcNow(), cancellationToken);
        await work.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    internal static async Task<Results<Ok<TrajectoryResponse>, ProblemHttpResult>> ChangePhase(
        TrajectoryCaller caller, ChangePhaseRequest request, [AsParameters] ApiServices services)
    {
        var (work, cancellationToken) = (caller.Work, services.Cancellation);
        var current = await work.Connection.QuerySingleAsync<(string Name, string Phase, string[] BuurtCodes)>(new CommandDefinition(
            "SELECT name, phase, buurt_codes FROM trajectories WHERE id = @TrajectoryId",
            new { caller.TrajectoryId }, work.Transaction, cancellationToken: cancellationToken));
        if (current.Phase != request.Phase)
        {
            var now = services.Clock.GetUtcNow();
            await work.Connection.ExecuteAsync(new CommandDefinition(
                "UPDATE trajectories SET phase = @Phase, phase_changed_at = @Now WHERE id = @TrajectoryId",
                new { request.Phase, Now = now, caller.TrajectoryId }, work.Transaction, cancellationToken: cancellationToken));
            await AuditLog.RecordAsync(
                work, services.User, caller.TrajectoryId, "phase-changed", $"trajectory {caller.TrajectoryId}",
                new { phase = request.Phase, previousPhase = current.Phase }, cancellationToken);
            await work.PublishAsync(
                new TrajectoryPhaseChanged(caller.TrajectoryId, current.Name, request.Phase!, current.Phase, current.BuurtCodes, now), cancellationToken);
        }

        var trajectory = (await FindAsync(caller, cancellationToken))!;
        await work.CommitAsync(cancellationToken);
        return TypedResults.Ok(trajectory);
    }

    internal static async Task<Results<Ok<TrajectoryResponse>, ProblemHttpResult>> AddBuurten(
        TrajectoryCaller caller, AddBuurtenRequest request, IOptions<TrajectoryOptions> options, [AsParameters] ApiServices services)
    {
        var (work, cancellationToken) = (caller.Work, services.Cancellation);
        var current = await work.Connection.QuerySingleAsync<(Guid LeadPartnerId, string[] BuurtCodes)>(new CommandDefinition(
            "SELECT lead_partner_id, buurt_codes FROM trajectories WHERE id = @TrajectoryId",
            new { caller.TrajectoryId }, work.Transaction, cancellationToken: cancellationToken));
        var adding = request.BuurtCodes!.Distinct(StringComparer.Ordinal).Except(current.BuurtCodes, StringComparer.Ordinal).ToArray();
        if (adding.Length > 0)
        {
            if (current.BuurtCodes.Length + adding.Length > options.Value.MaxBuurten)
            {
                return Problems.Unprocessable(
                    "buurtCodes", $"A trajectory spans at most {options.Value.MaxBuurten} buurten; it has {current.BuurtCodes.Length} and {adding.Length} would be added.");
            }

            // The lead's areas, whoever of the managers adds the buurt: the trajectory is the lead's work.
            if (await PartnerAreasApi.FirstBuurtOutsideAsync(work, current.LeadPartnerId, adding, cancellationToken) is { } outside)
            {
                return Problems.Unprocessable("buurtCodes", $"Buurt '{outside}' lies outside the areas granted to the trajectory's lead.");
            }

            var version = await TrajectorySnapshots.NextVersionAsync(work, caller.TrajectoryId, cancellationToken);
            var now = services.Clock.GetUtcNow();
            await work.Connection.ExecuteAsync(new CommandDefinition(
                "UPDATE trajectories SET buurt_codes = buurt_codes || @Adding WHERE id = @TrajectoryId",
                new { Adding = adding, caller.TrajectoryId }, work.Transaction, cancellationToken: cancellationToken));
            await AuditLog.RecordAsync(
                work, services.User, caller.TrajectoryId, "buurten-added", $"trajectory {caller.TrajectoryId}", new { buurtCodes = adding }, cancellationToken);
            await TrajectorySnapshots.PublishAsync(work, caller.TrajectoryId, TrajectoryChanges.BuurtenChanged, version, now, cancellationToken);
        }

        var trajectory = (await FindAsync(caller, cancellationToken))!;
        if (adding.Length > 0)
        {
            await work.CommitAsync(cancellationToken);
        }

        return TypedResults.Ok(trajectory);
    }

    internal static async Task<Results<Ok<Page<AuditEntry>>, ProblemHttpResult>> ListAudit(
        TrajectoryCaller caller, [AsParameters] PageQuery page, CancellationToken cancellationToken)
    {
        var work = caller.Work;
        var entries = (await work.Connection.QueryAsync<AuditEntry>(new CommandDefinition(
            """
            SELECT actor_partner_id AS ActorPartnerId, actor_client_id AS ActorClientId, action, subject,
                   details::text AS Details, occurred_at AS OccurredAt
            FROM audit_log WHERE trajectory_id = @TrajectoryId ORDER BY id DESC OFFSET @Offset LIMIT @Size
            """,
            new { caller.TrajectoryId, page.Offset, page.Size }, work.Transaction, cancellationToken: cancellationToken))).AsList();
        var total = await work.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM audit_log WHERE trajectory_id = @TrajectoryId",
            new { caller.TrajectoryId }, work.Transaction, cancellationToken: cancellationToken));
        return TypedResults.Ok(page.ToPage<AuditEntry>(entries, total));
    }

    /// <summary>The trajectory as the caller sees it (with its role), as the transaction sees it now.</summary>
    private static Task<TrajectoryResponse?> FindAsync(TrajectoryCaller caller, CancellationToken cancellationToken) =>
        TrajectoryStore.FindAsync(caller.Work.Connection, caller.Work.Transaction, caller.TrajectoryId, caller.PartnerId, cancellationToken);
}
