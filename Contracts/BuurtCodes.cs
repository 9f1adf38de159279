using System.Text.RegularExpressions;

namespace Participatie.Contracts;

/// <summary>
/// CBS buurt codes identify a buurt in every message: "BU", the 4-digit municipality code, then 2 digits for the
/// wijk and 2 for the buurt (for example BU03630001). A gemeente is "GM" and the same 4 digits (GM0363), so a buurt's
/// code names the gemeente it lies in.
/// </summary>
public static partial class BuurtCodes
{
    public static bool IsValid(string? code) => code is not null && Pattern().IsMatch(code);

    public static bool IsGemeenteCode(string? code) => code is not null && GemeentePattern().IsMatch(code);

    /// <summary>The gemeente a valid buurt code lies in: BU03630001 lies in GM0363.</summary>
    public static string GemeenteOf(string buurtCode) => string.Concat("GM", buurtCode.AsSpan(2, 4));

    [GeneratedRegex("^BU[0-9]{8}$", RegexOptions.None, matchTimeoutMilliseconds: 100)]
    private static partial Regex Pattern();

    [GeneratedRegex("^GM[0-9]{4}$", RegexOptions.None, matchTimeoutMilliseconds: 100)]
    private static partial Regex GemeentePattern();
}
