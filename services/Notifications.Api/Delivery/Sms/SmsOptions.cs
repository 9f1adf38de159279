namespace Participatie.Notifications.Delivery.Sms;

/// <summary>
/// The SMS provider (section <c>Sms</c>): where to post messages, with which key, where its delivery reports come back
/// and the secret they are signed under. The AppHost points it at the stand-in provider.
/// </summary>
public sealed class SmsOptions
{
    public const string Section = "Sms";

    /// <summary>The provider's base address; messages go to <c>v1/messages</c> below it. Unset: no SMS leaves.</summary>
    public Uri? ProviderUrl { get; set; }

    public string ApiKey { get; set; } = string.Empty;

    /// <summary>Shared with the provider; a delivery report whose signature does not match it is refused.</summary>
    public string ReportSecret { get; set; } = string.Empty;

    /// <summary>
    /// Where the provider posts its delivery reports: the public entrance (the gateway), since a real provider sits
    /// outside the platform.
    /// </summary>
    public Uri? StatusCallbackUrl { get; set; }

    /// <summary>A provider that has not answered by then is treated as down for this attempt (tried again later).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}
