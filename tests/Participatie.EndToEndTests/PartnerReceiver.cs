using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Participatie.Client;

namespace Participatie.EndToEndTests;

/// <summary>
/// A partner's own system as the README shows it: an HTTP endpoint on a loopback port that checks each delivery's
/// signature with the .NET client's <see cref="WebhookSignature"/> before it accepts the event. The platform runs in
/// Development here, where callbacks to loopback addresses are allowed.
/// </summary>
public sealed class PartnerReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedEvent> _accepted = new();
    private readonly ConcurrentQueue<string> _refused = new();
    private WebApplication? _app;

    /// <summary>The subscription's secret; known only once the subscription exists, which needs this receiver's address.</summary>
    public string? Secret { get; set; }

    public Uri CallbackUrl { get; private set; } = null!;

    public IReadOnlyList<ReceivedEvent> Accepted => [.. _accepted];

    public IReadOnlyList<string> Refused => [.. _refused];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/participatie/events", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var headers = request.Headers.Select(header => KeyValuePair.Create(header.Key, header.Value.ToString())).ToList();
            if (Secret is null || !WebhookSignature.Verify(Secret, headers, body))
            {
                _refused.Enqueue(body);
                return Results.Unauthorized();
            }

            _accepted.Enqueue(new ReceivedEvent(headers.ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase), body));
            return Results.NoContent();
        });
        await _app.StartAsync(cancellationToken);
        CallbackUrl = new Uri(new Uri(_app.Urls.First()), "/participatie/events");
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }
    }
}

/// <summary>An event the receiver accepted: its headers and body exactly as they arrived.</summary>
public sealed record ReceivedEvent(IReadOnlyDictionary<string, string> Headers, string Body)
{
    public JsonElement CloudEvent => JsonDocument.Parse(Body).RootElement.Clone();

    public string Type => CloudEvent.GetProperty("type").GetString()!;
}
