using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Participatie.Testing;

namespace Participatie.EndToEndTests.Browser;

/// <summary>A resident registered by a partner, with a consultation open in their buurt, all through the gateway API.</summary>
public sealed record PortalResident(
    RegisteredPartner Partner, Guid ResidentId, string Email, string Postcode, int HouseNumber, string BuurtCode, Guid TrajectoryId, Guid ConsultationId);

/// <summary>What the resident portal's browser tests set up through the API, and signing in through the portal's pages.</summary>
public static partial class ResidentPortalSetup
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>A corporation registers a resident and opens a consultation for their buurt, titled in Dutch and Turkish.</summary>
    public static async Task<PortalResident> ResidentWithOpenConsultationAsync(PlatformFixture platform, string language, string name)
    {
        var partner = await platform.RegisterPartnerWithClientAsync(TestData.NewPartnerName("Woonstichting Portaal"), "housing-corporation");
        var buurtCode = TestData.NewBuurtCode();
        var postcode = TestData.NewPostcode();
        var email = $"portal-{Guid.NewGuid():N}@example.org";
        var residentId = (await SendAsync(partner.Client, HttpMethod.Post, "/v1/residents", new
        {
            fullName = name, postcode, houseNumber = 12, city = "Amsterdam", buurtCode, email,
            preferredLanguage = language, preferredChannel = "email",
        }, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var trajectoryId = (await SendAsync(partner.Client, HttpMethod.Post, "/v1/trajectories", new { name = "Renovatie Portaal", buurtCodes = new[] { buurtCode } }, HttpStatusCode.Created))
            .GetProperty("id").GetGuid();
        await PlatformFixture.WaitForConsultationsAccessAsync(partner.Client, trajectoryId);
        var consultationId = (await SendAsync(partner.Client, HttpMethod.Post, "/v1/consultations", new
        {
            trajectoryId, title = "Nieuwe tuinen", description = "Hoe wilt u de binnentuin?", buurtCode,
            closesOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(30)),
            titleTranslations = new Dictionary<string, string> { ["tr"] = "Yeni bahçeler" },
            descriptionTranslations = new Dictionary<string, string> { ["tr"] = "İç bahçeyi nasıl istersiniz?" },
        }, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var startsAt = DateTimeOffset.UtcNow.AddDays(7);
        await SendAsync(partner.Client, HttpMethod.Post, $"/v1/consultations/{consultationId}/meetings",
            new { place = "Buurthuis De Meeuw", startsAt, endsAt = startsAt.AddHours(2), capacity = 40 }, HttpStatusCode.Created);
        return new PortalResident(partner, residentId, email, postcode, 12, buurtCode, trajectoryId, consultationId);
    }

    /// <summary>The consultation gets a questionnaire (an open and a multiple-choice question) and a poll, in every language.</summary>
    public static async Task AddQuestionnaireAndPollAsync(PortalResident resident)
    {
        await SendAsync(resident.Partner.Client, HttpMethod.Put, $"/v1/consultations/{resident.ConsultationId}/questionnaire", new
        {
            questions = new object[]
            {
                new { id = "trees", type = "multiple-choice", texts = Everywhere("Wilt u meer bomen?", "Daha fazla ağaç ister misiniz?"),
                      options = new[] { new { id = "yes", texts = Everywhere("Ja", "Evet") }, new { id = "no", texts = Everywhere("Nee", "Hayır") } } },
                new { id = "wish", type = "open", texts = Everywhere("Wat wilt u nog meer?", "Başka ne istersiniz?") },
            },
        }, HttpStatusCode.Created);
        await SendAsync(resident.Partner.Client, HttpMethod.Put, $"/v1/consultations/{resident.ConsultationId}/poll", new
        {
            texts = Everywhere("Welke kleur krijgt de deur?", "Kapı hangi renk olsun?"),
            options = new[] { new { id = "green", texts = Everywhere("Groen", "Yeşil") }, new { id = "blue", texts = Everywhere("Blauw", "Mavi") } },
        }, HttpStatusCode.Created);
    }

    /// <summary>A draagvlakmeting over the resident's home and nine others.</summary>
    public static async Task<Guid> StartSupportMeasurementAsync(PortalResident resident)
    {
        var homes = Enumerable.Range(1, 10)
            .Select(number => new { postcode = resident.Postcode, houseNumber = number == 1 ? resident.HouseNumber : 100 + number, houseNumberSuffix = (string?)null })
            .ToArray();
        var measurement = await SendAsync(resident.Partner.Client, HttpMethod.Post, "/v1/support-measurements", new
        {
            trajectoryId = resident.TrajectoryId, title = "Renovatieplan Portaal", proposal = "Nieuwe kozijnen en isolatie.",
            deadline = DateTimeOffset.UtcNow.AddDays(14), homes,
        }, HttpStatusCode.Created);
        return measurement.GetProperty("id").GetGuid();
    }

    /// <summary>A partner's text in every supported language: the Turkish given, the Dutch for the others (as a test may).</summary>
    private static Dictionary<string, string> Everywhere(string dutch, string turkish) =>
        new[] { "nl", "en", "tr", "ar", "pl", "uk", "so", "ti" }.ToDictionary(language => language, language => language == "tr" ? turkish : dutch);

    /// <summary>
    /// Signs in through the portal's own pages with the code that arrives by mail. The token server hears of a new
    /// resident by an event, a moment after the registration; until then no code is sent (the page says the same), so ask again.
    /// </summary>
    public static async Task SignInAsync(PlatformFixture platform, IPage page, string email, BrowserPage? check = null, string? language = null)
    {
        var mail = platform.Mail();
        for (var attempt = 1; ; attempt++)
        {
            var before = (await mail.MailsToAsync(email)).Count;
            await page.GotoAsync("/sign-in");
            await page.Locator("#email").FillAsync(email);
            await page.Locator("form:has(#email) button[type=submit]").ClickAsync();
            await page.WaitForURLAsync(url => url.Contains("/sign-in/code", StringComparison.Ordinal));
            var code = await WaitForCodeAsync(mail, email, before, TimeSpan.FromSeconds(15));
            if (code is not null)
            {
                if (check is not null)
                {
                    await check.CheckAsync($"portal-sign-in-code-{language}", language);
                }

                await page.Locator("#code").FillAsync(code);
                await page.Locator("form:has(#code) button[type=submit]").ClickAsync();
                await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/my");
                return;
            }

            Assert.True(attempt < 4, $"No sign-in code reached {email}.");
        }
    }

    public static async Task<string?> WaitForCodeAsync(MailReader mail, string email, int mailsBefore, TimeSpan timeout)
    {
        var until = DateTimeOffset.UtcNow + timeout;
        while (DateTimeOffset.UtcNow < until)
        {
            var mails = await mail.MailsToAsync(email);
            // Other mails (the invitation to the consultation) may arrive meanwhile: the newest one with a code.
            var code = mails.Skip(mailsBefore).Reverse()
                .Select(received => SixDigits().Match(received.Message.TextBody ?? string.Empty))
                .FirstOrDefault(match => match.Success);
            if (code is not null)
            {
                return code.Value;
            }

            await Task.Delay(250, Cancel);
        }

        return null;
    }

    public static async Task<JsonElement> SendAsync(HttpClient client, HttpMethod method, string path, object? body, HttpStatusCode expected)
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

    [GeneratedRegex(@"(?<!\d)\d{6}(?!\d)")]
    private static partial Regex SixDigits();
}
