using Participatie.Contracts;

namespace Participatie.Notifications.Delivery;

/// <summary>How the delivery worker paces itself; configuration section <c>Delivery</c>.</summary>
public sealed class DeliveryOptions
{
    public const string Section = "Delivery";

    /// <summary>How often the worker looks for due notifications when the last look found none.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many due notifications one look claims. Small, so that a receipt never waits behind a long batch.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>How long a claimed notification stays with its worker before another may take it over.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Attempts before a channel counts as failed (and a letter goes instead): with the backoff about five hours.</summary>
    public int MaximumAttempts { get; set; } = 10;

    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan LongestRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Messages per second per channel and instance, so that an update to a buurt of 100,000 residents never opens
    /// 100,000 SMTP sessions at once.
    /// </summary>
    public Dictionary<string, double> MessagesPerSecond { get; set; } = new(StringComparer.Ordinal)
    {
        [Channels.Email] = 200,
        [Channels.Sms] = 20,
        [Channels.App] = 1000,
    };

    /// <summary>Sends in flight at once per channel and instance.</summary>
    public Dictionary<string, int> Concurrency { get; set; } = new(StringComparer.Ordinal)
    {
        [Channels.Email] = 8,
        [Channels.Sms] = 4,
        [Channels.App] = 16,
    };

    /// <summary>
    /// No e-mail or SMS between 21:00 and 08:00 (on by default). Only the local demo turns it off, so that its mails
    /// show at any hour.
    /// </summary>
    public bool KeepQuietHours { get; set; } = true;

    /// <summary>Off in tests that drive the worker themselves, or test only what is recorded.</summary>
    public bool WorkerEnabled { get; set; } = true;
}
