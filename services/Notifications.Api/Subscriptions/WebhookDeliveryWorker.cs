using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;
using Participatie.BuildingBlocks.Hosting;

namespace Participatie.Notifications.Subscriptions;

/// <summary>
/// Delivers the pending events of every subscription, at least once: each attempt is signed per Standard Webhooks and
/// a failure is tried again after the configured backoff, until the last try fails it (the partner replays it).
/// A round only claims and starts attempts, it never waits for them: a slow or dead endpoint holds its own slots (a
/// few per subscription, each for at most the attempt timeout) and never the round, so other partners' deliveries go
/// on. Several instances claim side by side (SKIP LOCKED), and rows whose worker died are taken up after their lease.
/// </summary>
public sealed partial class WebhookDeliveryWorker : PeriodicJob
{
    public const string HttpClientName = "webhooks";

    private readonly WebhookDeliveryStore _store;
    private readonly IHttpClientFactory _httpClients;
    private readonly SubscriptionOptions _options;
    private readonly ConcurrentDictionary<Guid, Task> _inFlight = new();

    public WebhookDeliveryWorker(
        WebhookDeliveryStore store, IHttpClientFactory httpClients, IOptions<SubscriptionOptions> options, TimeProvider clock,
        ILogger<WebhookDeliveryWorker> logger)
        : base(options.Value.PollInterval, clock, logger)
    {
        _store = store;
        _httpClients = httpClients;
        _options = options.Value;
    }

    /// <summary>Attempts started and not yet recorded; for tests and diagnostics.</summary>
    public int AttemptsInFlight => _inFlight.Count;

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        if (!_options.WorkerEnabled)
        {
            return;
        }

        var now = Clock.GetUtcNow();
        // The lease outlives the attempt's timeout, so a row is taken over only when its worker is gone.
        var claimedUntil = Microseconds(now + _options.AttemptTimeout + TimeSpan.FromSeconds(30));
        var claimed = await _store.ClaimDueAsync(
            _options.MaximumConcurrency - _inFlight.Count, _options.ConcurrencyPerSubscription, now, claimedUntil, cancellationToken);
        foreach (var delivery in claimed)
        {
            // Registered before it starts, so that an attempt that ends at once is removed after it was added.
            var key = Guid.NewGuid();
            var attempt = new Task<Task>(() => AttemptAsync(delivery, cancellationToken));
            _inFlight[key] = attempt.Unwrap().ContinueWith(_ => _inFlight.TryRemove(key, out Task? _), TaskScheduler.Default);
            attempt.Start(TaskScheduler.Default);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // An attempt cut short by the stop is not recorded: its lease runs out and the next start sends it again.
        await Task.WhenAll(_inFlight.Values).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task AttemptAsync(ClaimedDelivery delivery, CancellationToken stoppingToken)
    {
        int? statusCode = null;
        string? error;
        try
        {
            using var request = Sign(delivery, Clock.GetUtcNow());
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(_options.AttemptTimeout);
            var client = _httpClients.CreateClient(HttpClientName);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            statusCode = (int)response.StatusCode;
            error = response.IsSuccessStatusCode ? null : $"the endpoint answered {statusCode}";
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        catch (OperationCanceledException)
        {
            error = $"no answer within {_options.AttemptTimeout.TotalSeconds:0.#} s";
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException or InvalidOperationException)
        {
            error = $"{exception.GetType().Name}: {exception.Message}";
        }

        var now = Clock.GetUtcNow();
        try
        {
            if (error is null)
            {
                await _store.RecordAsync(delivery, DeliveryStatusValues.Delivered, null, now, statusCode, null, CancellationToken.None);
            }
            else if (delivery.Attempts < _options.MaximumAttempts)
            {
                var retryAt = now + _options.EffectiveRetryDelays[delivery.Attempts - 1];
                await _store.RecordAsync(delivery, DeliveryStatusValues.Pending, retryAt, now, statusCode, error, CancellationToken.None);
            }
            else
            {
                await _store.RecordAsync(
                    delivery, DeliveryStatusValues.Failed, null, now, statusCode, $"gave up after {delivery.Attempts} attempts: {error}", CancellationToken.None);
                LogGaveUp(Logger, delivery.Id, delivery.Attempts, error);
            }
        }
        catch (Exception exception)
        {
            // The database is away: the lease runs out and the delivery is attempted again, which at least once allows.
            LogRecordFailed(Logger, exception, delivery.Id);
        }
    }

    /// <summary>The request as Standard Webhooks has it: the id stays the same over retries and replays, the receiver deduplicates on it.</summary>
    internal static HttpRequestMessage Sign(ClaimedDelivery delivery, DateTimeOffset now)
    {
        var messageId = delivery.Id.ToString();
        var timestamp = now.ToUnixTimeSeconds();
        // The previous secret signs beside the new one during a rotation's overlap, so receivers can switch at leisure.
        IEnumerable<string> secrets = delivery.PreviousSecret is not null && delivery.PreviousSecretExpiresAt > now
            ? [delivery.Secret, delivery.PreviousSecret]
            : [delivery.Secret];
        var request = new HttpRequestMessage(HttpMethod.Post, delivery.CallbackUrl)
        {
            Content = new StringContent(delivery.Body, Encoding.UTF8, new MediaTypeHeaderValue("application/cloudevents+json") { CharSet = "utf-8" }),
        };
        request.Headers.Add(WebhookSignature.IdHeader, messageId);
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.SignWithAll(secrets, messageId, timestamp, delivery.Body));
        if (delivery.AuthHeader is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", delivery.AuthHeader);
        }

        return request;
    }

    // PostgreSQL keeps microseconds: a lease compared for equality must not carry the ticks beyond them.
    private static DateTimeOffset Microseconds(DateTimeOffset time) => new(time.Ticks - (time.Ticks % 10), time.Offset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId} failed for good after {Attempts} attempts: {Error}")]
    private static partial void LogGaveUp(ILogger logger, Guid deliveryId, int attempts, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The outcome of webhook delivery {DeliveryId} could not be recorded; it is attempted again")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, Guid deliveryId);
}
