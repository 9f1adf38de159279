using System.Text.RegularExpressions;

namespace Participatie.Residents.Domain;

/// <summary>Rules for Dutch addresses.</summary>
public static partial class Address
{
    /// <summary>Normalises "1234ab" or "1234 AB" to "1234AB"; null when it is no Dutch postcode.</summary>
    public static string? NormalisePostcode(string? postcode)
    {
        if (postcode is null)
        {
            return null;
        }

        var compact = postcode.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
        return PostcodePattern().IsMatch(compact) ? compact : null;
    }

    // Dutch postcodes never start with 0 and never use the letter pairs SA, SD or SS.
    [GeneratedRegex("^[1-9][0-9]{3}(?!SA|SD|SS)[A-Z]{2}$")]
    private static partial Regex PostcodePattern();
}
