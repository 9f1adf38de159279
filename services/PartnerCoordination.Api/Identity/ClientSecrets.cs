using System.Security.Cryptography;

namespace Participatie.PartnerCoordination.Identity;

/// <summary>Client secrets: generated with enough entropy, stored only as salted PBKDF2-SHA256 hashes.</summary>
public static class ClientSecrets
{
    private const int Iterations = 100_000;
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public static string Generate() => Base64Url(RandomNumberGenerator.GetBytes(32));

    // A generated secret has 256 bits of entropy, so fewer iterations than a person's password needs.
    public static string Hash(string secret, int iterations = Iterations)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(secret, salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return $"pbkdf2-sha256${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    /// <summary>The iterations a stored hash was made with; 0 for anything unreadable.</summary>
    public static int IterationsOf(string stored)
    {
        var parts = stored.Split('$');
        return parts.Length == 4 && int.TryParse(parts[1], out var iterations) ? iterations : 0;
    }

    public static bool Verify(string secret, string stored)
    {
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != "pbkdf2-sha256" || !int.TryParse(parts[1], out var iterations))
        {
            return false;
        }

        var salt = Convert.FromBase64String(parts[2]);
        var expected = Convert.FromBase64String(parts[3]);
        var actual = Rfc2898DeriveBytes.Pbkdf2(secret, salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>Compares two secrets in constant time (for the operator's configured secret).</summary>
    public static bool AreEqual(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(a), System.Text.Encoding.UTF8.GetBytes(b));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
