namespace Participatie.PartnerCoordination.Domain;

/// <summary>Which target groups a phase of the communication plan leaves out.</summary>
public static class CommunicationReach
{
    /// <summary>
    /// The target groups, in vocabulary order, that none of the given entries (each the groups one planned entry
    /// addresses) reaches. An entry for <see cref="TargetGroups.AllResidents"/> reaches every group; an entry for
    /// some groups does not reach "all residents", as the groups overlap and need not cover everyone.
    /// </summary>
    public static IReadOnlyList<string> Unreached(IEnumerable<IReadOnlyCollection<string>> plannedEntries)
    {
        ArgumentNullException.ThrowIfNull(plannedEntries);
        var reached = plannedEntries.SelectMany(groups => groups).ToHashSet(StringComparer.Ordinal);
        return reached.Contains(TargetGroups.AllResidents)
            ? []
            : [.. TargetGroups.All.Where(group => !reached.Contains(group))];
    }
}
