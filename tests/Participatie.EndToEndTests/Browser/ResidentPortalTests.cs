using System.Net;
using Microsoft.Playwright;
using static Participatie.EndToEndTests.Browser.ResidentPortalSetup;

namespace Participatie.EndToEndTests.Browser;

/// <summary>
/// The resident portal in a real browser (chromium), behind the started platform's gateway: a resident finds their
/// buurt, signs in with the code from their mail, reacts in Turkish and reads the partner's answer in Turkish; a
/// keyboard-only walk through reacting; and every page checked with axe (WCAG 2.2 AA), its weight and its lang/dir.
/// </summary>
public sealed class ResidentPortalTests(PlatformFixture platform, BrowserFixture browser)
{
    /// <summary>Participatie.Contracts.Languages.All, which this project does not reference: Dutch first.</summary>
    private static readonly string[] Languages = ["nl", "en", "tr", "ar", "pl", "uk", "so", "ti"];

    [Fact]
    public async Task The_start_and_sign_in_pages_pass_the_checks_in_every_language_with_arabic_right_to_left()
    {
        foreach (var language in Languages)
        {
            await using var browserPage = await browser.NewPageAsync(platform.GatewayUrl);
            var page = browserPage.Page;
            await page.GotoAsync($"/?lang={language}");
            await browserPage.CheckAsync($"portal-home-{language}", language);
            // The choice is remembered: the next page is in the same language without ?lang=.
            await page.GotoAsync("/sign-in");
            await browserPage.CheckAsync($"portal-sign-in-{language}", language);
        }
    }

    [Fact]
    public async Task Every_page_of_a_signed_in_resident_passes_the_checks_in_every_language()
    {
        var resident = await ResidentWithOpenConsultationAsync(platform, "nl", "Noor Bakker");
        await AddQuestionnaireAndPollAsync(resident);
        await StartSupportMeasurementAsync(resident);
        await using var browserPage = await browser.NewPageAsync(platform.GatewayUrl);
        var page = browserPage.Page;
        await SignInAsync(platform, page, resident.Email);
        await page.GotoAsync($"/my/consultations/{resident.ConsultationId}");
        var questionnaire = await page.Locator("a[href^='/my/questionnaires/']").First.GetAttributeAsync("href");
        var poll = await page.Locator("a[href^='/my/polls/']").First.GetAttributeAsync("href");
        (string Name, string Path)[] pages =
        [
            ("home", $"/?postcode={Uri.EscapeDataString(resident.Postcode)}&houseNumber={resident.HouseNumber}"),
            ("my", "/my"),
            ("consultation", $"/my/consultations/{resident.ConsultationId}"),
            ("questionnaire", questionnaire!),
            ("poll", poll!),
            ("support-measurements", "/my/support-measurements"),
            ("reactions", "/my/reactions"),
            ("summary", $"/my/summaries/{resident.ConsultationId}"),
            ("settings", "/my/settings"),
            ("data", "/my/data"),
            ("not-found", "/no-such-page"),
        ];
        foreach (var language in Languages)
        {
            foreach (var (name, path) in pages)
            {
                await page.GotoAsync($"{path}{(path.Contains('?', StringComparison.Ordinal) ? '&' : '?')}lang={language}");
                await browserPage.CheckAsync($"portal-every-{name}-{language}", language);
            }
        }
    }

