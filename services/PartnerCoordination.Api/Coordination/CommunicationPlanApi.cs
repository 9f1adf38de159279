using System.ComponentModel.DataAnnotations;
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
    internal static readonly OwnedItemStore<CommunicationPlanEntry> Store = new()
    {
        Name = "communication plan entry",
        Table = "communication_plan_entries",
        Select = """
            SELECT id, trajectory_id AS TrajectoryId, phase, channel, target_groups AS TargetGroups, planned_for AS "When",
                   owner_partner_id AS OwnerPartnerId, created_at AS CreatedAt
            FROM communication_plan_entries
            """,
        Owner = entry => entry.OwnerPartnerId,
        OwnerOnly = "Only the partner that recorded this communication plan entry changes it.",
    };

    public static IEndpointRouteBuilder MapCommunicationPlanApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapApiGroup("/v1/trajectories/{trajectoryId:guid}/communication-plan", "Communication plan", AuthenticationExtensions.CallerPolicy)
            .WithTrajectoryAccess()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("", GetCommunicationPlan)
            .WithName("GetCommunicationPlan")
            .WithSummary("Read the communication plan by phase, with the target groups each phase does not reach");
        api.MapPost("/entries", AddPlanEntry)
            .Requires(TrajectoryPermissions.Contribute)
            .WithName("AddCommunicationPlanEntry")
            .WithSummary("Plan how a channel reaches target groups in a phase (lead, co-owners, contributors)");

        var entry = api.MapOwnedItem("/entries", "entryId", Store);
        entry.MapGet("", GetPlanEntry)
            .WithName("GetCommunicationPlanEntry")
            .WithSummary("Read one entry of the communication plan");
        entry.MapPut("", UpdatePlanEntry)
            .Requires(TrajectoryPermissions.Contribute)
            .WithName("UpdateCommunicationPlanEntry")
            .WithSummary("Change an entry of the communication plan (the owning partner)");
        entry.MapDelete("", DeletePlanEntry)
            .Requires(TrajectoryPermissions.Contribute)
            .WithName("DeleteCommunicationPlanEntry")
            .WithSummary("Take an entry out of the communication plan (the owning partner)");
        return routes;
    }

    internal static async Task<Results<Ok<CommunicationPlan>, ProblemHttpResult>> GetCommunicationPlan(TrajectoryCaller caller, CancellationToken cancellationToken)
    {
        var entries = (await caller.Work.Connection.QueryAsync<CommunicationPlanEntry>(new CommandDefinition(
            $"{Store.Select} WHERE trajectory_id = @TrajectoryId ORDER BY created_at, id",
            new { caller.TrajectoryId }, caller.Work.Transaction, cancellationToken: cancellationToken))).ToLookup(entry => entry.Phase, StringComparer.Ordinal);
        // Every phase, in order, also one with nothing planned: that one reaches nobody.
        var phases = TrajectoryPhases.All
            .Select(phase => new CommunicationPlanPhase
            {
                Phase = phase,
                Entries = [.. entries[phase]],
                UnreachedTargetGroups = CommunicationReach.Unreached(entries[phase].Select(entry => (IReadOnlyCollection<string>)entry.TargetGroups)),
            })
            .ToList();
        return TypedResults.Ok(new CommunicationPlan { TrajectoryId = caller.TrajectoryId, Phases = phases });
    }

    internal static async Task<Results<Created<CommunicationPlanEntry>, ProblemHttpResult>> AddPlanEntry(
        TrajectoryCaller caller, PlanEntryRequest request, [AsParameters] ApiServices services)
    {
        var (work, cancellationToken) = (caller.Work, services.Cancellation);
        var entryId = Guid.CreateVersion7();
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO communication_plan_entries (id, trajectory_id, phase, channel, target_groups, planned_for, owner_partner_id, created_at)
            VALUES (@Id, @TrajectoryId, @Phase, @Channel, @TargetGroups, @When, @OwnerPartnerId, @CreatedAt)
            """,
            new
            {
                Id = entryId,
                caller.TrajectoryId,
                request.Phase,
                request.Channel,
                TargetGroups = CoordinationValidation.Distinct(request.TargetGroups),
                When = request.When!.Trim(),
                OwnerPartnerId = caller.Partner,
                CreatedAt = services.Clock.GetUtcNow(),
            },
            work.Transaction, cancellationToken: cancellationToken));
        return TypedResults.Created($"/v1/trajectories/{caller.TrajectoryId}/communication-plan/entries/{entryId}", await ReadAndCommitAsync(work, caller.TrajectoryId, entryId, cancellationToken));
    }

    internal static Results<Ok<CommunicationPlanEntry>, ProblemHttpResult> GetPlanEntry(OwnedItem<CommunicationPlanEntry> entry) => TypedResults.Ok(entry.Item);

    internal static async Task<Results<Ok<CommunicationPlanEntry>, ProblemHttpResult>> UpdatePlanEntry(
        OwnedItem<CommunicationPlanEntry> entry, PlanEntryRequest request, CancellationToken cancellationToken)
    {
        await entry.Work.Connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE communication_plan_entries SET phase = @Phase, channel = @Channel, target_groups = @TargetGroups, planned_for = @When
            WHERE id = @EntryId
            """,
            new
            {
                EntryId = entry.Item.Id,
                request.Phase,
                request.Channel,
                TargetGroups = CoordinationValidation.Distinct(request.TargetGroups),
                When = request.When!.Trim(),
            },
            entry.Work.Transaction, cancellationToken: cancellationToken));
        return TypedResults.Ok(await ReadAndCommitAsync(entry.Work, entry.Item.TrajectoryId, entry.Item.Id, cancellationToken));
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeletePlanEntry(OwnedItem<CommunicationPlanEntry> entry, CancellationToken cancellationToken)
    {
        await Store.DeleteAsync(entry.Work, entry.Item.Id, cancellationToken);
        await entry.Work.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<CommunicationPlanEntry> ReadAndCommitAsync(UnitOfWork work, Guid trajectoryId, Guid entryId, CancellationToken cancellationToken)
    {
        var entry = (await Store.FindAsync(work, trajectoryId, entryId, forChange: false, cancellationToken))!;
        await work.CommitAsync(cancellationToken);
        return entry;
    }
}

