using System.Text.Json;

namespace Participatie.Notifications.Subscriptions;

/// <summary>
/// Events as NL GOV CloudEvents (JSON, spec version 1.0): the platform names itself by its OIN in <c>source</c>, and
/// <c>data</c> carries ids and links only, never a name, an address or a text a person wrote: a partner follows the
/// link with its own token and sees only what it may.
/// </summary>
public sealed class CloudEvents(SubscriptionOptions options)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Source => $"urn:nld:oin:{options.PlatformOin}:systeem:participatie";

    /// <summary>An absolute link into the platform's API.</summary>
    public string Link(string path) => new Uri(options.ApiBaseUrl, path).ToString();

    /// <summary>The event's JSON, exactly as it is sent and signed.</summary>
    public string Serialize(Guid id, EventKind kind, Guid subjectId, DateTimeOffset time, IReadOnlyDictionary<string, object?> data) =>
        JsonSerializer.Serialize(
            new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["specversion"] = "1.0",
                ["type"] = kind.Type,
                ["source"] = Source,
                ["subject"] = subjectId.ToString(),
                ["id"] = id.ToString(),
                ["time"] = time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
                ["datacontenttype"] = "application/json",
                ["data"] = data,
            },
            Json);
}
