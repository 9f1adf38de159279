using Participatie.Notifications.Delivery.Sms;

namespace Participatie.UnitTests;

public sealed class SmsSegmentsTests
{
    [Theory]
    [InlineData("", 0, 0)]
    [InlineData("Hallo", 5, 1)]
    [InlineData("Wij antwoorden vóór 12 mei.", 27, 1)] // ó is not in the GSM alphabet: UCS-2, still one segment
    public void Counts_plain_text(string text, int units, int segments)
    {
        var size = SmsSegments.Count(text);

        Assert.Equal(units, size.Units);
        Assert.Equal(segments, size.Segments);
    }

    [Fact]
    public void GSM_7_fits_160_septets_in_one_segment_and_153_in_each_of_more()
    {
        Assert.Equal(new SmsSize(SmsEncoding.Gsm7, 160, 1), SmsSegments.Count(new string('a', 160)));
        Assert.Equal(new SmsSize(SmsEncoding.Gsm7, 161, 2), SmsSegments.Count(new string('a', 161)));
        Assert.Equal(new SmsSize(SmsEncoding.Gsm7, 306, 2), SmsSegments.Count(new string('a', 306)));
        Assert.Equal(new SmsSize(SmsEncoding.Gsm7, 307, 3), SmsSegments.Count(new string('a', 307)));
    }

    [Fact]
    public void Accented_letters_of_the_GSM_alphabet_stay_GSM_7()
    {
        var size = SmsSegments.Count("Café, crème, à, ù, ì, ò, Ñ, ñ, Ø, Å, Æ, ß, £5, ¥, §, ¿, ¡, Ä Ö Ü ä ö ü");

        Assert.Equal(SmsEncoding.Gsm7, size.Encoding);
    }

    [Theory]
    [InlineData("€")]
    [InlineData("[")]
    [InlineData("]")]
    [InlineData("{")]
    [InlineData("}")]
    [InlineData("~")]
    [InlineData("^")]
    [InlineData("|")]
    [InlineData("\\")]
    public void A_character_of_the_extension_table_takes_two_septets(string character)
    {
        var size = SmsSegments.Count("Prijs " + character);

        Assert.Equal(new SmsSize(SmsEncoding.Gsm7, 8, 1), size);
    }

    [Fact]
    public void Extension_characters_count_double_towards_the_limit_and_are_not_split_over_segments()
    {
        // 80 euro signs are 160 septets: one segment; one more character makes two.
        Assert.Equal(new SmsSize(SmsEncoding.Gsm7, 160, 1), SmsSegments.Count(new string('€', 80)));
        Assert.Equal(new SmsSize(SmsEncoding.Gsm7, 161, 2), SmsSegments.Count(new string('€', 80) + "a"));

        // 152 letters and a euro sign: the escape would be the 153rd septet and its character the 154th, so the pair
        // goes to the second segment; 152 + 2 + 152 = 306 septets then need a third.
        var text = new string('a', 152) + "€" + new string('a', 152);
        Assert.Equal(new SmsSize(SmsEncoding.Gsm7, 306, 3), SmsSegments.Count(text));
        Assert.Equal(2, SmsSegments.Count(new string('a', 151) + "€" + new string('a', 153)).Segments);
    }

    [Fact]
    public void A_character_outside_the_GSM_alphabet_makes_the_whole_message_UCS_2_at_70_and_67()
    {
        Assert.Equal(new SmsSize(SmsEncoding.Ucs2, 70, 1), SmsSegments.Count("ş" + new string('a', 69)));
        Assert.Equal(new SmsSize(SmsEncoding.Ucs2, 71, 2), SmsSegments.Count("ş" + new string('a', 70)));
        Assert.Equal(new SmsSize(SmsEncoding.Ucs2, 134, 2), SmsSegments.Count("ş" + new string('a', 133)));
        Assert.Equal(new SmsSize(SmsEncoding.Ucs2, 135, 3), SmsSegments.Count("ş" + new string('a', 134)));
    }

