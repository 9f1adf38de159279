namespace Participatie.PartnerCoordination.Identity;

/// <summary>
/// Staff passwords: PBKDF2-SHA256 at 600,000 iterations (OWASP's figure for it), rehashed at the next sign-in when an
/// older hash used fewer; never one of the most common passwords.
/// </summary>
public static class StaffPasswords
{
    public const int Iterations = 600_000;
    public const int MinimumLength = 12;

    // Verified against when the account is unknown, so that an unknown e-mail address costs the same time.
    private static readonly Lazy<string> UnknownAccountHash = new(() => ClientSecrets.Hash(ClientSecrets.Generate(), Iterations));

    public static string Hash(string password) => ClientSecrets.Hash(password, Iterations);

    public static bool NeedsRehash(string storedHash) => ClientSecrets.IterationsOf(storedHash) < Iterations;

    /// <summary>For an unknown account: the work of one verification, whose answer is of no use.</summary>
    public static void SpendOneVerification(string password) => ClientSecrets.Verify(password, UnknownAccountHash.Value);

    public static bool IsCommon(string password)
    {
        var normalised = password.Trim().ToLowerInvariant();
        return CommonPasswords.Contains(normalised) || normalised.Distinct().Count() <= 2;
    }

    /// <summary>
    /// The most common passwords of at least <see cref="MinimumLength"/> characters in published breach lists, and the
    /// Dutch ones people reach for here (shorter ones are refused by length already).
    /// </summary>
    private static readonly HashSet<string> CommonPasswords = new(StringComparer.Ordinal)
    {
        "123456789012", "1234567890123", "12345678901234", "123123123123", "123456123456", "112233445566",
        "147258369147", "741852963741", "098765432109", "012345678901", "121212121212", "654321654321",
        "qwertyuiop12", "qwertyuiop123", "qwerty123456", "qwertyqwerty", "qwertyuiopas", "qwertyuiopasdf",
        "1q2w3e4r5t6y", "1qaz2wsx3edc", "zaq12wsxcde3", "1qazxsw23edc", "q1w2e3r4t5y6", "asdfghjkl123",
        "1234qwerasdf", "abcdefghijkl", "abc123456789", "abcd12345678", "password1234", "password12345",
        "password123456", "passwordpassword", "passw0rd1234", "p@ssw0rd1234", "p@ssword1234", "password123!",
        "iloveyou1234", "iloveyouiloveyou", "letmein12345", "welcome12345", "welcome123456", "changeme1234",
        "administrator", "administrator1", "trustno1trustno1", "football1234", "baseball1234", "superman1234",
        "princess1234", "sunshine1234", "monkey123456", "dragon123456", "starwars1234", "whatever1234",
        "wachtwoord12", "wachtwoord123", "wachtwoord1234", "wachtwoord12345", "welkom123456", "welkomwelkom",
        "welkom12345678", "geheim123456", "participatie", "participatie1", "participatie123", "amsterdam123",
        "rotterdam123", "feyenoord1908", "ajaxamsterdam", "zomer2024zomer", "winter2024winter", "voorjaar2025",
    };
}
