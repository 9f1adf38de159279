using System.Diagnostics;
using Microsoft.Extensions.Hosting;

namespace Participatie.UnitTests;

/// <summary>ServiceDefaults keeps every trace (./run.sh) unless Telemetry:TraceSampleRatio says otherwise (eng/bench.sh).</summary>
public class TraceSamplingTests
{
    [Fact]
    public async Task Every_trace_is_kept_without_a_ratio() =>
        Assert.True(await IsRecordedAsync(ratio: null));

    [Fact]
    public async Task No_trace_is_kept_at_a_ratio_of_zero() =>
        Assert.False(await IsRecordedAsync(ratio: "0"));

    [Fact]
    public async Task Every_trace_is_kept_at_a_ratio_of_one() =>
        Assert.True(await IsRecordedAsync(ratio: "1"));

    private static async Task<bool> IsRecordedAsync(string? ratio)
    {
        // A source of its own per test, so that no other test's tracer sees its activities.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ApplicationName = $"trace-sampling-{Guid.NewGuid():N}",
            DisableDefaults = true,
        });
        if (ratio is not null)
        {
            builder.Configuration["Telemetry:TraceSampleRatio"] = ratio;
        }

        builder.ConfigureOpenTelemetry();
        using var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        using var source = new ActivitySource(builder.Environment.ApplicationName);
        using var activity = source.StartActivity("request", ActivityKind.Server);
        await host.StopAsync(TestContext.Current.CancellationToken);
        return activity?.Recorded == true;
    }
}
