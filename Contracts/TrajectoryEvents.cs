namespace Participatie.Contracts;

/// <summary>
/// A trajectory entered a new phase. Carries its buurten so that the residents concerned can be told, in their own
/// language, without asking partner coordination who they are.
/// </summary>
public sealed record TrajectoryPhaseChanged(
    Guid TrajectoryId,
    string TrajectoryName,
    string Phase,
    string? PreviousPhase,
    IReadOnlyList<string> BuurtCodes,
    DateTimeOffset ChangedAt);

/// <summary>The phases a trajectory moves through, in order.</summary>
public static class TrajectoryPhases
{
    public const string Orientation = "orientation";
    public const string PlanMaking = "plan-making";
    public const string Decision = "decision";
    public const string Execution = "execution";
    public const string Aftercare = "aftercare";

    public static readonly IReadOnlyList<string> All = [Orientation, PlanMaking, Decision, Execution, Aftercare];
}

/// <summary>
/// A trajectory was created or its buurten or membership changed. Carries the whole trajectory as it is after the
/// change, with a version that grows by one with every change, so that a projection elsewhere converges to the latest
/// state however messages are ordered or redelivered: it applies a snapshot only when its version is newer.
/// </summary>
public sealed record TrajectoryChanged(
    Guid TrajectoryId,
    string Change,
    long Version,
    string Name,
    IReadOnlyList<string> BuurtCodes,
    Guid LeadPartnerId,
    IReadOnlyList<TrajectoryMember> Members,
    DateTimeOffset ChangedAt);

/// <summary>A partner taking part in a trajectory, with its role (<see cref="TrajectoryRoles"/>).</summary>
public sealed record TrajectoryMember(Guid PartnerId, string Role);

/// <summary>What a <see cref="TrajectoryChanged"/> reports.</summary>
public static class TrajectoryChanges
{
    public const string Created = "created";
    public const string BuurtenChanged = "buurten-changed";
    public const string MemberAdded = "member-added";
    public const string RoleChanged = "role-changed";
    public const string MemberRemoved = "member-removed";
}
