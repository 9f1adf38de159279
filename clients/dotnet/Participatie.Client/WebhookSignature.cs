using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Participatie.Client;

/// <summary>
/// Checks that an event POSTed to a partner's callback URL comes from the platform, per Standard Webhooks
/// (standardwebhooks.com): <c>webhook-signature</c> holds <c>v1,</c> and the base64 HMAC-SHA256 of
/// <c>{webhook-id}.{webhook-timestamp}.{body}</c>, keyed with the bytes after <c>whsec_</c> of the subscription's
/// secret. During a secret rotation the header carries one signature per valid secret, separated by spaces.
/// </summary>
public static class WebhookSignature
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";

    /// <summary>How far a timestamp may lie from now: an older one is a replayed request, a later one a forged clock.</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    private const string SecretPrefix = "whsec_";

    /// <summary>
    /// Whether <paramref name="body"/> (the request body exactly as received, as UTF-8 text) with these headers was
    /// signed with <paramref name="secret"/> within <see cref="Tolerance"/> of now. Header names are matched without
    /// regard to case; a missing or malformed header fails.
    /// </summary>
    public static bool Verify(string secret, IEnumerable<KeyValuePair<string, string>> headers, string body, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var byName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in headers)
        {
            byName[name] = value;
        }

        return byName.TryGetValue(IdHeader, out var id)
            && byName.TryGetValue(TimestampHeader, out var timestamp)
            && byName.TryGetValue(SignatureHeader, out var signature)
            && Verify(secret, id, timestamp, signature, body, (clock ?? TimeProvider.System).GetUtcNow());
    }

    /// <summary>The same check on the three header values, at the moment <paramref name="now"/>.</summary>
    public static bool Verify(string secret, string webhookId, string webhookTimestamp, string webhookSignature, string body, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(webhookSignature);
        ArgumentNullException.ThrowIfNull(body);
        if (!long.TryParse(webhookTimestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || Math.Abs(now.ToUnixTimeSeconds() - seconds) > Tolerance.TotalSeconds
            || !TryKey(secret, out var key))
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(
            "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{webhookId}.{webhookTimestamp}.{body}"))));
        // Compared in constant time: how long a comparison takes must not tell an attacker how much of a guess was right.
        return webhookSignature.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Any(signature => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(signature), expected));
    }

    private static bool TryKey(string secret, out byte[] key)
    {
        var encoded = secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret;
        key = new byte[encoded.Length];
        if (Convert.TryFromBase64String(encoded, key, out var written))
        {
            key = key[..written];
            return true;
        }

        return false;
    }
}
