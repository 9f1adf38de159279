using Xunit.Sdk;
using Xunit.v3;

[assembly: TestCollectionOrderer(typeof(Participatie.Drills.DrillOrder))]

namespace Participatie.Drills;

/// <summary>
/// The drills in a fixed order (each class is its own collection): the fuzz first, on a platform no fault has touched
/// yet, then the faults from the mildest to the one that takes the most down, and the long soak last.
/// </summary>
public sealed class DrillOrder : ITestCollectionOrderer
{
    private static readonly string[] Order =
        [nameof(OpenApiFuzzDrill), nameof(BrokerDownDrill), nameof(ReplicaKillDrill), nameof(DatabaseDownDrill), nameof(SoakDrill)];

    public IReadOnlyCollection<TTestCollection> OrderTestCollections<TTestCollection>(IReadOnlyCollection<TTestCollection> testCollections)
        where TTestCollection : ITestCollection =>
        [.. testCollections.OrderBy(collection => Array.FindIndex(Order, drill => collection.TestCollectionDisplayName.Contains($".{drill}", StringComparison.Ordinal)))];
}
