using System.Text.RegularExpressions;
using Participatie.Contracts;
using Participatie.Notifications.Texts;
using Participatie.ResidentPortal.Texts;

namespace Participatie.UnitTests;

/// <summary>
/// The resident portal's texts: every supported language has all of them (the compiler already insists that each is
/// given), none is empty, each keeps the Dutch text's placeholders, and the Dutch reads at B1.
/// </summary>
public sealed partial class ResidentPortalTextsTests
{
    private static readonly System.Reflection.PropertyInfo[] Keys =
        [.. typeof(PortalTexts).GetProperties().Where(property => property.PropertyType == typeof(string))];

    public static TheoryData<string> AllLanguages => [.. Languages.All];

    [Fact]
    public void Every_supported_language_has_texts_and_its_own_name_in_the_switcher_and_nothing_else_does()
    {
        Assert.Equal(Languages.All.Order(StringComparer.Ordinal), PortalLanguage.Catalog.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(Languages.All.Order(StringComparer.Ordinal), PortalLanguage.Autonyms.Keys.Order(StringComparer.Ordinal));
        Assert.True(Keys.Length > 50, "The texts are found by reflection over PortalTexts' string properties.");
    }

    [Theory]
    [MemberData(nameof(AllLanguages))]
    public void Every_text_is_there_and_keeps_the_placeholders_of_the_dutch(string language)
    {
        var dutch = PortalLanguage.Catalog[Languages.Dutch];
        var texts = PortalLanguage.Catalog[language];
        foreach (var key in Keys)
        {
            var text = (string?)key.GetValue(texts);
            Assert.False(string.IsNullOrWhiteSpace(text), $"{language}: {key.Name} is empty");
            Assert.Equal(Placeholders((string)key.GetValue(dutch)!), Placeholders(text!));
        }
    }

    [Fact]
    public void The_dutch_sentences_read_at_b1()
    {
        var dutch = PortalLanguage.Catalog[Languages.Dutch];
        // Labels are single words; the sentences (ending in . ? or :) are what a resident reads as text.
        var sentences = Keys.Select(key => (string)key.GetValue(dutch)!)
            .Where(text => text.EndsWith('.') || text.EndsWith('?') || text.EndsWith(':'))
            .Select(text => text.Replace("{0}", "12 mei", StringComparison.Ordinal))
            .ToList();
        Assert.True(sentences.Count > 30);
        var score = Readability.FleschDouma(Readability.Count(string.Join('\n', sentences)));
        Assert.True(score >= Readability.B1MinimumScore, $"The portal's Dutch scores {score:F1} on Flesch–Douma, under {Readability.B1MinimumScore}.");
    }

    private static string[] Placeholders(string text) => [.. Placeholder().Matches(text).Select(match => match.Value).Order(StringComparer.Ordinal)];

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();
}

/// <summary>
/// The settings page's channel error: the residents API names preferredChannel with its own Dutch-and-English text;
/// the portal shows the resident's language instead, saying which address is missing.
/// </summary>
public sealed class ResidentPortalChannelErrorTests
{
    public static TheoryData<string> AllLanguages => [.. Languages.All];

    [Theory]
    [MemberData(nameof(AllLanguages))]
    public void A_refused_channel_is_explained_in_the_residents_language_by_the_address_it_lacks(string language)
    {
        var texts = PortalLanguage.Catalog[language];

        Assert.Equal(texts.ErrorChannelNoEmail, texts.ChannelError("email"));
        Assert.Equal(texts.ErrorChannelNoPhone, texts.ChannelError("sms"));
        Assert.Equal(texts.ErrorChannelChoice, texts.ChannelError("pigeon"));
        Assert.Equal(texts.ErrorChannelChoice, texts.ChannelError(null));
        Assert.Equal(3, new[] { texts.ErrorChannelNoEmail, texts.ErrorChannelNoPhone, texts.ErrorChannelChoice }.Distinct(StringComparer.Ordinal).Count());
        if (language != Languages.Dutch)
        {
            Assert.NotEqual(PortalLanguage.Catalog[Languages.Dutch].ErrorChannelNoPhone, texts.ErrorChannelNoPhone);
        }
    }
}
