using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.Contracts;
using Participatie.PartnerCoordination.Domain;
using Participatie.PartnerCoordination.Trajectories;

namespace Participatie.PartnerCoordination.Coordination;

/// <summary>
/// The trajectory's communication plan: per phase, which channel reaches which target groups and when, and which
/// target groups no entry of that phase reaches yet.
/// </summary>
public static class CommunicationPlanApi
{
    private const string SelectEntry = """
        SELECT id, trajectory_id AS TrajectoryId, phase, channel, target_groups AS TargetGroups, planned_for AS "When",
               owner_partner_id AS OwnerPartnerId, created_at AS CreatedAt
        FROM communication_plan_entries
        """;

    public static IEndpointRouteBuilder MapCommunicationPlanApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapApiGroup("/v1/trajectories/{trajectoryId:guid}/communication-plan", "Communication plan", AuthenticationExtensions.CallerPolicy)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("", GetCommunicationPlan)
            .WithName("GetCommunicationPlan")
            .WithSummary("Read the communication plan by phase, with the target groups each phase does not reach");
        api.MapPost("/entries", AddPlanEntry)
            .WithName("AddCommunicationPlanEntry")
            .WithSummary("Plan how a channel reaches target groups in a phase (lead, co-owners, contributors)");
        api.MapGet("/entries/{entryId:guid}", GetPlanEntry)
            .WithName("GetCommunicationPlanEntry")
            .WithSummary("Read one entry of the communication plan");
        api.MapPut("/entries/{entryId:guid}", UpdatePlanEntry)
            .WithName("UpdateCommunicationPlanEntry")
            .WithSummary("Change an entry of the communication plan (the owning partner)");
        api.MapDelete("/entries/{entryId:guid}", DeletePlanEntry)
            .WithName("DeleteCommunicationPlanEntry")
            .WithSummary("Take an entry out of the communication plan (the owning partner)");
        return routes;
    }

    internal static async Task<Results<Ok<CommunicationPlan>, ProblemHttpResult>> GetCommunicationPlan(
        Guid trajectoryId, ClaimsPrincipal user, UnitOfWorkFactory unitOfWork, CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        if (await TrajectoryAccess.CheckReaderAsync(work, trajectoryId, user, cancellationToken) is { } denied)
        {
            return denied;
        }

        var entries = (await work.Connection.QueryAsync<CommunicationPlanEntry>(new CommandDefinition(
            $"{SelectEntry} WHERE trajectory_id = @TrajectoryId ORDER BY created_at, id",
            new { TrajectoryId = trajectoryId }, work.Transaction, cancellationToken: cancellationToken))).ToLookup(entry => entry.Phase, StringComparer.Ordinal);
        // Every phase, in order, also one with nothing planned: that one reaches nobody.
        var phases = TrajectoryPhases.All
            .Select(phase => new CommunicationPlanPhase
            {
                Phase = phase,
                Entries = [.. entries[phase]],
                UnreachedTargetGroups = CommunicationReach.Unreached(entries[phase].Select(entry => (IReadOnlyCollection<string>)entry.TargetGroups)),
            })
            .ToList();
        return TypedResults.Ok(new CommunicationPlan { TrajectoryId = trajectoryId, Phases = phases });
    }

    internal static async Task<Results<Created<CommunicationPlanEntry>, ProblemHttpResult>> AddPlanEntry(
        Guid trajectoryId, PlanEntryRequest request, ClaimsPrincipal user, UnitOfWorkFactory unitOfWork, TimeProvider clock, CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        if (await TrajectoryAccess.CheckContributorAsync(work, trajectoryId, user, cancellationToken) is { } denied)
        {
            return denied;
        }

        var entryId = Guid.CreateVersion7();
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO communication_plan_entries (id, trajectory_id, phase, channel, target_groups, planned_for, owner_partner_id, created_at)
            VALUES (@Id, @TrajectoryId, @Phase, @Channel, @TargetGroups, @When, @OwnerPartnerId, @CreatedAt)
            """,
            new
            {
                Id = entryId,
                TrajectoryId = trajectoryId,
                request.Phase,
                request.Channel,
                TargetGroups = CoordinationValidation.Distinct(request.TargetGroups),
                When = request.When!.Trim(),
                OwnerPartnerId = user.GetPartnerId()!.Value,
                CreatedAt = clock.GetUtcNow(),
            },
            work.Transaction, cancellationToken: cancellationToken));
        var created = (await FindAsync(work, trajectoryId, entryId, forUpdate: false, cancellationToken))!;
        await work.CommitAsync(cancellationToken);
        return TypedResults.Created($"/v1/trajectories/{trajectoryId}/communication-plan/entries/{entryId}", created);
    }

    internal static async Task<Results<Ok<CommunicationPlanEntry>, ProblemHttpResult>> GetPlanEntry(
        Guid trajectoryId, Guid entryId, ClaimsPrincipal user, UnitOfWorkFactory unitOfWork, CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        if (await TrajectoryAccess.CheckReaderAsync(work, trajectoryId, user, cancellationToken) is { } denied)
        {
            return denied;
        }

        var entry = await FindAsync(work, trajectoryId, entryId, forUpdate: false, cancellationToken);
        return entry is null ? Problems.NotFound("communication plan entry", entryId) : TypedResults.Ok(entry);
    }

    internal static async Task<Results<Ok<CommunicationPlanEntry>, ProblemHttpResult>> UpdatePlanEntry(
        Guid trajectoryId, Guid entryId, PlanEntryRequest request, ClaimsPrincipal user, UnitOfWorkFactory unitOfWork, CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        if (await CheckOwnEntryAsync(work, trajectoryId, entryId, user, cancellationToken) is { } denied)
        {
            return denied;
        }

        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE communication_plan_entries SET phase = @Phase, channel = @Channel, target_groups = @TargetGroups, planned_for = @When
            WHERE id = @EntryId
            """,
            new
            {
                EntryId = entryId,
                request.Phase,
                request.Channel,
                TargetGroups = CoordinationValidation.Distinct(request.TargetGroups),
                When = request.When!.Trim(),
            },
            work.Transaction, cancellationToken: cancellationToken));
        var updated = (await FindAsync(work, trajectoryId, entryId, forUpdate: false, cancellationToken))!;
        await work.CommitAsync(cancellationToken);
        return TypedResults.Ok(updated);
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeletePlanEntry(
        Guid trajectoryId, Guid entryId, ClaimsPrincipal user, UnitOfWorkFactory unitOfWork, CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        if (await CheckOwnEntryAsync(work, trajectoryId, entryId, user, cancellationToken) is { } denied)
        {
            return denied;
        }

        await work.Connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM communication_plan_entries WHERE id = @EntryId", new { EntryId = entryId }, work.Transaction, cancellationToken: cancellationToken));
        await work.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>Null when the caller contributes to the trajectory and owns the entry (now locked); otherwise the problem.</summary>
    private static async Task<ProblemHttpResult?> CheckOwnEntryAsync(
        UnitOfWork work, Guid trajectoryId, Guid entryId, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (await TrajectoryAccess.CheckContributorAsync(work, trajectoryId, user, cancellationToken) is { } denied)
        {
            return denied;
        }

        var entry = await FindAsync(work, trajectoryId, entryId, forUpdate: true, cancellationToken);
        return entry is null
            ? Problems.NotFound("communication plan entry", entryId)
            : TrajectoryAccess.CheckOwner(user, entry.OwnerPartnerId, "communication plan entry");
    }

    private static Task<CommunicationPlanEntry?> FindAsync(UnitOfWork work, Guid trajectoryId, Guid entryId, bool forUpdate, CancellationToken cancellationToken) =>
        work.Connection.QuerySingleOrDefaultAsync<CommunicationPlanEntry>(new CommandDefinition(
            $"{SelectEntry} WHERE id = @EntryId AND trajectory_id = @TrajectoryId {(forUpdate ? "FOR UPDATE" : string.Empty)}",
            new { EntryId = entryId, TrajectoryId = trajectoryId }, work.Transaction, cancellationToken: cancellationToken));
}

