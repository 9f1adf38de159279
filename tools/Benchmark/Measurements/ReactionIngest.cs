using System.Net.Http.Headers;
using System.Text.Json;
using Participatie.Benchmark.Load;
using Participatie.Benchmark.Setup;

namespace Participatie.Benchmark.Measurements;

/// <summary>Reactions entered through the gateway as fast as the platform accepts them, for the consultation's residents in turn.</summary>
internal static class ReactionIngest
{
    public static async Task<LoadResult> RunAsync(BenchmarkSettings settings, BenchmarkWorld world, CancellationToken cancellationToken)
    {
        using var client = new LoadClient(settings.Gateway, settings.Connections, world.AccessToken);
        return await ClosedLoopLoad.RunAsync(client, Requests(world), settings.Connections, settings.WarmUp, settings.Duration, cancellationToken);
    }

    /// <summary>The same reactions at a steady rate, each timed from when it was due.</summary>
    public static async Task<LoadResult> RunPacedAsync(BenchmarkSettings settings, BenchmarkWorld world, CancellationToken cancellationToken)
    {
        using var client = new LoadClient(settings.Gateway, settings.Connections, world.AccessToken);
        return (await PacedLoad.RunAsync([client], Requests(world), settings.PacedReactionsPerSecond, settings.WarmUp, settings.Duration, cancellationToken))[0];
    }

    /// <summary>A reaction of each of the consultation's residents in turn.</summary>
    public static Func<HttpRequestMessage> Requests(BenchmarkWorld world)
    {
        var bodies = world.ReactingResidents
            .Select(resident => JsonSerializer.SerializeToUtf8Bytes(new { residentId = resident, text = "Meer groen in de straat, graag." }))
            .ToArray();
        var path = new Uri($"/v1/consultations/{world.ConsultationId}/reactions", UriKind.Relative);
        var next = -1;

        HttpRequestMessage NewRequest()
        {
            var content = new ByteArrayContent(bodies[(uint)Interlocked.Increment(ref next) % bodies.Length]);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            return new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        }

        return NewRequest;
    }
}
