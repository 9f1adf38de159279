using Participatie.Contracts;

namespace Participatie.PartnerCoordination.Domain;

/// <summary>The groups of residents that activities, communication and lessons learned aim to reach.</summary>
public static class TargetGroups
{
    /// <summary>Everyone in the trajectory's buurten: reaching them reaches every other group.</summary>
    public const string AllResidents = "all-residents";
    public const string Tenants = "tenants";
    public const string OwnerOccupiers = "owner-occupiers";
    public const string Elderly = "elderly";
    public const string Youth = "youth";
    public const string Families = "families";
    public const string NonDutchSpeakers = "non-dutch-speakers";
    public const string PeopleWithDisabilities = "people-with-disabilities";
    public const string Entrepreneurs = "entrepreneurs";

    public static readonly IReadOnlyList<string> All =
        [AllResidents, Tenants, OwnerOccupiers, Elderly, Youth, Families, NonDutchSpeakers, PeopleWithDisabilities, Entrepreneurs];
}

/// <summary>Where a task between partners stands.</summary>
public static class TaskStatuses
{
    public const string Open = "open";
    public const string InProgress = "in-progress";
    public const string Done = "done";
    public const string Cancelled = "cancelled";

    public static readonly IReadOnlyList<string> All = [Open, InProgress, Done, Cancelled];

    /// <summary>A finished task is never overdue.</summary>
    public static bool IsFinished(string status) => status is Done or Cancelled;
}

/// <summary>What kind of moment an activity on the shared agenda is.</summary>
public static class ActivityKinds
{
    public const string ResidentsEvening = "bewonersavond";
    public const string DoorToDoor = "door-to-door";
    public const string WalkInHours = "inloopspreekuur";
    public const string Meeting = "meeting";
    public const string Other = "other";

    public static readonly IReadOnlyList<string> All = [ResidentsEvening, DoorToDoor, WalkInHours, Meeting, Other];
}

/// <summary>The channels a communication plan uses: the resident channels plus meetings and door-to-door visits.</summary>
public static class PlanChannels
{
    public const string Meeting = "meeting";
    public const string DoorToDoor = "door-to-door";

    public static readonly IReadOnlyList<string> All = [Channels.Letter, Channels.Email, Channels.Sms, Meeting, DoorToDoor, Channels.App];
}

/// <summary>What kind of renewal a trajectory is, as best practices are filed.</summary>
public static class TrajectoryKinds
{
    public const string Renovation = "renovation";
    public const string DemolitionNewBuild = "demolition-new-build";
    public const string PublicSpace = "public-space";
    public const string Other = "other";

    public static readonly IReadOnlyList<string> All = [Renovation, DemolitionNewBuild, PublicSpace, Other];
}
