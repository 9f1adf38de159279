using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Participatie.Testing;

namespace Participatie.EndToEndTests;

/// <summary>
/// One resident, on their own, through the gateway: signing in with a code sent by e-mail (the real token server, a
/// real mail server), seeing what is open at their address, reacting, reading the partner's answer in their language,
/// voting with their letter code and changing the vote, changing their language, exporting their data, and erasure.
/// </summary>
public sealed partial class ResidentJourneyTests(PlatformFixture platform)
{
    private const string SignInCodeGrant = "urn:participatie:grant-type:sign-in-code";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_resident_signs_in_takes_part_and_has_their_data_exported_and_then_erased()
    {
        var corporation = await platform.RegisterPartnerWithClientAsync(TestData.NewPartnerName("Woonstichting Het Anker"), "housing-corporation");
        var partner = corporation.Client;
        var buurtCode = TestData.NewBuurtCode();
        var postcode = TestData.NewPostcode();
        var email = $"fatma-{Guid.NewGuid():N}@example.org";

        // The corporation registers Fatma, who reads Turkish and wants e-mail; she is invited to what opens in her buurt.
        var fatma = await SendAsync(partner, HttpMethod.Post, "/v1/residents", new
        {
            fullName = "Fatma Yılmaz", postcode, houseNumber = 12, street = "Kolenkitstraat", city = "Amsterdam", buurtCode, email,
            preferredLanguage = "tr", preferredChannel = "email",
        }, HttpStatusCode.Created);
        var residentId = fatma.GetProperty("id").GetGuid();
        var trajectoryId = (await SendAsync(partner, HttpMethod.Post, "/v1/trajectories", new { name = "Renovatie Het Anker", buurtCodes = new[] { buurtCode } }, HttpStatusCode.Created))
            .GetProperty("id").GetGuid();
        await PlatformFixture.WaitForConsultationsAccessAsync(partner, trajectoryId);
        var consultationId = (await SendAsync(partner, HttpMethod.Post, "/v1/consultations", new
        {
            trajectoryId, title = "Nieuwe tuinen", description = "Hoe wilt u de binnentuin?", buurtCode,
            closesOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(30)),
            titleTranslations = new Dictionary<string, string> { ["tr"] = "Yeni bahçeler" },
        }, HttpStatusCode.Created)).GetProperty("id").GetGuid();

