using System.Text;

namespace Participatie.Notifications.Delivery.Letters;

/// <summary>
/// PDFsharp draws characters one by one, left to right, without shaping or bidirectional layout, so Arabic would come
/// out as unjoined letters in reverse order. This does the two steps a text engine does, for the Arabic alphabet the
/// platform's texts use: each letter becomes its contextual form (isolated, initial, medial, final; lam-alef as one
/// ligature) from the Arabic Presentation Forms-B block, and a line of a right-to-left paragraph is turned into visual
/// order (runs of Latin letters and digits keep their own order). Persian and Urdu letters, and vowel marks' placement,
/// are not handled: the marks are left out rather than printed as loose glyphs.
/// </summary>
public static class ArabicShaping
{
    /// <summary>Per letter U+0621..U+064A: its isolated form in Presentation Forms-B and whether it joins on both sides.</summary>
    private static readonly Dictionary<char, (char Isolated, bool DualJoining)> Letters = new()
    {
        ['\u0621'] = ('\uFE80', false), ['\u0622'] = ('\uFE81', false), ['\u0623'] = ('\uFE83', false),
        ['\u0624'] = ('\uFE85', false), ['\u0625'] = ('\uFE87', false), ['\u0626'] = ('\uFE89', true),
        ['\u0627'] = ('\uFE8D', false), ['\u0628'] = ('\uFE8F', true), ['\u0629'] = ('\uFE93', false),
        ['\u062A'] = ('\uFE95', true), ['\u062B'] = ('\uFE99', true), ['\u062C'] = ('\uFE9D', true),
        ['\u062D'] = ('\uFEA1', true), ['\u062E'] = ('\uFEA5', true), ['\u062F'] = ('\uFEA9', false),
        ['\u0630'] = ('\uFEAB', false), ['\u0631'] = ('\uFEAD', false), ['\u0632'] = ('\uFEAF', false),
        ['\u0633'] = ('\uFEB1', true), ['\u0634'] = ('\uFEB5', true), ['\u0635'] = ('\uFEB9', true),
        ['\u0636'] = ('\uFEBD', true), ['\u0637'] = ('\uFEC1', true), ['\u0638'] = ('\uFEC5', true),
        ['\u0639'] = ('\uFEC9', true), ['\u063A'] = ('\uFECD', true), ['\u0641'] = ('\uFED1', true),
        ['\u0642'] = ('\uFED5', true), ['\u0643'] = ('\uFED9', true), ['\u0644'] = ('\uFEDD', true),
        ['\u0645'] = ('\uFEE1', true), ['\u0646'] = ('\uFEE5', true), ['\u0647'] = ('\uFEE9', true),
        ['\u0648'] = ('\uFEED', false), ['\u0649'] = ('\uFEEF', false), ['\u064A'] = ('\uFEF1', true),
    };

    /// <summary>Lam followed by one of these alefs is written as one ligature (its isolated form; the final form follows it).</summary>
    private static readonly Dictionary<char, char> LamAlef = new()
    {
        ['\u0622'] = '\uFEF5', ['\u0623'] = '\uFEF7', ['\u0625'] = '\uFEF9', ['\u0627'] = '\uFEFB',
    };

    private const char Lam = '\u0644';
    private const char Hamza = '\u0621';
    private const char Tatweel = '\u0640';

    public static bool IsArabic(char character) => character is >= '\u0600' and <= '\u06FF' or >= '\uFE70' and <= '\uFEFF';

    public static bool ContainsArabic(string text) => text.Any(IsArabic);

    /// <summary>The contextual forms of a text in logical order (still right to left in memory).</summary>
    public static string Shape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        // Vowel marks are not placed by PDFsharp; the letters read without them, as everyday Arabic is written.
        var letters = text.Where(character => !IsMark(character)).ToArray();
        var shaped = new StringBuilder(letters.Length);
        for (var i = 0; i < letters.Length; i++)
        {
            var current = letters[i];
            if (!Letters.TryGetValue(current, out var forms))
            {
                shaped.Append(current);
                continue;
            }

            var joinsBefore = i > 0 && JoinsForward(letters[i - 1]);
            if (current == Lam && i + 1 < letters.Length && LamAlef.TryGetValue(letters[i + 1], out var ligature))
            {
                shaped.Append(joinsBefore ? (char)(ligature + 1) : ligature);
                i++;
                continue;
            }

            var joinsAfter = forms.DualJoining && i + 1 < letters.Length && JoinsBackward(letters[i + 1]);
            var offset = forms.Isolated == '\uFE80' ? 0
                : (joinsBefore, joinsAfter) switch
                {
                    (false, false) => 0,
                    (true, false) => 1,
                    (false, true) => 2,
                    (true, true) => 3,
                };
            shaped.Append((char)(forms.Isolated + offset));
        }

        return shaped.ToString();
    }

    /// <summary>
    /// One line of a right-to-left paragraph, shaped and in the order it is drawn from left to right: the runs reversed,
    /// the Arabic runs' letters reversed, Latin words and numbers as they are, brackets mirrored.
    /// </summary>
    public static string ToVisualLine(string logicalLine)
    {
        ArgumentNullException.ThrowIfNull(logicalLine);
        var shaped = Shape(logicalLine);
        var runs = new List<(bool LeftToRight, string Text)>();
        var run = new StringBuilder();
        bool? leftToRight = null;
        foreach (var character in shaped)
        {
            // Spaces and punctuation go with the Arabic around them; a Latin word or a number is a run of its own.
            var isLeftToRight = char.IsAsciiLetterOrDigit(character) || (char.IsLetterOrDigit(character) && !IsArabic(character))
                || (leftToRight == true && character is '.' or ',' or ':' or '-' or '/' && run.Length > 0);
            if (leftToRight is { } current && current != isLeftToRight)
            {
                runs.Add((current, run.ToString()));
                run.Clear();
            }

            leftToRight = isLeftToRight;
            run.Append(character);
        }

        if (leftToRight is { } last)
        {
            runs.Add((last, run.ToString()));
        }

        var visual = new StringBuilder(shaped.Length);
        for (var i = runs.Count - 1; i >= 0; i--)
        {
            if (runs[i].LeftToRight)
            {
                visual.Append(runs[i].Text);
                continue;
            }

            for (var j = runs[i].Text.Length - 1; j >= 0; j--)
            {
                visual.Append(Mirror(runs[i].Text[j]));
            }
        }

        return visual.ToString();
    }

    private static bool JoinsForward(char previous) =>
        previous == Tatweel || (Letters.TryGetValue(previous, out var forms) && forms.DualJoining);

    private static bool JoinsBackward(char next) => next == Tatweel || (Letters.ContainsKey(next) && next != Hamza);

    private static bool IsMark(char character) => character is >= '\u064B' and <= '\u0652' or '\u0670';

    private static char Mirror(char character) => character switch
    {
        '(' => ')',
        ')' => '(',
        '[' => ']',
        ']' => '[',
        '«' => '»',
        '»' => '«',
        _ => character,
    };
}
