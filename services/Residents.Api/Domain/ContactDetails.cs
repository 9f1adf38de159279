using System.Text.RegularExpressions;
using Participatie.Contracts;

namespace Participatie.Residents.Domain;

/// <summary>Plausibility checks for contact details; deliverability is the notifications service's concern.</summary>
public static partial class ContactDetails
{
    public static bool IsEmail(string value) => EmailPattern().IsMatch(value);

    public static bool IsPhoneNumber(string value) => PhonePattern().IsMatch(value.Replace(" ", string.Empty, StringComparison.Ordinal));

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$", RegexOptions.None, matchTimeoutMilliseconds: PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex EmailPattern();

    // International (+31...) or national (06...) notation, 10 to 15 digits.
    [GeneratedRegex(@"^(\+[1-9][0-9]{9,14}|0[0-9]{9})$", RegexOptions.None, matchTimeoutMilliseconds: PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex PhonePattern();
}
