using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Participatie.UnitTests;

/// <summary>
/// ServiceDefaults keeps at most 500 series per metric (the SDK's 2,000 cost each service 13 MB of pre-allocated
/// points); the series beyond go to one overflow series instead of being lost.
/// </summary>
public class MetricCardinalityTests
{
    [Fact]
    public async Task A_metric_keeps_500_series_and_counts_the_rest_in_one_overflow_series()
    {
        var meterName = $"Participatie.Tests.Cardinality{Guid.NewGuid():N}";
        var exporter = new CountingExporter();
        using var reader = new BaseExportingMetricReader(exporter);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.ConfigureOpenTelemetry();
        builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddReader(reader));
        using var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);

        using var meter = new Meter(meterName);
        var counter = meter.CreateCounter<long>("requests");
        for (var route = 0; route < 700; route++)
        {
            counter.Add(1, new KeyValuePair<string, object?>("route", $"/v1/route-{route}"));
        }

        Assert.True(reader.Collect());
        await host.StopAsync(TestContext.Current.CancellationToken);

        var points = exporter.Points.Where(point => point.Metric == "requests").ToList();
        Assert.Equal(500, points.Count(point => !point.Overflow));
        Assert.Equal(200, points.Where(point => point.Overflow).Sum(point => point.Sum));
    }

    private sealed record ExportedPoint(string Metric, bool Overflow, long Sum);

    private sealed class CountingExporter : BaseExporter<Metric>
    {
        public List<ExportedPoint> Points { get; } = [];

        public override ExportResult Export(in Batch<Metric> batch)
        {
            // Only the test's counter: the runtime's gauges and histograms have no long sum.
            foreach (var metric in batch)
            {
                if (metric.Name != "requests")
                {
                    continue;
                }

                foreach (ref readonly var point in metric.GetMetricPoints())
                {
                    var overflow = false;
                    foreach (var tag in point.Tags)
                    {
                        overflow |= tag.Key == "otel.metric.overflow";
                    }

                    Points.Add(new ExportedPoint(metric.Name, overflow, point.GetSumLong()));
                }
            }

            return ExportResult.Success;
        }
    }
}
