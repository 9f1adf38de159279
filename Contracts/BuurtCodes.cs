namespace Participatie.Contracts;

/// <summary>
/// CBS buurt codes identify a buurt in every message: "BU", the 4-digit municipality code, then 2 digits for the
/// wijk and 2 for the buurt (for example BU03630001). A gemeente is "GM" and the same 4 digits (GM0363), so a buurt's
/// code names the gemeente it lies in.
/// </summary>
public static class BuurtCodes
{
    // Checked by hand rather than with a regular expression, whose wall-clock time limit a garbage collection on a
    // loaded machine can reach (see AddressKeys.IsPostcode).
    public static bool IsValid(string? code) => IsCode(code, "BU", digits: 8);

    public static bool IsGemeenteCode(string? code) => IsCode(code, "GM", digits: 4);

    /// <summary>The gemeente a valid buurt code lies in: BU03630001 lies in GM0363.</summary>
    public static string GemeenteOf(string buurtCode) => string.Concat("GM", buurtCode.AsSpan(2, 4));

    private static bool IsCode(string? code, string prefix, int digits) =>
        code is not null
        && code.Length == prefix.Length + digits
        && code.StartsWith(prefix, StringComparison.Ordinal)
        && !code.AsSpan(prefix.Length).ContainsAnyExceptInRange('0', '9');
}
