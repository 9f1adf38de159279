using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Participatie.Testing;

namespace Participatie.Notifications.FunctionalTests;

/// <summary>Partners run the platform's own readability and officialese check on their text before they publish it.</summary>
[Collection(NotificationsCollection.Name)]
public sealed class TextChecksApiTests(NotificationsService service, PlatformContainers containers) : IAsyncLifetime
{
    private HttpClient _client = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var partner = await containers.TokenServer.RegisterPartnerAsync("municipality");
        _client = partner.Authorize(service.CreateClient());
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Dutch_officialese_scores_below_B1_and_each_find_comes_with_a_plain_alternative()
    {
        var check = await CheckAsync(new
        {
            text = "Inzake de raadpleging betreffende de herinrichting van het openbaar gebied verzoeken wij u vriendelijk, " +
                "teneinde een zorgvuldige besluitvorming te bewerkstelligen, uw zienswijze middels het bijgevoegde formulier kenbaar te maken.",
            language = "nl",
        });

        Assert.Equal("nl", check.GetProperty("language").GetString());
        Assert.Equal(1, check.GetProperty("sentences").GetInt32());
        Assert.True(check.GetProperty("score").GetDouble() < 60, check.ToString());
        Assert.Equal(60, check.GetProperty("minimumScore").GetDouble());
        Assert.False(check.GetProperty("meetsB1").GetBoolean());
        Assert.Equal("harder-than-b1", check.GetProperty("verdict").GetString());
        var found = check.GetProperty("officialese").EnumerateArray()
            .Select(item => (item.GetProperty("text").GetString(), item.GetProperty("alternative").GetString()))
            .ToList();
        Assert.Equal(
            [("Inzake", "over"), ("raadpleging", "uw mening gevraagd"), ("betreffende", "over"), ("verzoeken", "vragen"), ("teneinde", "om"),
             ("bewerkstelligen", "zorgen voor"), ("middels", "met"), ("kenbaar te maken", "te laten weten")],
            found);
        Assert.Equal(0, check.GetProperty("officialese")[0].GetProperty("index").GetInt32());
    }

    [Fact]
    public async Task Plain_Dutch_reads_at_B1()
    {
        var check = await CheckAsync(new { text = "We gaan het plein opnieuw maken. Wat vindt u ervan? Vul het formulier in.", language = "nl" });

        Assert.Equal(3, check.GetProperty("sentences").GetInt32());
        Assert.Equal(14, check.GetProperty("words").GetInt32());
        Assert.True(check.GetProperty("score").GetDouble() >= 60, check.ToString());
        Assert.True(check.GetProperty("meetsB1").GetBoolean());
        Assert.Equal("b1", check.GetProperty("verdict").GetString());
        Assert.Empty(check.GetProperty("officialese").EnumerateArray());
    }

    [Theory]
    [InlineData("en", "We would like to know what you think. It is about the new playground.", 14, 2)]
    [InlineData("so", "Waxaan rabnaa inaan ogaanno waxaad u malaynayso.", 7, 1)]
    public async Task Other_languages_get_word_and_sentence_counts_only(string language, string text, int words, int sentences)
    {
        var check = await CheckAsync(new { text, language });

        Assert.Equal(language, check.GetProperty("language").GetString());
        Assert.Equal(words, check.GetProperty("words").GetInt32());
        Assert.Equal(sentences, check.GetProperty("sentences").GetInt32());
        Assert.Equal(JsonValueKind.Null, check.GetProperty("score").ValueKind);
        Assert.Equal(JsonValueKind.Null, check.GetProperty("meetsB1").ValueKind);
        Assert.Equal("not-scored", check.GetProperty("verdict").GetString());
        Assert.Empty(check.GetProperty("officialese").EnumerateArray());
    }

    [Theory]
    [InlineData("""{"language":"nl"}""", "text")]
    [InlineData("""{"text":"   ","language":"nl"}""", "text")]
    [InlineData("""{"text":"Een zin."}""", "language")]
    [InlineData("""{"text":"Een zin.","language":"fr"}""", "language")]
    public async Task Bad_input_is_refused_naming_the_field(string body, string field)
    {
        using var response = await _client.PostAsync(
            new Uri("/v1/notifications/text-checks", UriKind.Relative), new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Cancel);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task A_text_longer_than_the_limit_is_refused_naming_the_field()
    {
        using var response = await _client.PostAsJsonAsync(
            "/v1/notifications/text-checks", new { text = new string('a', 20_001), language = "nl" }, Cancel);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "text");
    }

    [Fact]
    public async Task Only_partners_may_check_texts()
    {
        using var anonymous = service.CreateClient();

        using var response = await anonymous.PostAsJsonAsync("/v1/notifications/text-checks", new { text = "Een zin.", language = "nl" }, Cancel);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    private async Task<JsonElement> CheckAsync(object body)
    {
        using var response = await _client.PostAsJsonAsync("/v1/notifications/text-checks", body, Cancel);
        var content = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {content}");
        return JsonDocument.Parse(content).RootElement.Clone();
    }
}
