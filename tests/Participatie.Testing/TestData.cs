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

    /// <summary>How many gemeenten test buurten lie in (GM9000 onwards): every test partner is granted all of them.</summary>
    private const int TestGemeenteCount = 200;

    /// <summary>
    /// The gemeenten every test's buurten lie in (GM9000 to GM9199), granted to the partners the fixtures register, so
    /// that a partner may start a trajectory in any buurt of <see cref="NewBuurtCode"/> (a partner works only in the
    /// areas the operator granted it).
    /// </summary>
    public static IReadOnlyList<string> TestGemeenten { get; } =
        [.. Enumerable.Range(9000, TestGemeenteCount).Select(code => string.Create(CultureInfo.InvariantCulture, $"GM{code:D4}"))];

    /// <summary>A buurt code ("BU" and eight digits) no other test uses, inside one of the <see cref="TestGemeenten"/>.</summary>
    public static string NewBuurtCode() =>
        string.Create(CultureInfo.InvariantCulture, $"BU{RandomNumberGenerator.GetInt32(90_000_000, 90_000_000 + (TestGemeenteCount * 10_000)):D8}");

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
