using System.Text.RegularExpressions;
using Participatie.Contracts;

namespace Participatie.Notifications.Texts;

/// <summary>Counts of a text that readability formulas work on.</summary>
public sealed record TextCounts(int Words, int Sentences, int Syllables)
{
    public double WordsPerSentence => Sentences == 0 ? 0 : (double)Words / Sentences;

    public double SyllablesPer100Words => Words == 0 ? 0 : 100.0 * Syllables / Words;
}

/// <summary>
/// The Flesch–Douma reading ease of Dutch text: 206.84 − 0.77 × syllables per 100 words − 0.93 × words per
/// sentence. 60 and above reads as plain language at B1, which most residents read without effort.
/// </summary>
public static partial class Readability
{
    /// <summary>The lowest score of a text residents at B1 level read easily.</summary>
    public const double B1MinimumScore = 60;

    public static double FleschDouma(TextCounts counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        return 206.84 - (0.77 * counts.SyllablesPer100Words) - (0.93 * counts.WordsPerSentence);
    }

    /// <summary>Words, sentences and Dutch syllables. A line break ends a sentence too (a title, a list item).</summary>
    public static TextCounts Count(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = 0;
        var syllables = 0;
        var sentences = 0;
        foreach (var sentence in SentenceEnd().Split(text))
        {
            var inSentence = Word().Matches(sentence);
            if (inSentence.Count == 0)
            {
                continue;
            }

            sentences++;
            words += inSentence.Count;
            syllables += inSentence.Sum(word => DutchSyllables.Count(word.Value));
        }

        return new TextCounts(words, sentences, syllables);
    }

    /// <summary>
    /// A word: letters or digits, joined by an apostrophe or hyphen ("auto's", "Noord-Holland"); a time or number
    /// ("19:00", "1.250") is one word.
    /// </summary>
    [GeneratedRegex(@"[\p{L}\p{M}\p{N}]+(?:(?:['’\-]|(?<=\p{N})[:.,](?=\p{N}))[\p{L}\p{M}\p{N}]+)*", RegexOptions.None, matchTimeoutMilliseconds: PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex Word();

    /// <summary>Where a sentence ends: after . ! ? followed by white space, or at a line break.</summary>
    [GeneratedRegex(@"(?<=[.!?])\s+|\s*[\r\n]+\s*", RegexOptions.None, matchTimeoutMilliseconds: PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex SentenceEnd();
}

/// <summary>
/// A Dutch syllable counter that counts vowel groups: each of aa, ee, oo, uu, ie, ei, ij, oe, ou, au, eu, ui (and
/// aai, ooi, oei, eeu, ieu) is one syllable, other vowels next to each other are one each ("the-a-ter"), and a vowel
/// with a diaeresis starts a new one ("ge-ïn-te-res-seerd").
/// </summary>
public static class DutchSyllables
{
    private static readonly string[] Trigraphs = ["aai", "ooi", "oei", "eeu", "ieu"];
    private static readonly string[] Digraphs = ["aa", "ee", "oo", "uu", "ie", "ei", "ij", "oe", "ou", "au", "eu", "ui"];

    /// <summary>The syllables of one word; at least one, so that a number or abbreviation still counts.</summary>
    public static int Count(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        var letters = Normalise(word);
        var count = 0;
        var position = 0;
        while (position < letters.Length)
        {
            var letter = letters[position];
            if (letter is 'ä' or 'ë' or 'ï' or 'ö' or 'ü')
            {
                count++;
                position++;
            }
            else if (IsVowel(letter))
            {
                count++;
                position += NucleusLength(letters, position);
            }
            else
            {
                position++;
            }
        }

        return Math.Max(1, count);
    }

    private static int NucleusLength(string letters, int start)
    {
        if (Trigraphs.Any(trigraph => string.CompareOrdinal(letters, start, trigraph, 0, 3) == 0))
        {
            return 3;
        }

        return Digraphs.Any(digraph => string.CompareOrdinal(letters, start, digraph, 0, 2) == 0) ? 2 : 1;
    }

    private static bool IsVowel(char letter) => letter is 'a' or 'e' or 'i' or 'o' or 'u' or 'y';

    /// <summary>Lower case, accents other than the diaeresis dropped ("café" has the syllables of "cafe").</summary>
    private static string Normalise(string word) =>
        string.Create(word.Length, word, (span, source) =>
        {
            for (var index = 0; index < source.Length; index++)
            {
                span[index] = char.ToLowerInvariant(source[index]) switch
                {
                    'á' or 'à' or 'â' => 'a',
                    'é' or 'è' or 'ê' => 'e',
                    'í' or 'ì' or 'î' => 'i',
                    'ó' or 'ò' or 'ô' => 'o',
                    'ú' or 'ù' or 'û' => 'u',
                    var other => other,
                };
            }
        });
}