    [Theory]
    [InlineData("Ваш відгук отримано", SmsEncoding.Ucs2)] // Ukrainian
    [InlineData("تم استلام ردك", SmsEncoding.Ucs2)] // Arabic
    [InlineData("Otrzymaliśmy Twoją reakcję", SmsEncoding.Ucs2)] // Polish ś, ą, ę
    [InlineData("Tepkiniz alındı", SmsEncoding.Ucs2)] // Turkish dotless ı
    [InlineData("Uw reactie is ontvangen", SmsEncoding.Gsm7)]
    [InlineData("Ideeën voor de coöperatie", SmsEncoding.Ucs2)] // Dutch diaeresis: ë and ö... ö is GSM, ë is not
    public void Encoding_follows_the_alphabet(string text, SmsEncoding encoding)
    {
        Assert.Equal(encoding, SmsSegments.Count(text).Encoding);
    }

    [Fact]
    public void An_emoji_is_two_UTF_16_code_units_and_its_surrogate_pair_is_never_split()
    {
        Assert.Equal(new SmsSize(SmsEncoding.Ucs2, 2, 1), SmsSegments.Count("👍"));
        Assert.Equal(new SmsSize(SmsEncoding.Ucs2, 70, 1), SmsSegments.Count(string.Concat(Enumerable.Repeat("👍", 35))));
        Assert.Equal(new SmsSize(SmsEncoding.Ucs2, 72, 2), SmsSegments.Count(string.Concat(Enumerable.Repeat("👍", 36))));

        // 66 letters and an emoji: the pair cannot straddle units 67 and 68, so it opens the second segment.
        var text = new string('a', 66) + "👍" + new string('a', 66);
        Assert.Equal(new SmsSize(SmsEncoding.Ucs2, 134, 3), SmsSegments.Count(text));
        Assert.Equal(2, SmsSegments.Count(new string('a', 65) + "👍" + new string('a', 67)).Segments);
    }

    [Fact]
    public void A_short_message_is_the_title_and_the_body_unchanged()
    {
        Assert.Equal("Reactie ontvangen\nWij antwoorden binnen 15 werkdagen.", SmsSegments.Fit("Reactie ontvangen", "Wij antwoorden binnen 15 werkdagen."));
    }

    [Fact]
    public void A_long_GSM_7_body_is_shortened_with_three_dots_to_two_segments_and_the_title_kept()
    {
        var body = string.Join(' ', Enumerable.Repeat("Wij nemen uw reactie mee in het plan voor de buurt.", 12));

        var text = SmsSegments.Fit("Uw reactie is beantwoord", body);

        Assert.StartsWith("Uw reactie is beantwoord\nWij nemen uw reactie mee", text, StringComparison.Ordinal);
        Assert.EndsWith("...", text, StringComparison.Ordinal);
        Assert.Equal(SmsEncoding.Gsm7, SmsSegments.Count(text).Encoding);
        Assert.Equal(2, SmsSegments.Count(text).Segments);
        // It fills the two segments (a word may be cut back, never more than 20 characters).
        Assert.True(SmsSegments.Count(text).Units > 306 - 24, $"Only {SmsSegments.Count(text).Units} septets used.");
        Assert.DoesNotContain(" ...", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_UCS_2_body_is_shortened_with_an_ellipsis_and_never_splits_an_emoji()
    {
        var body = string.Concat(Enumerable.Repeat("Дякуємо👍", 30));

        var text = SmsSegments.Fit("Ваш відгук", body);

        Assert.StartsWith("Ваш відгук\nДякуємо", text, StringComparison.Ordinal);
        Assert.EndsWith("…", text, StringComparison.Ordinal);
        Assert.Equal(new SmsSize(SmsEncoding.Ucs2, text.Length, 2), SmsSegments.Count(text));
        Assert.False(char.IsHighSurrogate(text[^2]), "No half emoji before the ellipsis.");
    }

    [Fact]
    public void A_title_that_alone_is_too_long_is_shortened_itself()
    {
        var title = new string('x', 400);

        var text = SmsSegments.Fit(title, "Body");

        Assert.Equal(2, SmsSegments.Count(text).Segments);
        Assert.EndsWith("...", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Body", text, StringComparison.Ordinal);
    }
}
