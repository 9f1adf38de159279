using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Participatie.Contracts;
using Participatie.Notifications.Domain;

namespace Participatie.Notifications.Delivery;

/// <summary>
/// Takes due notifications out of the database and sends them over their channel (letters go in the daily print batch
/// instead): fetches the one address needed from the residents service, sends, and records how it went. Retries with
/// exponential backoff, falls back to a letter when a channel fails for good, holds e-mail and SMS in quiet hours, and
/// paces each channel. Several instances can run side by side: each claims its own notifications.
/// </summary>
public sealed partial class DeliveryWorker : BackgroundService
{
    private static readonly string[] WorkerChannels = [Channels.Email, Channels.Sms, Channels.App];
    private static readonly string[] QuietChannels = [.. WorkerChannels.Where(QuietHours.Apply)];

    private readonly DeliveryStore _store;
    private readonly IContactDirectory _contacts;
    private readonly Dictionary<string, IChannelSender> _senders;
    private readonly DeliveryOptions _options;
    private readonly RetrySchedule _retries;
    private readonly TimeProvider _clock;
    private readonly DeliveryMetrics _metrics;
    private readonly ILogger<DeliveryWorker> _logger;
    private readonly Dictionary<string, RateLimiter> _pace;
    private readonly Dictionary<string, int> _concurrency;
    private DateTimeOffset _leasesCheckedAt = DateTimeOffset.MinValue;

    public DeliveryWorker(
        DeliveryStore store,
        IContactDirectory contacts,
        IEnumerable<IChannelSender> senders,
        IOptions<DeliveryOptions> options,
        TimeProvider clock,
        DeliveryMetrics metrics,
        ILogger<DeliveryWorker> logger)
    {
        _store = store;
        _contacts = contacts;
        _senders = senders.ToDictionary(sender => sender.Channel, StringComparer.Ordinal);
        _options = options.Value;
        _retries = new RetrySchedule(_options.MaximumAttempts, _options.FirstRetryDelay, _options.LongestRetryDelay);
        _clock = clock;
        _metrics = metrics;
        _logger = logger;
        _pace = WorkerChannels.ToDictionary(channel => channel, channel => (RateLimiter)new TokenBucketRateLimiter(new()
        {
            TokenLimit = Math.Max(1, (int)_options.MessagesPerSecond.GetValueOrDefault(channel, 100)),
            TokensPerPeriod = Math.Max(1, (int)Math.Ceiling(_options.MessagesPerSecond.GetValueOrDefault(channel, 100) / 10)),
            ReplenishmentPeriod = TimeSpan.FromMilliseconds(100),
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        }), StringComparer.Ordinal);
        _concurrency = WorkerChannels.ToDictionary(channel => channel, channel => Math.Max(1, _options.Concurrency.GetValueOrDefault(channel, 4)), StringComparer.Ordinal);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.WorkerEnabled)
        {
            return;
        }

        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            var claimed = 0;
            try
            {
                claimed = await RunOnceAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // The database is away: try again after the poll interval.
                LogRoundFailed(_logger, exception);
            }

