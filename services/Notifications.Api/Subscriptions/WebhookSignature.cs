using System.Security.Cryptography;
using System.Text;

namespace Participatie.Notifications.Subscriptions;

/// <summary>
/// Signing per Standard Webhooks (https://www.standardwebhooks.com): <c>webhook-signature</c> is <c>v1,</c> and the
/// base64 HMAC-SHA256 of <c>{webhook-id}.{webhook-timestamp}.{body}</c>, keyed with the bytes of the secret after
/// <c>whsec_</c>. Several signatures (one per valid secret) are separated by spaces.
/// </summary>
public static class WebhookSignature
{
    public const string SecretPrefix = "whsec_";
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";
    private const string VersionPrefix = "v1,";

    /// <summary>A new secret: 32 random bytes, base64, after <c>whsec_</c>.</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>One signature (<c>v1,...</c>) of the message with the secret.</summary>
    public static string Sign(string secret, string messageId, long timestamp, string body)
    {
        var key = KeyOf(secret);
        var content = Encoding.UTF8.GetBytes($"{messageId}.{timestamp}.{body}");
        return VersionPrefix + Convert.ToBase64String(HMACSHA256.HashData(key, content));
    }

    /// <summary>The header value: a signature for each secret, space-separated (the newest first).</summary>
    public static string SignWithAll(IEnumerable<string> secrets, string messageId, long timestamp, string body) =>
        string.Join(' ', secrets.Select(secret => Sign(secret, messageId, timestamp, body)));

    /// <summary>
    /// Whether one of the signatures in the header is the secret's signature of the message, compared in constant
    /// time; as a receiver checks it (a receiver also refuses a timestamp far from its own clock).
    /// </summary>
    public static bool Verify(string secret, string messageId, long timestamp, string body, string signatureHeader)
    {
        var expected = Encoding.ASCII.GetBytes(Sign(secret, messageId, timestamp, body));
        return signatureHeader
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Any(signature => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(signature), expected));
    }

    private static byte[] KeyOf(string secret) =>
        secret.StartsWith(SecretPrefix, StringComparison.Ordinal)
            ? Convert.FromBase64String(secret[SecretPrefix.Length..])
            : throw new ArgumentException($"A webhook secret starts with '{SecretPrefix}'.", nameof(secret));
}
