using System.ComponentModel.DataAnnotations;
using Participatie.BuildingBlocks.Http;
using Participatie.Contracts;
using Participatie.PartnerCoordination.Domain;

namespace Participatie.PartnerCoordination.Trajectories;

public sealed record CreateTrajectoryRequest([StringLength(200)] string? Name, string? Description, IReadOnlyList<string>? BuurtCodes) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        if (errors.Required("name", Name))
        {
            errors.MaxLength("name", Name, 200);
        }

        errors.MaxLength("description", Description, 4000);
        if (BuurtCodes is null || BuurtCodes.Count == 0)
        {
            errors.Add("buurtCodes", "'buurtCodes' must name at least one buurt.");
        }
        // Any, not FirstOrDefault: a null item is invalid too, and FirstOrDefault would return it as "nothing found".
        else if (BuurtCodes.Any(code => !Contracts.BuurtCodes.IsValid(code)))
        {
            var invalid = BuurtCodes.First(code => !Contracts.BuurtCodes.IsValid(code));
            errors.Add("buurtCodes", $"'{invalid ?? "null"}' is not a CBS buurt code such as 'BU03630001'.");
        }
    }
}

public sealed record AddBuurtenRequest(IReadOnlyList<string>? BuurtCodes) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        if (BuurtCodes is null || BuurtCodes.Count == 0)
        {
            errors.Add("buurtCodes", "'buurtCodes' must name at least one buurt.");
        }
        // Any, not FirstOrDefault: a null item is invalid too, and FirstOrDefault would return it as "nothing found".
        else if (BuurtCodes.Any(code => !Contracts.BuurtCodes.IsValid(code)))
        {
            var invalid = BuurtCodes.First(code => !Contracts.BuurtCodes.IsValid(code));
            errors.Add("buurtCodes", $"'{invalid ?? "null"}' is not a CBS buurt code such as 'BU03630001'.");
        }
    }
}

public sealed record ChangePhaseRequest([Vocabulary(typeof(TrajectoryPhases))] string? Phase) : IValidatableRequest
{
    public void Validate(ValidationErrors errors) => errors.OneOf("phase", Phase, TrajectoryPhases.All);
}

public sealed record SetMemberRequest([Vocabulary(typeof(TrajectoryRoles), nameof(TrajectoryRoles.Assignable))] string? Role) : IValidatableRequest
{
    public void Validate(ValidationErrors errors) => errors.OneOf("role", Role, TrajectoryRoles.Assignable);
}

public sealed record TrajectoryResponse
{
    public required Guid Id { get; init; }

    public required string Name { get; init; }

    public required string Description { get; init; }

    public required IReadOnlyList<string> BuurtCodes { get; init; }

    public required Guid LeadPartnerId { get; init; }

    /// <summary>orientation, plan-making, decision, execution or aftercare.</summary>
    [Vocabulary(typeof(TrajectoryPhases))]
    public required string Phase { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The calling partner's role; absent for the platform operator.</summary>
    [Vocabulary(typeof(TrajectoryRoles))]
    public string? MyRole { get; init; }

    public IReadOnlyList<TrajectoryMember> Members { get; init; } = [];
}

public sealed record TrajectoryMember
{
    public required Guid PartnerId { get; init; }

    public required string PartnerName { get; init; }

    [Vocabulary(typeof(PartnerKinds))]
    public required string PartnerKind { get; init; }

    [Vocabulary(typeof(TrajectoryRoles))]
    public required string Role { get; init; }

    public required DateTimeOffset JoinedAt { get; init; }
}

/// <summary>
/// What the trajectory audit log records. The calls to <see cref="AuditLog.RecordAsync"/> name their action as a
/// literal; a unit test holds every such literal to this list.
/// </summary>
public static class AuditActions
{
    public static readonly IReadOnlyList<string> All =
    [
        "trajectory-created", "member-added", "member-role-changed", "member-removed", "phase-changed", "buurten-added",
        "task-reassigned", "activity-reassigned", "advice-requested", "decision-recorded",
    ];
}

public sealed record AuditEntry
{
    public Guid? ActorPartnerId { get; init; }

    public required string ActorClientId { get; init; }

    [Vocabulary(typeof(AuditActions))]
    public required string Action { get; init; }

    public required string Subject { get; init; }

    public required string Details { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }
}
