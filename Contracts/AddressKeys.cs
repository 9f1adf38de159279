using System.Buffers;

namespace Participatie.Contracts;

/// <summary>
/// Dutch addresses, and the key that names a home: postcode, house number and suffix, such as "1021AB 9" or
/// "1021AB 9-A", written alike however it was typed, so that one home is never taken for two (the homes of a
/// complex, the addresses a consultation is meant for, the address a resident lives at).
/// </summary>
public static class AddressKeys
{
    public const int MaximumSuffixLength = 10;

    /// <summary>"1234AB": four digits and two letters, without the space.</summary>
    private const int PostcodeLength = 6;

    /// <summary>Normalises "1234ab" or "1234 AB" to "1234AB"; null when it is no Dutch postcode.</summary>
    public static string? NormalisePostcode(string? postcode)
    {
        if (postcode is null)
        {
            return null;
        }

        var compact = postcode.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
        return IsPostcode(compact) ? compact : null;
    }

    /// <summary>Normalises " a", "-A" or "a" to "A" (empty when there is none); null when it is no suffix.</summary>
    public static string? NormaliseSuffix(string? suffix)
    {
        var compact = (suffix ?? string.Empty).Replace(" ", string.Empty, StringComparison.Ordinal).TrimStart('-').ToUpperInvariant();
        return compact.Length <= MaximumSuffixLength && IsAsciiUpperOrDigits(compact) ? compact : null;
    }

    public static bool IsHouseNumber(int houseNumber) => houseNumber is >= 1 and <= 99999;

    /// <summary>The home's key, or null when the address is not valid.</summary>
    public static string? Key(string? postcode, int houseNumber, string? suffix)
    {
        var normalisedPostcode = NormalisePostcode(postcode);
        var normalisedSuffix = NormaliseSuffix(suffix);
        if (normalisedPostcode is null || normalisedSuffix is null || !IsHouseNumber(houseNumber))
        {
            return null;
        }

        return normalisedSuffix.Length == 0
            ? $"{normalisedPostcode} {houseNumber}"
            : $"{normalisedPostcode} {houseNumber}-{normalisedSuffix}";
    }

    /// <summary>
    /// Four digits, the first not 0, and two letters other than SA, SD and SS, as Dutch postcodes are. Checked by hand
    /// rather than with a regular expression: the pattern's time limit is wall-clock time, and on a loaded machine a
    /// garbage collection during the match of six characters reached it (a 500 for a bulk registration of 10,000
    /// residents in the benchmark of issue 7).
    /// </summary>
    private static bool IsPostcode(string compact) =>
        compact.Length == PostcodeLength
        && compact[0] is >= '1' and <= '9'
        && char.IsAsciiDigit(compact[1]) && char.IsAsciiDigit(compact[2]) && char.IsAsciiDigit(compact[3])
        && char.IsAsciiLetterUpper(compact[4]) && char.IsAsciiLetterUpper(compact[5])
        && compact.AsSpan(PostcodeLength - 2) is not ("SA" or "SD" or "SS");

    private static bool IsAsciiUpperOrDigits(string value) => !value.AsSpan().ContainsAnyExcept(SuffixCharacters);

    private static readonly SearchValues<char> SuffixCharacters = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
}
