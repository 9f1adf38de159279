using System.Globalization;
using System.Buffers;

namespace Participatie.Notifications.Delivery.Sms;

/// <summary>How an SMS is encoded on the air: GSM-7 when every character is in the GSM 03.38 alphabet, else UCS-2.</summary>
public enum SmsEncoding
{
    Gsm7,
    Ucs2,
}

/// <summary>The size of one SMS text: its encoding, its length in septets (GSM-7) or UTF-16 code units (UCS-2), its segments.</summary>
public readonly record struct SmsSize(SmsEncoding Encoding, int Units, int Segments);

/// <summary>
/// Counts SMS segments as the network does, and fits a message into at most <see cref="MaxSegments"/> of them.
/// GSM-7: 160 septets in one segment, 153 per segment of a longer message (the rest of each carries the header that
/// joins the parts); a character of the extension table (<c>^{}\[~]|€</c> and form feed) takes two septets, an escape
/// and the character, and the pair is never split over two segments. UCS-2: 70 UTF-16 code units in one segment, 67 per
/// segment of a longer one; a character outside the Basic Multilingual Plane (an emoji) takes two and its surrogate
/// pair is never split. Pure: the stand-in provider links this file to refuse what a real provider would refuse.
/// </summary>
public static class SmsSegments
{
    /// <summary>Longer messages cost more and arrive in pieces on older phones: the platform sends two at most.</summary>
    public const int MaxSegments = 2;

    private const string GsmBasic =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    private const string GsmExtension = "^{}\\[~]|€\f";

    private static readonly SearchValues<char> Basic = SearchValues.Create(GsmBasic);
    private static readonly SearchValues<char> Extension = SearchValues.Create(GsmExtension);

    public static bool IsGsm7(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var character in text)
        {
            if (!Basic.Contains(character) && !Extension.Contains(character))
            {
                return false;
            }
        }

        return true;
    }

    public static SmsSize Count(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return IsGsm7(text) ? CountGsm7(text) : CountUcs2(text);
    }

    private static SmsSize CountGsm7(string text)
    {
        var septets = 0;
        foreach (var character in text)
        {
            septets += Extension.Contains(character) ? 2 : 1;
        }

        if (septets <= 160)
        {
            return new SmsSize(SmsEncoding.Gsm7, septets, septets == 0 ? 0 : 1);
        }

        // Packed as a sender packs them: an escape and its character stay in one segment.
        var segments = 1;
        var used = 0;
        foreach (var character in text)
        {
            var size = Extension.Contains(character) ? 2 : 1;
            if (used + size > 153)
            {
                segments++;
                used = 0;
            }

            used += size;
        }

        return new SmsSize(SmsEncoding.Gsm7, septets, segments);
    }

    private static SmsSize CountUcs2(string text)
    {
        if (text.Length <= 70)
        {
            return new SmsSize(SmsEncoding.Ucs2, text.Length, 1);
        }

        // A surrogate pair stays in one segment, so a segment may carry 66 code units instead of 67.
        var segments = 1;
        var used = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var size = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
            if (used + size > 67)
            {
                segments++;
                used = 0;
            }

            used += size;
            i += size - 1;
        }

        return new SmsSize(SmsEncoding.Ucs2, text.Length, segments);
    }

    /// <summary>
    /// The title on its own line and then the body, in at most <paramref name="maxSegments"/> segments: the title is
    /// kept whole and the body shortened (at a word where one is near) with an ellipsis, "..." in GSM-7 text, since the
    /// single character "…" is not in its alphabet and would turn the whole message into UCS-2.
    /// </summary>
    public static string Fit(string title, string body, int maxSegments = MaxSegments)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(body);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSegments, 1);
        var whole = body.Length == 0 ? title : $"{title}\n{body}";
        if (Count(whole).Segments <= maxSegments)
        {
            return whole;
        }

        var bodyBoundaries = TextElementBoundaries(body);
        var longest = LongestFitting(bodyBoundaries, length => Shortened(title + "\n", body, length), maxSegments);
        if (longest >= 0)
        {
            return Shortened(title + "\n", body, AtWord(body, longest, bodyBoundaries));
        }

        // Even the title does not fit: then the title is what gets shortened, and the body left out.
        var titleBoundaries = TextElementBoundaries(title);
        return Shortened(string.Empty, title, Math.Max(0, LongestFitting(titleBoundaries, length => Shortened(string.Empty, title, length), maxSegments)));
    }

    private static string Shortened(string head, string text, int length)
    {
        var kept = text[..length].TrimEnd();
        var ellipsis = IsGsm7(head + kept) ? "..." : "…";
        return head + kept + ellipsis;
    }

    /// <summary>
    /// The longest prefix (at a text element boundary) that fits, or -1 when none does; segments only grow with the
    /// prefix, so a binary search finds it.
    /// </summary>
    private static int LongestFitting(IReadOnlyList<int> boundaries, Func<int, string> candidate, int maxSegments)
    {
        var low = 0;
        var high = boundaries.Count - 1;
        var best = -1;
        while (low <= high)
        {
            var middle = (low + high) / 2;
            if (Count(candidate(boundaries[middle])).Segments <= maxSegments)
            {
                best = boundaries[middle];
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return best;
    }

    /// <summary>Cuts at the last space within the final 20 characters, so that no word is left half.</summary>
    private static int AtWord(string text, int length, IReadOnlyList<int> boundaries)
    {
        var space = text.LastIndexOf(' ', Math.Max(0, length - 1));
        return space > 0 && length - space <= 20 && boundaries.Contains(space) ? space : length;
    }

    /// <summary>Every index where a character as a reader sees it starts or the text ends: never inside a surrogate pair or before an accent.</summary>
    private static List<int> TextElementBoundaries(string text)
    {
        var boundaries = new List<int> { 0 };
        var enumerator = StringInfo.GetTextElementEnumerator(text);
        while (enumerator.MoveNext())
        {
            boundaries.Add(enumerator.ElementIndex + ((string)enumerator.Current).Length);
        }

        return boundaries;
    }

    /// <summary>
    /// A number as SMS providers want it, in international notation: residents may register a Dutch number nationally
    /// ("06 1234 5678"), which becomes +31 612345678; spaces and dashes go.
    /// </summary>
    public static string International(string phoneNumber)
    {
        ArgumentNullException.ThrowIfNull(phoneNumber);
        var digits = string.Concat(phoneNumber.Where(character => character is not (' ' or '-')));
        return digits.StartsWith("00", StringComparison.Ordinal) ? "+" + digits[2..]
            : digits.StartsWith('0') ? "+31" + digits[1..]
            : digits;
    }
}