            if (claimed == 0)
            {
                try
                {
                    await Task.Delay(_options.PollInterval, _clock, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>One look: hold what quiet hours forbid, claim what is due, send it. Returns how many were claimed.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        if (now - _leasesCheckedAt > TimeSpan.FromMinutes(1))
        {
            await _store.ReleaseExpiredLeasesAsync(now, _options.MaximumAttempts, cancellationToken);
            _leasesCheckedAt = now;
        }

        // The app feed needs no sender; the other channels go out only where one is configured.
        var channels = WorkerChannels.Where(channel => channel == Channels.App || _senders.ContainsKey(channel)).ToArray();
        // Quiet hours are each resident's own when they set them, the platform's otherwise: the claim leaves out whoever
        // is in theirs, and what they were due is held until theirs end.
        var inDefaultQuietHours = _options.KeepQuietHours && QuietHours.Contains(now);
        if (_options.KeepQuietHours)
        {
            if (inDefaultQuietHours)
            {
                await _store.HoldForQuietHoursAsync(QuietChannels, now, QuietHours.EndAfter(now), cancellationToken);
            }

            await _store.HoldForOwnQuietHoursAsync(QuietChannels, now, cancellationToken);
        }

        if (channels.Length == 0)
        {
            return 0;
        }

        var batch = await _store.ClaimDueAsync(
            channels, _options.BatchSize, now, _options.Lease, cancellationToken, _options.KeepQuietHours ? QuietChannels : [], inDefaultQuietHours);
        // The app feed's items were delivered by the claim: the notification itself is the feed item.
        var feedItems = batch.Count(notification => notification.Channel == Channels.App);
        if (feedItems > 0)
        {
            _metrics.Attempted(Channels.App, SendResult.Delivered, feedItems);
        }

        await Task.WhenAll(batch.Where(notification => notification.Channel != Channels.App).GroupBy(notification => notification.Channel).Select(group =>
            Parallel.ForEachAsync(group, new ParallelOptions { MaxDegreeOfParallelism = _concurrency[group.Key], CancellationToken = cancellationToken },
                async (notification, token) => await DeliverAsync(notification, token))));
        return batch.Count;
    }

    private async Task DeliverAsync(ClaimedNotification notification, CancellationToken cancellationToken)
    {
        var sender = _senders[notification.Channel];
        SendOutcome outcome;
        try
        {
            var contact = await _contacts.FindAsync(notification.ResidentId, notification.Channel, notification.Id, notification.ConfirmationId, cancellationToken);
            if (contact is null)
            {
                await FailAsync(notification, DeliveryStatuses.Failed, $"no usable {notification.Channel} address", addressRefused: false, cancellationToken);
                return;
            }

            using var lease = await _pace[notification.Channel].AcquireAsync(1, cancellationToken);
            if (!await _store.RenewLeaseAsync(notification, _clock.GetUtcNow() + _options.Lease, cancellationToken))
            {
                // Its lease ran out while the batch waited, and another worker took it over.
                return;
            }

            outcome = await sender.SendAsync(ToMessage(notification, contact), cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            outcome = SendOutcome.TryAgain($"{exception.GetType().Name}: {exception.Message}");
        }

        // Once sent, the outcome is recorded even while the service stops: otherwise the mail would go out again.
        cancellationToken = CancellationToken.None;
        var now = _clock.GetUtcNow();
        switch (outcome.Result)
        {
            case SendResult.Sent:
                await _store.RecordAsync(notification, DeliveryStatuses.Sent, DeliveryEvents.Sent, now, outcome.ProviderReference, cancellationToken: cancellationToken);
                break;
            case SendResult.Delivered:
                await _store.RecordAsync(notification, DeliveryStatuses.Delivered, DeliveryEvents.Delivered, now, outcome.ProviderReference, cancellationToken: cancellationToken);
                break;
            case SendResult.TransientFailure when _retries.MayRetry(notification.Attempts):
                var retryAt = now + _retries.DelayAfter(notification.Attempts, Random.Shared.NextDouble());
                await _store.RecordAsync(notification, DeliveryStatuses.Pending, DeliveryEvents.RetryScheduled, now, retryAt: retryAt, detail: outcome.Error, cancellationToken: cancellationToken);
                break;
            case SendResult.TransientFailure:
                await FailAsync(notification, DeliveryStatuses.Failed, $"gave up after {notification.Attempts} attempts: {outcome.Error}", addressRefused: false, cancellationToken);
                return;
            case SendResult.PermanentFailure:
                // A mail server that refuses the recipient has bounced the message; an SMS provider that refuses the number failed it.
                var status = notification.Channel == Channels.Email ? DeliveryStatuses.Bounced : DeliveryStatuses.Failed;
                await FailAsync(notification, status, outcome.Error ?? status, addressRefused: true, cancellationToken);
                return;
        }

        _metrics.Attempted(notification.Channel, outcome.Result);
    }

    private async Task FailAsync(ClaimedNotification notification, string status, string detail, bool addressRefused, CancellationToken cancellationToken)
    {
        await _store.FailAsync(notification, status, detail, addressRefused, _clock.GetUtcNow(), cancellationToken);
        _metrics.Attempted(notification.Channel, SendResult.PermanentFailure);
    }

    private static OutgoingMessage ToMessage(ClaimedNotification notification, ContactDetails contact) => new()
    {
        NotificationId = notification.Id,
        ResidentId = notification.ResidentId,
        Kind = notification.Kind,
        Channel = notification.Channel,
        Language = notification.Language,
        Title = notification.Title,
        Body = notification.Body,
        SendingPartnerId = notification.SendingPartnerId,
        Contact = contact,
    };

    public override void Dispose()
    {
        foreach (var limiter in _pace.Values)
        {
            limiter.Dispose();
        }

        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A round of deliveries failed; the next look tries again")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);
}
