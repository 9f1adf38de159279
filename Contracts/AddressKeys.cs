using System.Text.RegularExpressions;

namespace Participatie.Contracts;

/// <summary>
/// Dutch addresses, and the key that names a home: postcode, house number and suffix, such as "1021AB 9" or
/// "1021AB 9-A", written alike however it was typed, so that one home is never taken for two (the homes of a
/// complex, the addresses a consultation is meant for, the address a resident lives at).
/// </summary>
public static partial class AddressKeys
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
        // A postcode has six characters: anything else is refused before the pattern, whose time limit a loaded
        // machine could otherwise reach on a huge value (a 500 in the fuzz drill).
        return compact.Length == PostcodeLength && PostcodePattern().IsMatch(compact) ? compact : null;
    }

    /// <summary>Normalises " a", "-A" or "a" to "A" (empty when there is none); null when it is no suffix.</summary>
    public static string? NormaliseSuffix(string? suffix)
    {
        var compact = (suffix ?? string.Empty).Replace(" ", string.Empty, StringComparison.Ordinal).TrimStart('-').ToUpperInvariant();
        return compact.Length <= MaximumSuffixLength && SuffixPattern().IsMatch(compact) ? compact : null;
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

    // Dutch postcodes never start with 0 and never use the letter pairs SA, SD or SS.
    [GeneratedRegex("^[1-9][0-9]{3}(?!SA|SD|SS)[A-Z]{2}$", RegexOptions.None, matchTimeoutMilliseconds: 100)]
    private static partial Regex PostcodePattern();

    [GeneratedRegex("^[A-Z0-9]*$", RegexOptions.None, matchTimeoutMilliseconds: 100)]
    private static partial Regex SuffixPattern();
}
