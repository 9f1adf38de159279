using System.Security.Cryptography;
using System.Text;

namespace Participatie.Consultations.Domain;

/// <summary>
/// A vote's receipt: a random salt given only to whoever cast the vote, and the hash the vote log keeps,
/// HMAC-SHA256 keyed with that salt over the measurement, the home and the choice. After closing, the log no longer
/// says which home voted how, but the home can recompute its hash and find it among the counted votes. Without the
/// salt nobody can try the few possible homes and choices against a hash.
/// </summary>
public static class SupportVoteReceipts
{
    public const int SaltBytes = 16;

    public static (string Salt, byte[] Hash) New(Guid measurementId, string homeKey, string choice)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        return (Base64Url(salt), Hash(measurementId, homeKey, choice, salt));
    }

    public static byte[] Hash(Guid measurementId, string homeKey, string choice, byte[] salt) =>
        HMACSHA256.HashData(salt, Encoding.UTF8.GetBytes($"{measurementId:D}\n{homeKey}\n{choice}"));

    /// <summary>The hash as the API shows it: lowercase hexadecimal.</summary>
    public static string Show(byte[] hash) => Convert.ToHexStringLower(hash);

    /// <summary>A hash as shown, back to its bytes; null when it is no SHA-256 hash in hexadecimal.</summary>
    public static byte[]? Parse(string? shown)
    {
        if (shown is null || shown.Length != 64 || !shown.All(Uri.IsHexDigit))
        {
            return null;
        }

        return Convert.FromHexString(shown);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
