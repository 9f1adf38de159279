using System.Text.RegularExpressions;

namespace Participatie.Residents.Domain;

/// <summary>Plausibility checks for contact details; deliverability is the notifications service's concern.</summary>
public static partial class ContactDetails
{
    public static bool IsEmail(string value) => EmailPattern().IsMatch(value);

    public static bool IsPhoneNumber(string value) => PhonePattern().IsMatch(value.Replace(" ", string.Empty, StringComparison.Ordinal));

    // One second, not 100 ms: the limit is wall-clock time, which a garbage collection on a loaded machine can take
    // from a match of a few dozen characters (a postcode's 100 ms limit was reached so in a bulk registration, issue 7);
    // the values are length-limited before they get here, so a second is still a bound, never a wait.
    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex EmailPattern();

    // International (+31...) or national (06...) notation, 10 to 15 digits.
    [GeneratedRegex(@"^(\+[1-9][0-9]{9,14}|0[0-9]{9})$", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex PhonePattern();
}
