namespace Participatie.Contracts;

/// <summary>
/// What a partner may do in a trajectory. One lead (the partner that started it); co-owners share the lead's say
/// over who takes part; contributors work in it (consultations, tasks, messages); observers only read.
/// </summary>
public static class TrajectoryRoles
{
    public const string Lead = "lead";
    public const string CoOwner = "co-owner";
    public const string Contributor = "contributor";
    public const string Observer = "observer";

    public static readonly IReadOnlyList<string> All = [Lead, CoOwner, Contributor, Observer];

    /// <summary>The roles a lead or co-owner can give; there is only one lead.</summary>
    public static readonly IReadOnlyList<string> Assignable = [CoOwner, Contributor, Observer];

    public static bool CanManageMembers(string? role) => role is Lead or CoOwner;

    public static bool CanContribute(string? role) => role is Lead or CoOwner or Contributor;

    public static bool CanRead(string? role) => role is not null;
}
