using System.Globalization;
using System.Security.Cryptography;

namespace Participatie.Testing;

/// <summary>
/// Data a test owns: buurten, addresses and partners no other test in the run uses, so that a test can count and
/// list what is its own without another test's data getting in by chance.
/// </summary>
public static class TestData
{
    // Letters a Dutch postcode may have in any combination (SA, SD and SS are never issued).
    private const string PostcodeLetters = "ABCEGHJKLMNPRTUVWXZ";

    /// <summary>A buurt code ("BU" and eight digits) no other test uses.</summary>
    public static string NewBuurtCode() => $"BU{RandomNumberGenerator.GetInt32(100_000_000):D8}";

    /// <summary>A postcode such as "4821 KL" that no other test uses; with <see cref="NewAddress"/> a street of its own.</summary>
    public static string NewPostcode() =>
        string.Create(CultureInfo.InvariantCulture, $"{RandomNumberGenerator.GetInt32(1000, 10_000)} {Letter()}{Letter()}");

    /// <summary>An address of its own: a new postcode with the given house number.</summary>
    public static TestAddress NewAddress(int houseNumber = 1) => new(NewPostcode(), houseNumber);

    /// <summary>A registry number: a 20-digit OIN for a municipality, an 8-digit KvK number otherwise.</summary>
    public static string NewRegistryNumber(string kind) => kind == "municipality"
        ? string.Concat(Enumerable.Range(0, 20).Select(_ => RandomNumberGenerator.GetInt32(10)))
        : RandomNumberGenerator.GetInt32(10_000_000, 100_000_000).ToString(CultureInfo.InvariantCulture);

    /// <summary>A partner name that says what the partner is and is still unique.</summary>
    public static string NewPartnerName(string description) => $"{description} {Guid.NewGuid():N}"[..Math.Min(description.Length + 13, 80)];

    private static char Letter() => PostcodeLetters[RandomNumberGenerator.GetInt32(PostcodeLetters.Length)];
}

/// <summary>A Dutch address as the APIs take it.</summary>
public sealed record TestAddress(string Postcode, int HouseNumber);
