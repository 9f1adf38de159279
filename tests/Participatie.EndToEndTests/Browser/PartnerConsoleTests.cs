using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Participatie.Testing;

namespace Participatie.EndToEndTests.Browser;

/// <summary>
/// The partner console in a real browser, behind the gateway of the started platform: staff sign in on the token
/// server's own page (authorization code with PKCE), group reactions into a theme and answer it once, and every page
/// passes axe (WCAG 2.2 AA), stays under 100 KB and carries its language.
/// </summary>
public sealed partial class PartnerConsoleTests(PlatformFixture platform, BrowserFixture browser)
{
    private const string ThemeExplanation = "Elk portiek en de fietsenstalling krijgen sterkere lampen met een bewegingsmelder.";

    [Fact]
    public async Task The_console_s_redirects_name_the_gateway_not_the_console_s_own_address()
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var client = new HttpClient(handler) { BaseAddress = new Uri(platform.GatewayUrl) };
        using var response = await client.GetAsync("/console", TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        var gateway = new Uri(platform.GatewayUrl);
        Assert.True(!location.IsAbsoluteUri || location.Authority == gateway.Authority, $"/console redirected to {location}, not through the gateway {gateway}");
    }

    [Fact]
    public async Task A_staff_member_answers_a_theme_once_and_each_residents_reaction_changes_status()
    {
        var scenario = await ConsoleScenario.CreateAsync(platform, reactionCount: 3);
        await using var page = await browser.NewPageAsync(platform.GatewayUrl);

        await ConsoleSteps.SignInAsync(page.Page, scenario);
        await Expect(page.Page.GetByRole(AriaRole.Heading, new() { Name = "Reacties", Level = 1 })).ToBeVisibleAsync();
        // The staff member sees their own organisation, with a neutral badge while it has no logo.
        await Expect(page.Page.Locator(".partner-name")).ToHaveTextAsync(scenario.PartnerName);
        await Expect(page.Page.Locator(".badge")).ToHaveTextAsync("WD");
        await Expect(page.Page.GetByRole(AriaRole.Link, new() { Name = scenario.Reactions[0].Text })).ToBeVisibleAsync();
        await page.CheckAsync("console-inbox-nl", "nl");

        // Filtered: no reaction is answered yet, none is overdue.
        await page.Page.GetByLabel("Status").SelectOptionAsync("adopted");
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Filteren" }).ClickAsync();
        await Expect(page.Page.GetByText("Geen reacties met deze filters.")).ToBeVisibleAsync();
        await page.CheckAsync("console-inbox-filtered-nl", "nl");

        // Group two of the three reactions into a theme and answer the theme once.
        await page.Page.GotoAsync($"/console/consultations/{scenario.ConsultationId}/themes");
        await page.CheckAsync("console-themes-empty-nl", "nl");
        await page.Page.GetByLabel("Titel").FillAsync("Verlichting");
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Thema maken" }).ClickAsync();
        await Expect(page.Page.GetByText("Het thema is gemaakt.")).ToBeVisibleAsync();

        await page.Page.GetByLabel(scenario.Reactions[0].Text).CheckAsync();
        await page.Page.GetByLabel(scenario.Reactions[1].Text).CheckAsync();
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Aan thema toevoegen" }).ClickAsync();
        await Expect(page.Page.GetByText("De reacties zijn aan het thema toegevoegd.")).ToBeVisibleAsync();
        await page.CheckAsync("console-themes-nl", "nl");

        var theme = page.Page.GetByRole(AriaRole.Region, new() { Name = "Verlichting" });
        await theme.GetByLabel("Status").SelectOptionAsync("adopted");
        // Too short an explanation is refused, and the field says why.
        await theme.GetByLabel("Uitleg aan de bewoner").FillAsync("Ja.");
        await theme.GetByRole(AriaRole.Button, new() { Name = "Thema beantwoorden" }).ClickAsync();
        await Expect(page.Page.Locator(".field-error")).ToContainTextAsync("explanation");
        await Expect(theme.GetByLabel("Uitleg aan de bewoner")).ToHaveAttributeAsync("aria-invalid", "true");
        await page.CheckAsync("console-themes-refused-nl", "nl");

        await theme.GetByLabel("Uitleg aan de bewoner").FillAsync(ThemeExplanation);
        await theme.GetByRole(AriaRole.Button, new() { Name = "Thema beantwoorden" }).ClickAsync();
        await Expect(page.Page.GetByText("Het thema is beantwoord; de reacties kregen dit antwoord.")).ToBeVisibleAsync();
        await page.CheckAsync("console-themes-answered-nl", "nl");

        // Through the API: the two reactions in the theme are adopted, the third is untouched.
        Assert.Equal("adopted", await scenario.ReactionStatusAsync(scenario.Reactions[0].Id));
        Assert.Equal("adopted", await scenario.ReactionStatusAsync(scenario.Reactions[1].Id));
        Assert.Equal("received", await scenario.ReactionStatusAsync(scenario.Reactions[2].Id));

        // The inbox filters by theme.
        await page.Page.GotoAsync("/console/");
        await page.Page.GetByLabel("Thema").SelectOptionAsync(new SelectOptionValue { Label = "Verlichting" });
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Filteren" }).ClickAsync();
        await Expect(page.Page.GetByRole(AriaRole.Status).First).ToHaveTextAsync("2 reacties");

        // Every other page of the console.
        await page.Page.GotoAsync($"/console/consultations/{scenario.ConsultationId}/reactions/{scenario.Reactions[2].Id}");
        await Expect(page.Page.Locator(".reaction-text")).ToHaveTextAsync(scenario.Reactions[2].Text);
        await page.CheckAsync("console-reaction-nl", "nl");
        // Assigned to a person of the partner, with an internal note; the inbox then finds it by assignee.
        await page.Page.GetByLabel("Persoon (optioneel)").FillAsync("Kees Bakker");
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Toewijzen" }).ClickAsync();
        await Expect(page.Page.GetByText("De reactie is toegewezen.")).ToBeVisibleAsync();
        await page.Page.GetByLabel("Notitie", new() { Exact = true }).FillAsync("Navragen bij de beheerder welke lampen het zijn.");
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Notitie toevoegen" }).ClickAsync();
        await Expect(page.Page.GetByText("Navragen bij de beheerder welke lampen het zijn.")).ToBeVisibleAsync();
        await page.CheckAsync("console-reaction-note-nl", "nl");
        await page.Page.GotoAsync("/console/?assignee=kees");
        await Expect(page.Page.GetByRole(AriaRole.Status).First).ToHaveTextAsync("1 reactie");

        await page.Page.GotoAsync($"/console/consultations/{scenario.ConsultationId}");
        await Expect(page.Page.GetByRole(AriaRole.Img, new() { Name = "Bereik: Taal" })).ToBeVisibleAsync();
        await Expect(page.Page.GetByRole(AriaRole.Table, new() { Name = "Taal" })).ToBeVisibleAsync();
        await page.CheckAsync("console-consultation-nl", "nl");

        await page.Page.GotoAsync("/console/overview");
        await page.CheckAsync("console-overview-nl", "nl");

        await page.Page.GotoAsync($"/console/trajectories/{scenario.TrajectoryId}");
        await Expect(page.Page.GetByRole(AriaRole.Heading, new() { Name = "Renovatie Lindebuurt", Level = 1 })).ToBeVisibleAsync();
        // Three of ten homes agree: 30% against the 70% line, in the chart's name and in its table.
        await Expect(page.Page.GetByRole(AriaRole.Img, new() { NameRegex = new Regex("Sterkere verlichting.*Eens 30%.*Drempel 70%") })).ToBeVisibleAsync();
        await Expect(page.Page.GetByRole(AriaRole.Table, new() { Name = "Sterkere verlichting in alle portieken" })).ToContainTextAsync("3 (30%)");
        await page.CheckAsync("console-trajectory-nl", "nl");

        // In English, on the staff member's choice.
        await page.Page.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();
        await Expect(page.Page.GetByRole(AriaRole.Heading, new() { Name = "Renovatie Lindebuurt", Level = 1 })).ToBeVisibleAsync();
        await page.CheckAsync("console-trajectory-en", "en");
        await page.Page.GotoAsync("/console/");
        await Expect(page.Page.GetByRole(AriaRole.Heading, new() { Name = "Reactions", Level = 1 })).ToBeVisibleAsync();
        await page.CheckAsync("console-inbox-en", "en");
        await page.Page.GotoAsync($"/console/consultations/{scenario.ConsultationId}/themes");
        await page.CheckAsync("console-themes-en", "en");
        await page.Page.GotoAsync($"/console/consultations/{scenario.ConsultationId}");
        await page.CheckAsync("console-consultation-en", "en");
        await page.Page.GotoAsync($"/console/consultations/{scenario.ConsultationId}/reactions/{scenario.Reactions[2].Id}");
        await page.CheckAsync("console-reaction-en", "en");
        await page.Page.GotoAsync("/console/overview");
        await page.CheckAsync("console-overview-en", "en");
        await page.Page.GotoAsync("/console/no-such-page");
        await page.CheckAsync("console-not-found-en", "en");

        await page.Page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Sign out") }).ClickAsync();
        await Expect(page.Page.GetByRole(AriaRole.Heading, new() { Name = "You are signed out" })).ToBeVisibleAsync();
        await page.CheckAsync("console-signed-out-en", "en");
        // The token server's staff sign-in ended with it: on a shared PC the next person is asked for the password.
        await page.Page.GotoAsync("/console/");
        await Assertions.Expect(page.Page).ToHaveURLAsync(new Regex("/account/sign-in"));
        await Expect(page.Page.GetByLabel("Wachtwoord")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_sign_out_without_the_consoles_antiforgery_token_is_a_bad_request_not_a_server_error()
    {
        using var gateway = platform.Anonymous();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = "forged" });

        using var response = await gateway.PostAsync(new Uri("/console/signout", UriKind.Relative), form, TestContext.Current.CancellationToken);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_reaction_is_answered_with_the_keyboard_alone()
    {
        var scenario = await ConsoleScenario.CreateAsync(platform, reactionCount: 1);
        await using var page = await browser.NewPageAsync(platform.GatewayUrl);
        await ConsoleSteps.SignInAsync(page.Page, scenario);
        var keyboard = page.Page.Keyboard;

        // The first stop is the skip link, visible when it has focus.
        await keyboard.PressAsync("Tab");
        await Expect(page.Page.GetByRole(AriaRole.Link, new() { Name = "Naar de inhoud" })).ToBeFocusedAsync();
        await Expect(page.Page.GetByRole(AriaRole.Link, new() { Name = "Naar de inhoud" })).ToBeInViewportAsync();

        await ConsoleSteps.TabToAsync(page.Page, page.Page.GetByRole(AriaRole.Link, new() { Name = scenario.Reactions[0].Text }));
        await keyboard.PressAsync("Enter");
        await Expect(page.Page.GetByRole(AriaRole.Heading, new() { Name = "Beantwoorden" })).ToBeVisibleAsync();

        var status = page.Page.GetByLabel("Status");
        await ConsoleSteps.TabToAsync(page.Page, status);
        // Under consideration is first; one step down is adopted.
        await keyboard.PressAsync("ArrowDown");
        await Expect(status).ToHaveValueAsync("adopted");
        await keyboard.PressAsync("Tab");
        await Expect(page.Page.GetByLabel("Uitleg aan de bewoner")).ToBeFocusedAsync();
        await keyboard.TypeAsync("Er komen sterkere lampen in het portiek.");
        await keyboard.PressAsync("Tab");
        await Expect(page.Page.GetByRole(AriaRole.Button, new() { Name = "Antwoord versturen" })).ToBeFocusedAsync();
        await keyboard.PressAsync("Enter");

        await Expect(page.Page.GetByText("Het antwoord is verstuurd.")).ToBeVisibleAsync();
        await page.CheckAsync("console-reaction-answered-nl", "nl");
        Assert.Equal("adopted", await scenario.ReactionStatusAsync(scenario.Reactions[0].Id));
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
