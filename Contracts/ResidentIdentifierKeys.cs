using System.Security.Cryptography;
using System.Text;

namespace Participatie.Contracts;

/// <summary>
/// Keyed hashes of what a resident signs in with, written alike however it was typed, so that the residents service
/// (which knows the values) and the token server (which may only recognise them) arrive at the same key without the
/// value ever leaving the residents service. The key is a platform secret (<c>Identity:ResidentIdentifierKey</c>):
/// without it nobody can test a guessed address against a key.
/// </summary>
public static class ResidentIdentifierKeys
{
    /// <summary>"Jan@Example.NL " and "jan@example.nl" are one address.</summary>
    public static string NormaliseEmail(string email) => email.Trim().ToLowerInvariant();

    /// <summary>"06 1234 5678", "0612345678" and "+31612345678" are one number (national numbers are Dutch).</summary>
    public static string NormalisePhone(string phone)
    {
        var digits = new string(phone.Where(character => char.IsAsciiDigit(character) || character == '+').ToArray());
        return digits.StartsWith('0') && !digits.StartsWith("00", StringComparison.Ordinal) ? "+31" + digits[1..]
            : digits.StartsWith("00", StringComparison.Ordinal) ? "+" + digits[2..]
            : digits;
    }

    public static string Email(string email, byte[] key) => Hash("email", NormaliseEmail(email), key);

    public static string Phone(string phone, byte[] key) => Hash("phone", NormalisePhone(phone), key);

    /// <summary>The home's key (see <see cref="AddressKeys.Key"/>), hashed.</summary>
    public static string Home(string homeKey, byte[] key) => Hash("home", homeKey, key);

    /// <summary>The configured secret as bytes; at least 16 characters, so a forgotten setting stops the start.</summary>
    public static byte[] ParseSecret(string? secret) =>
        secret is { Length: >= 16 }
            ? Encoding.UTF8.GetBytes(secret)
            : throw new InvalidOperationException("Identity:ResidentIdentifierKey must be set to a secret of at least 16 characters.");

    private static string Hash(string kind, string value, byte[] key) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{kind}:{value}")));
}