        // She signs in with the code the platform mails her: a token of her own, nothing else.
        using var fatmaClient = platform.Anonymous();
        var tokens = await SignInByEmailAsync(fatmaClient, email);
        fatmaClient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.GetProperty("access_token").GetString());
        Assert.False(string.IsNullOrEmpty(tokens.GetProperty("refresh_token").GetString()));
        var me = await SendAsync(fatmaClient, HttpMethod.Get, "/v1/me", null, HttpStatusCode.OK);
        Assert.Equal("Fatma Yılmaz", me.GetProperty("fullName").GetString());
        // Her token opens nothing of a partner's.
        using (var partnerRoute = await fatmaClient.GetAsync($"/v1/residents/{residentId}", Cancel))
        {
            Assert.Equal(HttpStatusCode.Forbidden, partnerRoute.StatusCode);
        }

        // What is open at her address: the consultation, titled in Turkish.
        var open = await Eventually.MatchesAsync(
            async () => (await SendAsync(fatmaClient, HttpMethod.Get, "/v1/me/consultations", null, HttpStatusCode.OK)).GetProperty("items").EnumerateArray().ToList(),
            items => items.Any(item => item.GetProperty("id").GetGuid() == consultationId),
            "the consultation of her buurt among what is open for her");
        Assert.Equal("Yeni bahçeler", open.Single(item => item.GetProperty("id").GetGuid() == consultationId).GetProperty("title").GetString());

        // She reacts; the corporation answers in Dutch and Turkish; she reads the answer and its history in Turkish.
        var reactionId = (await SendAsync(fatmaClient, HttpMethod.Post, $"/v1/me/consultations/{consultationId}/reactions",
            new { text = "Lütfen daha fazla ağaç." }, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await SendAsync(partner, HttpMethod.Put, $"/v1/consultations/{consultationId}/reactions/{reactionId}/answer", new
        {
            status = "adopted",
            explanation = "Er komen drie bomen in de binnentuin.",
            explanationTranslations = new Dictionary<string, string> { ["tr"] = "İç bahçeye üç ağaç dikilecek." },
        }, HttpStatusCode.OK);
        var mine = await SendAsync(fatmaClient, HttpMethod.Get, $"/v1/me/reactions/{reactionId}", null, HttpStatusCode.OK);
        Assert.Equal("adopted", mine.GetProperty("status").GetString());
        Assert.Equal("İç bahçeye üç ağaç dikilecek.", mine.GetProperty("explanation").GetString());
        Assert.Equal(["received", "adopted"], mine.GetProperty("history").EnumerateArray().Select(step => step.GetProperty("status").GetString()));

        // A draagvlakmeting over her home and nine others: she votes online for her home, then changes her mind. (Her
        // letter code goes to the notifications service for the letter; no partner answer carries it.)
        var homes = Enumerable.Range(1, 10).Select(number => new { postcode, houseNumber = number == 1 ? 12 : 100 + number, houseNumberSuffix = (string?)null }).ToArray();
        var measurement = await SendAsync(partner, HttpMethod.Post, "/v1/support-measurements", new
        {
            trajectoryId, title = "Renovatieplan Het Anker", proposal = "Nieuwe kozijnen en isolatie.",
            deadline = DateTimeOffset.UtcNow.AddDays(14), homes,
        }, HttpStatusCode.Created);
        var measurementId = measurement.GetProperty("id").GetGuid();
        Assert.False(measurement.TryGetProperty("votingCodes", out _));
        // The residents service tells consultations who lives at the measurement's homes, a moment after it opened.
        await Eventually.MatchesAsync(
            async () => (await SendAsync(fatmaClient, HttpMethod.Get, "/v1/me/support-measurements", null, HttpStatusCode.OK)).GetProperty("items").EnumerateArray().ToList(),
            items => items.Any(item => item.GetProperty("id").GetGuid() == measurementId),
            "the draagvlakmeting for her home among hers");
        var votePath = $"/v1/me/support-measurements/{measurementId}/vote";
        await SendAsync(fatmaClient, HttpMethod.Put, votePath, new { choice = "agree" }, HttpStatusCode.OK);
        await SendAsync(fatmaClient, HttpMethod.Put, votePath, new { choice = "disagree" }, HttpStatusCode.OK);
        var result = await SendAsync(partner, HttpMethod.Get, $"/v1/support-measurements/{measurementId}/result", null, HttpStatusCode.OK);
        Assert.Equal(1, result.GetProperty("votes").GetInt32());
        Assert.Equal(1, result.GetProperty("disagreeing").GetInt32());
        // The vote log does not say how her home voted; she sees it herself.
        var herVote = (await SendAsync(fatmaClient, HttpMethod.Get, "/v1/me/support-measurements", null, HttpStatusCode.OK)).GetProperty("items").EnumerateArray()
            .Single(item => item.GetProperty("id").GetGuid() == measurementId);
        Assert.Equal("disagree", herVote.GetProperty("myHomeVote").GetString());

        // She switches to English.
        await SendAsync(fatmaClient, HttpMethod.Put, "/v1/me/preferences", new { preferredLanguage = "en", preferredChannel = "email", digestFrequency = "immediately" }, HttpStatusCode.OK);
        Assert.Equal("en", (await SendAsync(fatmaClient, HttpMethod.Get, "/v1/me", null, HttpStatusCode.OK)).GetProperty("preferredLanguage").GetString());

        // Her data, from all four services, as JSON and as a PDF.
        var exportId = (await SendAsync(fatmaClient, HttpMethod.Post, "/v1/me/data-exports", null, HttpStatusCode.Accepted)).GetProperty("id").GetGuid();
        await Eventually.MatchesAsync(
            async () => (await SendAsync(fatmaClient, HttpMethod.Get, $"/v1/me/data-exports/{exportId}", null, HttpStatusCode.OK)).GetProperty("status").GetString(),
            status => status == "ready",
            "her export to have a part from every service",
            TimeSpan.FromSeconds(60));
        using (var json = await fatmaClient.GetAsync($"/v1/me/data-exports/{exportId}/data.json", Cancel))
        {
            var text = await json.Content.ReadAsStringAsync(Cancel);
            Assert.True(json.IsSuccessStatusCode, text);
            Assert.Contains("Fatma Yılmaz", text, StringComparison.Ordinal);
            Assert.Contains("Lütfen daha fazla ağaç.", text, StringComparison.Ordinal);
        }

        using (var pdf = await fatmaClient.GetAsync($"/v1/me/data-exports/{exportId}/data.pdf", Cancel))
        {
            Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
            Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
            Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(await pdf.Content.ReadAsByteArrayAsync(Cancel), 0, 4), StringComparison.Ordinal);
        }

        // Erasure: every service confirms, and the proof lists all four.
        var erasure = await SendAsync(fatmaClient, HttpMethod.Post, "/v1/me/erasure", null, HttpStatusCode.Accepted);
        var proof = await Eventually.MatchesAsync(
            () => SendAsync(partner, HttpMethod.Get, $"/v1/residents/{residentId}/erasure", null, HttpStatusCode.OK),
            found => found.GetProperty("complete").GetBoolean(),
            "every service to confirm the erasure",
            TimeSpan.FromSeconds(60));
        Assert.Equal(erasure.GetProperty("id").GetGuid(), proof.GetProperty("id").GetGuid());
        Assert.Equal(
            ["consultations", "notifications", "partner-coordination", "residents"],
            proof.GetProperty("confirmations").EnumerateArray()
                .Where(confirmation => confirmation.GetProperty("confirmedAt").ValueKind == JsonValueKind.String)
                .Select(confirmation => confirmation.GetProperty("service").GetString()).Order(StringComparer.Ordinal));

        // Afterwards no API gives her personal data or ties anything to her.
        using (var read = await partner.GetAsync($"/v1/residents/{residentId}", Cancel))
        {
            Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        }

        var reactions = await partner.GetStringAsync($"/v1/consultations/{consultationId}/reactions", Cancel);
        Assert.Contains("Lütfen daha fazla ağaç.", reactions, StringComparison.Ordinal);
        Assert.DoesNotContain(residentId.ToString(), reactions, StringComparison.Ordinal);
        Assert.Empty((await SendAsync(partner, HttpMethod.Get, $"/v1/notifications?residentId={residentId}", null, HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        Assert.DoesNotContain("Fatma", await partner.GetStringAsync("/v1/residents?search=Fatma", Cancel), StringComparison.Ordinal);
        // Her refresh token no longer works.
        using var refresh = await platform.Anonymous().PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = "resident-portal",
            ["refresh_token"] = tokens.GetProperty("refresh_token").GetString()!,
        }), Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, refresh.StatusCode);
    }

    /// <summary>
    /// Asks for a sign-in code and redeems the one that arrives by mail. The token server learns of a new resident by an
    /// event, a moment after the registration; until then it sends nothing (and says the same 202), so ask again.
    /// </summary>
    private Task<JsonElement> SignInByEmailAsync(HttpClient anonymous, string email) => SignInByEmailAsync(platform, anonymous, email);

    /// <summary>A resident signs in with the code the platform mails them; their tokens (also for other end-to-end tests).</summary>
    internal static async Task<JsonElement> SignInByEmailAsync(PlatformFixture platform, HttpClient anonymous, string email)
    {
        var mail = platform.Mail();
        for (var attempt = 1; ; attempt++)
        {
            var challenge = await SendAsync(anonymous, HttpMethod.Post, "/v1/sign-in/codes", new { emailAddress = email }, HttpStatusCode.Accepted);
            var code = await WaitForCodeAsync(mail, email, TimeSpan.FromSeconds(15));
            if (code is not null)
            {
                using var response = await anonymous.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["grant_type"] = SignInCodeGrant,
                    ["client_id"] = "resident-portal",
                    ["scope"] = "resident",
                    ["challenge_id"] = challenge.GetProperty("challengeId").GetString()!,
                    ["code"] = code,
                }), Cancel);
                var body = await response.Content.ReadAsStringAsync(Cancel);
                Assert.True(response.IsSuccessStatusCode, $"Redeeming the sign-in code: {(int)response.StatusCode} {body}");
                return JsonDocument.Parse(body).RootElement.Clone();
            }

            Assert.True(attempt < 4, $"No sign-in code reached {email}.");
        }
    }

    private static async Task<string?> WaitForCodeAsync(MailReader mail, string email, TimeSpan timeout)
    {
        var until = DateTimeOffset.UtcNow + timeout;
        while (DateTimeOffset.UtcNow < until)
        {
            var codes = (await mail.MailsToAsync(email))
                .Select(received => SixDigits().Match(received.Message.TextBody ?? string.Empty))
                .Where(match => match.Success)
                .ToList();
            if (codes.Count > 0)
            {
                return codes[^1].Value;
            }

            await Task.Delay(250, Cancel);
        }

        return null;
    }

    [GeneratedRegex(@"(?<!\d)\d{6}(?!\d)")]
    private static partial Regex SixDigits();

    internal static async Task<JsonElement> SendAsync(HttpClient client, HttpMethod method, string path, object? body, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await client.SendAsync(request, Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == expected, $"{method} {path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
