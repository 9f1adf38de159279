using System.Diagnostics;
using System.Net;
using Participatie.Benchmark.Platform;
using Participatie.Benchmark.Setup;

namespace Participatie.Benchmark.Measurements;

/// <summary>
/// Times of the fan-out: registering the buurt's residents in bulk through the gateway, the notifications service
/// learning of them, and from opening a consultation for the buurt until every resident's invitation is stored.
/// Null where a step did not finish; <see cref="Problem"/> says why.
/// </summary>
internal sealed record FanOutResult(int Residents, TimeSpan? BulkRegistration, TimeSpan? RecipientsKnown, TimeSpan? FanOut, long InvitationsStored, string? Problem);

internal static class InvitationFanOut
{
    /// <summary>The most residents POST /v1/residents/bulk takes at once.</summary>
    private const int BatchSize = 10_000;

    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Every registration reaches the notifications service as its own event, which takes a while for 100,000.</summary>
    private static readonly TimeSpan RecipientsTimeout = TimeSpan.FromMinutes(15);

    public static async Task<FanOutResult> RunAsync(
        BenchmarkSettings settings, BenchmarkWorld world, PlatformDatabase database, Action<string> report, CancellationToken cancellationToken)
    {
        using var api = new GatewayApi(settings.Gateway);
        api.UseAccessToken(world.AccessToken);
        var residents = settings.FanOutResidents;
        var buurt = world.FanOutBuurtCode;

        var registered = await RegisterBuurtAsync(api, database, buurt, residents, ResidentBodies.Resident, report, cancellationToken);
        if (registered.Problem is not null)
        {
            return new FanOutResult(residents, registered.BulkRegistration, registered.RecipientsKnown, null, 0, registered.Problem);
        }

        var bulkRegistration = registered.BulkRegistration!.Value;
        var recipientsKnown = registered.RecipientsKnown!.Value;

        var fanOut = Stopwatch.StartNew();
        var consultation = await api.CreateAsync("/v1/consultations", new
        {
            trajectoryId = world.TrajectoryId,
            title = "Benchmark: uitnodigingen",
            description = "Iedereen in de buurt wordt uitgenodigd.",
            buurtCode = buurt,
            closesOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(30)),
        }, cancellationToken);

        long stored = 0;
        try
        {
            await Waiting.UntilAsync(
                async () => (stored = await database.CountAsync(
                    "notificationsdb", "SELECT count(*) FROM notifications WHERE kind = 'consultation-opened' AND subject_id = @p", Guid.Parse(consultation), cancellationToken)) >= residents,
                StepTimeout, $"{residents} invitations", cancellationToken);
        }
        catch (TimeoutException timeout)
        {
            return new FanOutResult(residents, bulkRegistration, recipientsKnown, null, stored, timeout.Message);
        }

        return new FanOutResult(residents, bulkRegistration, recipientsKnown, fanOut.Elapsed, stored, null);
    }

    /// <summary>How registering a buurt's residents went: each time is null when its step did not finish.</summary>
    internal sealed record BuurtRegistration(TimeSpan? BulkRegistration, TimeSpan? RecipientsKnown, string? Problem);

    /// <summary>
    /// Registers <paramref name="residents"/> residents of the buurt in bulk through the gateway and waits until the
    /// notifications service knows every one of them; shared with the e-mail delivery measure.
    /// </summary>
    internal static async Task<BuurtRegistration> RegisterBuurtAsync(
        GatewayApi api, PlatformDatabase database, string buurt, int residents, Func<int, string, object> body, Action<string> report, CancellationToken cancellationToken)
    {
        var bulk = Stopwatch.StartNew();
        try
        {
            for (var first = 1; first <= residents; first += BatchSize)
            {
                var batch = Enumerable.Range(first, Math.Min(BatchSize, residents - first + 1)).Select(number => body(number, buurt)).ToArray();
                using var results = await api.PostAsync("/v1/residents/bulk", new { residents = batch }, cancellationToken, idempotencyKey: $"bench-{buurt}-{first}");
                if (results.RootElement.GetProperty("invalid").GetInt32() is > 0 and var invalid)
                {
                    var firstProblem = results.RootElement.GetProperty("results").EnumerateArray().First(row => row.GetProperty("status").GetString() != "created");
                    return new BuurtRegistration(null, null, $"{invalid} residents of a bulk request were refused, for example {firstProblem}");
                }
            }
        }
        catch (GatewayCallFailedException failed) when (failed.Status is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
        {
            return new BuurtRegistration(null, null, "the residents service has no bulk registration (POST /v1/residents/bulk) yet");
        }

        var bulkRegistration = bulk.Elapsed;
        report($"{residents} residents registered in bulk in {bulkRegistration.TotalSeconds:0.0} s");

        try
        {
            await Waiting.UntilAsync(
                async () => await database.CountAsync("notificationsdb", "SELECT count(*) FROM recipients WHERE buurt_code = @p", buurt, cancellationToken) >= residents,
                RecipientsTimeout, $"the notifications service to know the {residents} residents", cancellationToken);
        }
        catch (TimeoutException timeout)
        {
            return new BuurtRegistration(bulkRegistration, null, timeout.Message);
        }

        var recipientsKnown = bulk.Elapsed;
        report($"the notifications service knew them {recipientsKnown.TotalSeconds:0.0} s after the first bulk request");
        return new BuurtRegistration(bulkRegistration, recipientsKnown, null);
    }
}
