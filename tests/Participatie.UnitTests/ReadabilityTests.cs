using Participatie.Notifications.Texts;

namespace Participatie.UnitTests;

public class ReadabilityTests
{
    [Theory]
    [InlineData("kat", 1)]
    [InlineData("huis", 1)]
    [InlineData("nieuw", 1)]
    [InlineData("eeuw", 1)]
    [InlineData("mooi", 1)]
    [InlineData("draaien", 2)]
    [InlineData("koffie", 2)]
    [InlineData("uien", 2)]
    [InlineData("zeeën", 2)]
    [InlineData("theater", 3)]
    [InlineData("ruïne", 3)]
    [InlineData("vrijwilliger", 4)]
    [InlineData("beoordeling", 4)]
    [InlineData("bewonersavond", 5)]
    [InlineData("geïnteresseerd", 5)]
    [InlineData("Café", 2)]
    [InlineData("2026", 1)]
    public void Dutch_syllables_are_counted_by_vowel_group(string word, int syllables) =>
        Assert.Equal(syllables, DutchSyllables.Count(word));

    [Fact]
    public void Flesch_Douma_takes_syllables_per_hundred_words_and_words_per_sentence()
    {
        // Six words of one syllable in one sentence: 206.84 - 0.77 * 100 - 0.93 * 6.
        var counts = Readability.Count("De kat zit op de mat.");

        Assert.Equal(new TextCounts(Words: 6, Sentences: 1, Syllables: 6), counts);
        Assert.Equal(124.26, Readability.FleschDouma(counts), precision: 2);
    }

    [Fact]
    public void Sentences_end_at_a_full_stop_question_or_exclamation_mark_and_at_a_line_break()
    {
        var counts = Readability.Count("Herinnering: bewonersavond\nDie is op 12-06-2030 van 19:00 tot 21:00 uur. Komt u ook? Graag!");

        Assert.Equal(4, counts.Sentences);
        Assert.Equal(15, counts.Words); // A date and a time are one word each.
    }

    [Fact]
    public void Long_sentences_of_long_words_score_below_B1()
    {
        var officialese = TextCheck.Check(
            "Inzake de raadpleging betreffende de herinrichting van het openbaar gebied verzoeken wij u vriendelijk, " +
            "teneinde een zorgvuldige besluitvorming te bewerkstelligen, uw zienswijze middels het bijgevoegde formulier kenbaar te maken.",
            "nl");
        var plain = TextCheck.Check("We gaan het plein opnieuw maken. Wat vindt u ervan? Vul het formulier in.", "nl");

        Assert.False(officialese.MeetsB1);
        Assert.True(officialese.Score < Readability.B1MinimumScore);
        Assert.True(plain.MeetsB1);
        Assert.Empty(plain.Officialese);
    }

    [Fact]
    public void Officialese_is_found_as_whole_words_whatever_the_case_with_a_plain_alternative()
    {
        var found = Officialese.Find("Inzake de raadpleging: indien u wilt, kunt u teneinde tijd te sparen middels e-mail reageren. Mijn dochter ook.");

        Assert.Equal(
            [("Inzake", "over"), ("raadpleging", "uw mening gevraagd"), ("indien", "als"), ("teneinde", "om"), ("middels", "met")],
            found.Select(finding => (finding.Found, finding.Alternative)));
        Assert.Equal(0, found[0].Index);
    }

    [Fact]
    public void Officialese_phrases_of_several_words_are_found_across_spaces() =>
        Assert.Equal("over", Assert.Single(Officialese.Find("Een vraag met  betrekking tot de tuin.")).Alternative);

    [Fact]
    public void The_officialese_list_has_at_least_thirty_entries_each_with_a_different_plain_alternative()
    {
        Assert.True(Officialese.Entries.Count >= 30, $"{Officialese.Entries.Count} entries");
        Assert.All(Officialese.Entries, entry => Assert.NotEqual(entry.Phrase, entry.Alternative));
        Assert.Equal(Officialese.Entries.Count, Officialese.Entries.Select(entry => entry.Phrase).Distinct(StringComparer.Ordinal).Count());
        // An alternative is plain language itself.
        Assert.All(Officialese.Entries, entry => Assert.Empty(Officialese.Find(entry.Alternative)));
    }

    [Fact]
    public void Other_languages_get_counts_only()
    {
        var result = TextCheck.Check("We would like to know what you think. It is about the new playground.", "en");

        Assert.Equal(14, result.Counts.Words);
        Assert.Equal(2, result.Counts.Sentences);
        Assert.Null(result.Score);
        Assert.Null(result.MeetsB1);
        Assert.Empty(result.Officialese);
    }
}