    [Fact]
    public async Task The_gateway_serves_the_portal_at_the_root_and_keeps_a_problem_404_for_api_shaped_paths()
    {
        using var gateway = platform.Anonymous();
        using var start = await gateway.GetAsync("/", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        Assert.Equal("text/html", start.Content.Headers.ContentType?.MediaType);
        Assert.Contains("script-src 'none'", start.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        foreach (var path in new[] { "/v1/nothing", "/v2/nothing", "/internal/v1/anything" })
        {
            using var api = await gateway.GetAsync(path, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
            Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task The_page_language_follows_the_browser_and_an_empty_start_form_names_each_field_in_error()
    {
        await using var browserPage = await browser.NewPageAsync(platform.GatewayUrl, locale: "pl-PL");
        var page = browserPage.Page;
        await page.GotoAsync("/");
        Assert.Equal("pl", await page.GetAttributeAsync("html", "lang"));

        await page.Locator("form[method=get] button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("postcode=", StringComparison.Ordinal));
        // Each error next to its field, and in the summary as a link to it.
        Assert.Equal("true", await page.Locator("#postcode").GetAttributeAsync("aria-invalid"));
        Assert.Contains("postcode-error", await page.Locator("#postcode").GetAttributeAsync("aria-describedby") ?? string.Empty, StringComparison.Ordinal);
        Assert.Equal(1, await page.Locator(".error-summary a[href='#houseNumber']").CountAsync());
        await browserPage.CheckAsync("portal-home-errors-pl", "pl");
    }

    [Fact]
    public async Task A_resident_reacts_in_turkish_and_later_reads_the_partners_answer_in_turkish()
    {
        var resident = await ResidentWithOpenConsultationAsync(platform, "tr", "Fatma Yılmaz");
        await using var browserPage = await browser.NewPageAsync(platform.GatewayUrl, locale: "tr-TR");
        var page = browserPage.Page;

        // What is going on in her buurt, without signing in, in Turkish (her browser's language).
        await page.GotoAsync("/");
        Assert.Equal("tr", await page.GetAttributeAsync("html", "lang"));
        await page.Locator("#postcode").FillAsync(resident.Postcode);
        await page.Locator("#houseNumber").FillAsync(resident.HouseNumber.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.Locator("form[method=get] button[type=submit]").ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Yeni bahçeler" }).WaitForAsync();
        Assert.Contains("Buurthuis De Meeuw", await page.ContentAsync(), StringComparison.Ordinal);
        // Where the buurt's plan stands: its phases in order, the first (Keşif, exploring) current since it was created.
        await page.GetByRole(AriaRole.Heading, new() { Name = "Renovatie Portaal" }).WaitForAsync();
        var current = page.Locator("ol.timeline li[aria-current=step]");
        Assert.Equal(1, await current.CountAsync());
        Assert.Contains("Keşif", await current.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(5, await page.Locator("ol.timeline li").CountAsync());
        await browserPage.CheckAsync("portal-buurt-tr", "tr");

        // She signs in with the code from her mail, and sees the consultation among hers.
        await SignInAsync(platform, page, resident.Email, browserPage, "tr");
        await page.GetByRole(AriaRole.Link, new() { Name = "Yeni bahçeler" }).WaitForAsync();
        await browserPage.CheckAsync("portal-my-consultations-tr", "tr");

        await page.GetByRole(AriaRole.Link, new() { Name = "Yeni bahçeler" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains($"/my/consultations/{resident.ConsultationId}", StringComparison.Ordinal));
        await browserPage.CheckAsync("portal-consultation-tr", "tr");

        // An empty reaction is named as the error next to the field.
        await page.Locator("form:has(#reaction-text) button[type=submit]").ClickAsync();
        await page.Locator("#reaction-text-error").WaitForAsync();
        await browserPage.CheckAsync("portal-consultation-error-tr", "tr");

        await page.Locator("#reaction-text").FillAsync("Lütfen daha fazla ağaç.");
        await page.Locator("form:has(#reaction-text) button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/my/reactions", StringComparison.Ordinal));
        Assert.Contains("Alındı", await page.Locator(".status").First.InnerTextAsync(), StringComparison.Ordinal);
        await browserPage.CheckAsync("portal-my-reactions-received-tr", "tr");

        // She registers for the meeting, from the consultation's page.
        await page.GotoAsync($"/my/consultations/{resident.ConsultationId}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Geleceğim" }).ClickAsync();
        await page.GetByText("Kaydoldunuz.").WaitForAsync();

        // The corporation answers through the gateway, in Dutch and Turkish.
        var reactions = await SendAsync(resident.Partner.Client, HttpMethod.Get, $"/v1/consultations/{resident.ConsultationId}/reactions", null, HttpStatusCode.OK);
        var reactionId = reactions.GetProperty("items").EnumerateArray().Single().GetProperty("id").GetGuid();
        await SendAsync(resident.Partner.Client, HttpMethod.Put, $"/v1/consultations/{resident.ConsultationId}/reactions/{reactionId}/answer", new
        {
            status = "adopted",
            explanation = "Er komen drie bomen in de binnentuin.",
            explanationTranslations = new Dictionary<string, string> { ["tr"] = "İç bahçeye üç ağaç dikilecek." },
        }, HttpStatusCode.OK);

        // Later she reads the answer in Turkish.
        await page.GotoAsync("/my/reactions");
        Assert.Equal("Kabul edildi", (await page.Locator(".status").First.InnerTextAsync()).Trim());
        Assert.Equal("İç bahçeye üç ağaç dikilecek.", (await page.Locator(".explanation").First.InnerTextAsync()).Trim());
        Assert.Equal("tr", await page.Locator(".explanation").First.GetAttributeAsync("lang"));
        await browserPage.CheckAsync("portal-my-reactions-answered-tr", "tr");

        // A questionnaire and a poll, answered in the portal; the draagvlakmeting for her home; "you said, we did".
        await AddQuestionnaireAndPollAsync(resident);
        var measurementId = await StartSupportMeasurementAsync(resident);
        await page.GotoAsync($"/my/consultations/{resident.ConsultationId}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Anketi doldurun" }).ClickAsync();
        await page.GetByText("Daha fazla ağaç ister misiniz?").WaitForAsync();
        await browserPage.CheckAsync("portal-questionnaire-tr", "tr");
        await page.Locator("form:has(#question-wish) button[type=submit]").ClickAsync();
        await page.Locator("#question-trees-error").WaitForAsync();
        await browserPage.CheckAsync("portal-questionnaire-error-tr", "tr");
        await page.GetByLabel("Evet").CheckAsync();
        await page.Locator("#question-wish").FillAsync("Bir bank.");
        await page.Locator("form:has(#question-wish) button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("answered=1", StringComparison.Ordinal));

        await page.GetByRole(AriaRole.Link, new() { Name = "Oylamaya katılın" }).ClickAsync();
        await page.GetByText("Kapı hangi renk olsun?").WaitForAsync();
        await browserPage.CheckAsync("portal-poll-tr", "tr");
        await page.GetByLabel("Yeşil").CheckAsync();
        await page.Locator("form:has(#poll-option) button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("answered=1", StringComparison.Ordinal));
        var poll = await SendAsync(resident.Partner.Client, HttpMethod.Get, $"/v1/consultations/{resident.ConsultationId}/poll/results", null, HttpStatusCode.OK);
        Assert.Contains("green", poll.GetRawText(), StringComparison.Ordinal);

        // The residents service tells consultations who lives at the measurement's homes, a moment after it opened.
        var voteField = $"#vote-{measurementId:N}";
        for (var attempt = 0; attempt < 60 && await page.Locator(voteField).CountAsync() == 0; attempt++)
        {
            await page.GotoAsync("/my/support-measurements");
            if (await page.Locator(voteField).CountAsync() == 0)
            {
                await Task.Delay(500, TestContext.Current.CancellationToken);
            }
        }

        await browserPage.CheckAsync("portal-support-measurements-tr", "tr");
        await page.Locator(voteField).CheckAsync();
        await page.Locator($"form:has({voteField}) button[type=submit]").ClickAsync();
        await page.GetByText("Evinizin oyu: Plana katılıyorum").WaitForAsync();
        // The receipt, in the vote's answer: the hash the vote log keeps, the secret salt, and the public check.
        var receiptHash = (await page.Locator("#receipt-hash").InnerTextAsync()).Trim();
        Assert.Matches("^[0-9a-f]{64}$", receiptHash);
        Assert.False(string.IsNullOrWhiteSpace(await page.Locator("#receipt-secret").InnerTextAsync()));
        Assert.Equal($"/v1/public/support-measurements/{measurementId}/counted-votes/{receiptHash}", await page.Locator("#receipt-check").GetAttributeAsync("href"));
        Assert.Contains("Oy verdiğinizin kanıtı", await page.Locator("#receipt-title").InnerTextAsync(), StringComparison.Ordinal);
        await browserPage.CheckAsync("portal-support-measurements-voted-tr", "tr");
        // Only once: the salt is kept nowhere, so the page read again shows the home's vote without a receipt.
        await page.GotoAsync("/my/support-measurements");
        await page.GetByText("Evinizin oyu: Plana katılıyorum").WaitForAsync();
        Assert.Equal(0, await page.Locator("#receipt-hash").CountAsync());

        await page.GotoAsync($"/my/summaries/{resident.ConsultationId}");
        await browserPage.CheckAsync("portal-summary-tr", "tr");

        // The other pages of a signed-in resident.
        await page.GotoAsync("/my/settings");
        Assert.True(await page.Locator("#channel-email").IsCheckedAsync());
        await browserPage.CheckAsync("portal-settings-tr", "tr");
        // SMS without a phone number: the API refuses preferredChannel, the portal says why in Turkish, next to the field.
        await page.Locator("#channel-sms").CheckAsync();
        await page.Locator("form:has(#channel-sms) button[type=submit]").ClickAsync();
        Assert.EndsWith("Henüz bir telefon numarası vermediniz. Başka bir yol seçin.", (await page.Locator("#channel-error").TextContentAsync())?.Trim(), StringComparison.Ordinal);
        await browserPage.CheckAsync("portal-settings-channel-error-tr", "tr");
        await page.GotoAsync("/my/data");
        await browserPage.CheckAsync("portal-my-data-tr", "tr");
        await page.Locator("form:has(#erase-confirm) button[type=submit]").ClickAsync();
        await page.Locator("#erase-confirm-error").WaitForAsync();
        await browserPage.CheckAsync("portal-erasure-unconfirmed-tr", "tr");
        await page.GotoAsync("/no-such-page");
        await browserPage.CheckAsync("portal-not-found-tr", "tr");

        // Signing out ends the portal session: her pages send her to the sign-in.
        await page.GotoAsync("/my");
        await page.GetByRole(AriaRole.Button, new() { Name = "Çıkış yap" }).ClickAsync();
        await page.GotoAsync("/my/reactions");
        Assert.Equal("/sign-in", new Uri(page.Url).AbsolutePath);
    }

    [Fact]
    public async Task A_resident_reacts_with_the_keyboard_only_and_always_sees_where_the_focus_is()
    {
        var resident = await ResidentWithOpenConsultationAsync(platform, "nl", "Sanne Bakker");
        await using var browserPage = await browser.NewPageAsync(platform.GatewayUrl);
        var page = browserPage.Page;
        await SignInAsync(platform, page, resident.Email);

        // The first Tab reaches the skip link; Enter moves to the content.
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("skip-link", await FocusedAsync(page, "el => el.className"));
        await AssertFocusVisibleAsync(page);
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("main", await FocusedAsync(page, "el => el.id"));

        await TabToAsync(page, "el => el.tagName === 'A' && el.textContent.includes('Nieuwe tuinen')");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(url => url.Contains($"/my/consultations/{resident.ConsultationId}", StringComparison.Ordinal));

        await TabToAsync(page, "el => el.id === 'reaction-text'");
        await page.Keyboard.TypeAsync("Graag een bankje bij de speeltuin.");
        await TabToAsync(page, "el => el.tagName === 'BUTTON' && el.closest('form').querySelector('#reaction-text') !== null");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(url => url.Contains("/my/reactions", StringComparison.Ordinal));
        Assert.Contains("Graag een bankje bij de speeltuin.", await page.Locator("blockquote").First.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("Ontvangen", (await page.Locator(".status").First.InnerTextAsync()).Trim());
    }

    private static Task<string> FocusedAsync(IPage page, string property) =>
        page.EvaluateAsync<string>($"() => ({property})(document.activeElement)");

    /// <summary>Tabs forward until the focused element matches, checking at each stop that the focus can be seen.</summary>
    private static async Task TabToAsync(IPage page, string predicate)
    {
        for (var presses = 0; presses < 60; presses++)
        {
            await page.Keyboard.PressAsync("Tab");
            await AssertFocusVisibleAsync(page);
            if (await page.EvaluateAsync<bool>($"() => ({predicate})(document.activeElement)"))
            {
                return;
            }
        }

        Assert.Fail($"Tab never reached the element ({predicate}).");
    }

    /// <summary>The focused element shows an outline (or the focus ring's box shadow): WCAG 2.4.7 Focus Visible.</summary>
    private static async Task AssertFocusVisibleAsync(IPage page)
    {
        var style = await page.EvaluateAsync<string>(
            """
            () => {
                const el = document.activeElement;
                if (!el || el === document.body) return 'body';
                const s = getComputedStyle(el);
                return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none' ? 'visible' : `hidden: ${el.outerHTML.slice(0, 120)}`;
            }
            """);
        Assert.True(style is "visible" or "body", $"Focus is not visible: {style}");
    }
}
