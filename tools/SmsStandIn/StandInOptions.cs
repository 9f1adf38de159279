namespace Participatie.SmsStandIn;

/// <summary>The stand-in's settings (section <c>SmsStandIn</c>); the AppHost passes the two secrets as parameters.</summary>
public sealed class StandInOptions
{
    /// <summary>The key a client sends as <c>Authorization: Bearer</c>.</summary>
    public string ApiKey { get; set; } = string.Empty;

    /// <summary>The shared secret under which each delivery report is signed (HMAC-SHA256 of the body).</summary>
    public string ReportSecret { get; set; } = string.Empty;

    /// <summary>How long after a message its delivery report is posted: "shortly after", as with a real network.</summary>
    public TimeSpan ReportDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often a report that the callback refused or could not take is posted again.</summary>
    public int ReportAttempts { get; set; } = 5;
}
