namespace Participatie.Notifications.Delivery.Contacts;

/// <summary>How the notifications service reaches the residents service's contact endpoint (section <c>Residents</c>).</summary>
public sealed class ResidentContactsOptions
{
    public const string Section = "Residents";

    /// <summary>Service discovery's name for the residents service: HTTPS where it has it, else HTTP.</summary>
    public Uri BaseAddress { get; set; } = new("https+http://residents");

    /// <summary>This service's own client at the token server, given the contact-details scope there.</summary>
    public string ClientId { get; set; } = "notifications";

    /// <summary>The client's secret (the AppHost parameter <c>notifications-client-secret</c>).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>
    /// The token server's token endpoint (<c>Identity:TokenEndpoint</c>), reached by service discovery like its key
    /// set, inside the platform rather than through the gateway.
    /// </summary>
    public Uri TokenEndpoint { get; set; } = new("http://partner-coordination/connect/token");

    /// <summary>A token is fetched anew this long before it expires, so that none expires on its way.</summary>
    public TimeSpan TokenRenewalMargin { get; set; } = TimeSpan.FromMinutes(2);
}
