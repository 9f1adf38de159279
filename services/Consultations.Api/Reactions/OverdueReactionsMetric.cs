using System.Diagnostics.Metrics;
using Npgsql;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Hosting;
using Participatie.BuildingBlocks.Time;

namespace Participatie.Consultations.Reactions;

/// <summary>
/// The number of reactions whose answer is overdue, on the dashboard as the gauge
/// <c>participatie.reactions.overdue</c>. The count is taken from the database every 30 seconds and cached: a scrape
/// reads the cached value and never waits for (or loads) the database.
/// </summary>
public sealed class OverdueReactionsMetric : PeriodicJob
{
    public const string MeterName = "Participatie.Consultations";
    public const string InstrumentName = "participatie.reactions.overdue";

    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(30);

    private readonly NpgsqlDataSource _database;
    private readonly UnitOfWorkFactory _unitOfWork;

    // -1 until the first count: a gauge that reports nothing is better than one that reports a false zero.
    private long _overdue = -1;

    public OverdueReactionsMetric(
        NpgsqlDataSource database, UnitOfWorkFactory unitOfWork, TimeProvider clock, IMeterFactory meterFactory, ILogger<OverdueReactionsMetric> logger)
        : base(RefreshInterval, clock, logger)
    {
        _database = database;
        _unitOfWork = unitOfWork;
        meterFactory.Create(MeterName).CreateObservableGauge(
            InstrumentName,
            Observe,
            unit: "{reaction}",
            description: "Reactions whose answer deadline has passed without an outcome (received or under consideration)");
    }

    /// <summary>Counts the overdue reactions now and caches the number for the gauge.</summary>
    public async Task<long> RefreshAsync(CancellationToken cancellationToken)
    {
        var overdue = await ReactionStore.CountOverdueAsync(_database, AmsterdamClock.Today(Clock), cancellationToken);
        Interlocked.Exchange(ref _overdue, overdue);
        return overdue;
    }

    // A round that fails is logged by the base and the gauge keeps its last count until the next refresh succeeds.
    // The same round then announces newly overdue reactions and closed consultations to partners (PartnerAlerts);
    // counting goes first, so that the gauge never waits for (or fails with) an announcement.
    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await RefreshAsync(cancellationToken);
        await PartnerAlerts.AnnounceDueAsync(_unitOfWork, Clock, cancellationToken);
    }

    private IEnumerable<Measurement<long>> Observe()
    {
        var overdue = Interlocked.Read(ref _overdue);
        return overdue < 0 ? [] : [new Measurement<long>(overdue)];
    }
}

public static class OverdueReactionsMetricExtensions
{
    /// <summary>Counts overdue reactions in the background; the one instance is also resolvable, to refresh it at once.</summary>
    public static IServiceCollection AddOverdueReactionsMetric(this IServiceCollection services)
    {
        services.AddSingleton<OverdueReactionsMetric>();
        services.AddHostedService(provider => provider.GetRequiredService<OverdueReactionsMetric>());
        return services;
    }
}
