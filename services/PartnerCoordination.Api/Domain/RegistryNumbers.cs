namespace Participatie.PartnerCoordination.Domain;

/// <summary>
/// Government bodies are identified by their OIN (Organisatie-identificatienummer, 20 digits); every other
/// organisation by its KvK number (Chamber of Commerce, 8 digits).
/// </summary>
public static class RegistryNumbers
{
    public static bool NeedsOin(string kind) => kind == PartnerKinds.Municipality;

    /// <summary>Null when the number fits the kind; otherwise what is wrong, in words.</summary>
    public static string? Check(string kind, string number) =>
        NeedsOin(kind)
            ? IsDigits(number, 20) ? null : "'registryNumber' of a municipality must be its OIN: 20 digits."
            : IsDigits(number, 8) ? null : "'registryNumber' must be the KvK number: 8 digits.";

    private static bool IsDigits(string value, int length) => value.Length == length && value.All(char.IsAsciiDigit);
}
