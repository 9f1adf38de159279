namespace Participatie.Notifications.Subscriptions;

/// <summary>How partners' subscriptions are kept and their events delivered; configuration section <c>Subscriptions</c>.</summary>
public sealed class SubscriptionOptions
{
    public const string Section = "Subscriptions";

    /// <summary>The platform's OIN (Organisatie-identificatienummer), which names it in every event's <c>source</c>.</summary>
    public string PlatformOin { get; set; } = "00000000000000000000";

    /// <summary>Where the platform's API is reached from outside; the links in events start with it.</summary>
    public Uri ApiBaseUrl { get; set; } = new("http://localhost:5080");

    /// <summary>
    /// Whether callback URLs may be plain http or point at private, loopback or link-local addresses. Only for local
    /// development and tests: elsewhere a partner could make the platform call into its own network.
    /// Unset means: on in Development, off otherwise.
    /// </summary>
    public bool? AllowPrivateCallbacks { get; set; }

    /// <summary>How long the secret before a rotation keeps signing deliveries beside the new one.</summary>
    public TimeSpan SecretOverlap { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often the worker looks for due deliveries.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one attempt may take before it counts as failed; short, since each attempt holds a slot.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts in flight at once for one subscription: a slow endpoint holds at most this many slots.</summary>
    public int ConcurrencyPerSubscription { get; set; } = 4;

    /// <summary>Attempts in flight at once for the whole instance.</summary>
    public int MaximumConcurrency { get; set; } = 64;

    /// <summary>
    /// The waits before each retry; the number of tries is one more than the number of waits. Unset: 5 s, 5 min, 30 min,
    /// 2 h, 5 h, 10 h, 7 tries over about 18 hours (as Standard Webhooks suggests). Tests give seconds.
    /// </summary>
    public TimeSpan[]? RetryDelays { get; set; }

    /// <summary>The default schedule; a configured list replaces it rather than adding to it.</summary>
    public static readonly IReadOnlyList<TimeSpan> DefaultRetryDelays =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(2), TimeSpan.FromHours(5), TimeSpan.FromHours(10),
    ];

    public IReadOnlyList<TimeSpan> EffectiveRetryDelays => RetryDelays is { Length: > 0 } delays ? delays : DefaultRetryDelays;

    public int MaximumAttempts => EffectiveRetryDelays.Count + 1;

    /// <summary>Off in tests that only check what is recorded.</summary>
    public bool WorkerEnabled { get; set; } = true;
}
