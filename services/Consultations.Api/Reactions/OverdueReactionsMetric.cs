using System.Diagnostics.Metrics;
using Npgsql;
using Participatie.Consultations.Domain;

namespace Participatie.Consultations.Reactions;

/// <summary>
/// The number of reactions whose answer is overdue, on the dashboard as the gauge
/// <c>participatie.reactions.overdue</c>. The count is taken from the database every 30 seconds and cached: a scrape
/// reads the cached value and never waits for (or loads) the database.
/// </summary>
public sealed partial class OverdueReactionsMetric : BackgroundService
{
    public const string MeterName = "Participatie.Consultations";
    public const string InstrumentName = "participatie.reactions.overdue";

    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(30);

    private readonly NpgsqlDataSource _database;
    private readonly TimeProvider _clock;
    private readonly ILogger<OverdueReactionsMetric> _logger;

    // -1 until the first count: a gauge that reports nothing is better than one that reports a false zero.
    private long _overdue = -1;

    public OverdueReactionsMetric(
        NpgsqlDataSource database, TimeProvider clock, IMeterFactory meterFactory, ILogger<OverdueReactionsMetric> logger)
    {
        _database = database;
        _clock = clock;
        _logger = logger;
        meterFactory.Create(MeterName).CreateObservableGauge(
            InstrumentName,
            Observe,
            unit: "{reaction}",
            description: "Reactions whose answer deadline has passed without an outcome (received or under consideration)");
    }

    /// <summary>Counts the overdue reactions now and caches the number for the gauge.</summary>
    public async Task<long> RefreshAsync(CancellationToken cancellationToken)
    {
        var overdue = await ReactionStore.CountOverdueAsync(_database, DutchCalendar.Today(_clock), cancellationToken);
        Interlocked.Exchange(ref _overdue, overdue);
        return overdue;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(RefreshInterval, _clock);
        try
        {
            do
            {
                try
                {
                    await RefreshAsync(stoppingToken);
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    // The database is away: the gauge keeps its last count until the next refresh succeeds.
                    LogRefreshFailed(exception);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private IEnumerable<Measurement<long>> Observe()
    {
        var overdue = Interlocked.Read(ref _overdue);
        return overdue < 0 ? [] : [new Measurement<long>(overdue)];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Counting the overdue reactions failed; the gauge keeps its last value")]
    private partial void LogRefreshFailed(Exception exception);
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
