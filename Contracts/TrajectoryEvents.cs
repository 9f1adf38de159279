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
