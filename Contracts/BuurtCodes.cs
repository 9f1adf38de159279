using System.Text.RegularExpressions;

namespace Participatie.Contracts;

/// <summary>
/// CBS buurt codes identify a buurt in every message: "BU", the 4-digit municipality code, then 2 digits for the
/// wijk and 2 for the buurt (for example BU03630001).
/// </summary>
public static partial class BuurtCodes
{
    public static bool IsValid(string? code) => code is not null && Pattern().IsMatch(code);

    [GeneratedRegex("^BU[0-9]{8}$")]
    private static partial Regex Pattern();
}