public sealed record PlanEntryRequest([Vocabulary(typeof(TrajectoryPhases))] string? Phase, [Vocabulary(typeof(PlanChannels))] string? Channel, [Vocabulary(typeof(TargetGroups))] IReadOnlyList<string>? TargetGroups, [StringLength(200)] string? When) : IValidatableRequest
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

    [Vocabulary(typeof(TrajectoryPhases))]
    public required string Phase { get; init; }

    [Vocabulary(typeof(PlanChannels))]
    public required string Channel { get; init; }

    [Vocabulary(typeof(TargetGroups))]
    public required IReadOnlyList<string> TargetGroups { get; init; }

    /// <summary>A date or a period, as the partners put it: "2026-03-02", "week 12", "before the summer".</summary>
    public required string When { get; init; }

    public required Guid OwnerPartnerId { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
}

public sealed record CommunicationPlanPhase
{
    [Vocabulary(typeof(TrajectoryPhases))]
    public required string Phase { get; init; }

    public required IReadOnlyList<CommunicationPlanEntry> Entries { get; init; }

    /// <summary>The target groups no entry of this phase reaches; an entry for all residents reaches every group.</summary>
    [Vocabulary(typeof(TargetGroups))]
    public required IReadOnlyList<string> UnreachedTargetGroups { get; init; }
}

public sealed record CommunicationPlan
{
    public required Guid TrajectoryId { get; init; }

    /// <summary>Every phase, in the order a trajectory goes through them.</summary>
    public required IReadOnlyList<CommunicationPlanPhase> Phases { get; init; }
}
