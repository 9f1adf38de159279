using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Participatie.Drills;

/// <summary>What one request of a drill's load got: when it was due, its status (0: no answer at all) and what came with it.</summary>
public sealed record RequestOutcome(
    int Sequence, string Operation, TimeSpan DueAt, TimeSpan Latency, int Status, Guid? CreatedId, string? ContentType, bool HasRetryAfter, string? Failure)
{
    public bool Succeeded => Status is >= 200 and < 300;
}

/// <summary>
/// An open loop of requests through the gateway: each is sent when it is due, whether or not earlier ones have been
/// answered, so that a stalled platform shows as slow or failed requests rather than as fewer requests.
/// </summary>
public static class ReactionLoad
{
    /// <summary>The answer body kept for a failed request, enough to see what the problem said.</summary>
    private const int KeptBodyLength = 300;

    /// <summary>A resident's reaction to the world's consultation; the residents take turns.</summary>
    public static Func<int, HttpRequestMessage> Reactions(DrillWorld world)
    {
        var path = new Uri($"/v1/consultations/{world.ConsultationId}/reactions", UriKind.Relative);
        var bodies = world.Residents
            .Select(resident => JsonSerializer.SerializeToUtf8Bytes(new { residentId = resident, text = "Meer groen in de straat, graag." }))
            .ToArray();
        return sequence =>
        {
            var content = new ByteArrayContent(bodies[sequence % bodies.Length]);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            return new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        };
    }

    /// <summary>Reactions, and every fourth request a read of the consultation: a platform that answers reads and writes.</summary>
    public static Func<int, HttpRequestMessage> ReactionsAndReads(DrillWorld world)
    {
        var reactions = Reactions(world);
        var read = new Uri($"/v1/consultations/{world.ConsultationId}", UriKind.Relative);
        return sequence => sequence % 4 == 3 ? new HttpRequestMessage(HttpMethod.Get, read) : reactions(sequence);
    }

    /// <summary>
    /// Sends <paramref name="count"/> requests at <paramref name="perSecond"/> and returns every outcome in order. The
    /// clock the outcomes' <see cref="RequestOutcome.DueAt"/> are measured on is <paramref name="clock"/>, started by the caller,
    /// so that the drill can place its fault on the same time line.
    /// </summary>
    public static async Task<IReadOnlyList<RequestOutcome>> RunAsync(
        HttpClient client, Func<int, HttpRequestMessage> newRequest, double perSecond, int count, Stopwatch clock, bool keepIds = true)
    {
        var cancel = TestContext.Current.CancellationToken;
        var outcomes = new ConcurrentBag<RequestOutcome>();
        var inFlight = new List<Task>(count);
        var start = clock.Elapsed;
        for (var sequence = 0; sequence < count; sequence++)
        {
            var due = start + TimeSpan.FromSeconds(sequence / perSecond);
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait, cancel);
            }

            inFlight.Add(SendAsync(client, newRequest(sequence), sequence, due, clock, outcomes, keepIds, cancel));
        }

        await Task.WhenAll(inFlight);
        return [.. outcomes.OrderBy(outcome => outcome.Sequence)];
    }

    private static async Task SendAsync(
        HttpClient client, HttpRequestMessage request, int sequence, TimeSpan due, Stopwatch clock, ConcurrentBag<RequestOutcome> outcomes, bool keepIds, CancellationToken cancel)
    {
        var operation = $"{request.Method} {(request.Method == HttpMethod.Get ? "consultation" : "reaction")}";
        using (request)
        {
            try
            {
                using var response = await client.SendAsync(request, cancel);
                var status = (int)response.StatusCode;
                Guid? createdId = null;
                string? failure = null;
                if (response.IsSuccessStatusCode && keepIds && request.Method == HttpMethod.Post)
                {
                    await using var body = await response.Content.ReadAsStreamAsync(cancel);
                    using var json = await JsonDocument.ParseAsync(body, cancellationToken: cancel);
                    createdId = json.RootElement.GetProperty("id").GetGuid();
                }
                else if (!response.IsSuccessStatusCode)
                {
                    var text = await response.Content.ReadAsStringAsync(cancel);
                    failure = text.Length <= KeptBodyLength ? text : text[..KeptBodyLength];
                }
                else
                {
                    // Read to the end so that the connection goes back to the pool.
                    await response.Content.CopyToAsync(Stream.Null, cancel);
                }

                outcomes.Add(new RequestOutcome(
                    sequence, operation, due, clock.Elapsed - due, status, createdId, response.Content.Headers.ContentType?.MediaType,
                    response.Headers.RetryAfter is not null, failure));
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or IOException)
            {
                outcomes.Add(new RequestOutcome(sequence, operation, due, clock.Elapsed - due, 0, null, null, false, $"{exception.GetType().Name}: {exception.Message}"));
            }
        }
    }

    /// <summary>A line per status code, with how many requests got it: the summary a drill prints.</summary>
    public static string Summary(IEnumerable<RequestOutcome> outcomes)
    {
        var text = new StringBuilder();
        foreach (var group in outcomes.GroupBy(outcome => (outcome.Operation, outcome.Status)).OrderBy(group => group.Key.Operation, StringComparer.Ordinal).ThenBy(group => group.Key.Status))
        {
            text.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"  {group.Key.Operation,-18} {(group.Key.Status == 0 ? "no answer" : group.Key.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)),-9} {group.Count(),7}");
        }

        return text.ToString();
    }
}