public sealed record PlanEntryRequest(string? Phase, string? Channel, IReadOnlyList<string>? TargetGroups, string? When) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        errors.OneOf("phase", Phase, TrajectoryPhases.All);
        errors.OneOf("channel", Channel, PlanChannels.All);
        errors.TargetGroupList("targetGroups", TargetGroups, required: true);
        if (errors.Required("when", When))
        {
            errors.MaxLength("when", When, 200);
        }
    }
}

public sealed record CommunicationPlanEntry
{
    public required Guid Id { get; init; }

    public required Guid TrajectoryId { get; init; }

    public required string Phase { get; init; }

    public required string Channel { get; init; }

    public required IReadOnlyList<string> TargetGroups { get; init; }

    /// <summary>A date or a period, as the partners put it: "2026-03-02", "week 12", "before the summer".</summary>
    public required string When { get; init; }

    public required Guid OwnerPartnerId { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
}

public sealed record CommunicationPlanPhase
{
    public required string Phase { get; init; }

    public required IReadOnlyList<CommunicationPlanEntry> Entries { get; init; }

    /// <summary>The target groups no entry of this phase reaches; an entry for all residents reaches every group.</summary>
    public required IReadOnlyList<string> UnreachedTargetGroups { get; init; }
}

public sealed record CommunicationPlan
{
    public required Guid TrajectoryId { get; init; }

    /// <summary>Every phase, in the order a trajectory goes through them.</summary>
    public required IReadOnlyList<CommunicationPlanPhase> Phases { get; init; }
}
