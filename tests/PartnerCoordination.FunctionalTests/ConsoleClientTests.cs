using System.Net;
using Microsoft.IdentityModel.JsonWebTokens;
using Participatie.Testing;
using static Participatie.PartnerCoordination.FunctionalTests.Calls;

namespace Participatie.PartnerCoordination.FunctionalTests;

/// <summary>
/// The platform's own partner console: one client for the staff of every partner, registered from configuration.
/// The token acts for the partner of the staff member who signed in, never for a partner the client names.
/// </summary>
[Collection(PartnerCoordinationCollection.Name)]
public sealed class ConsoleClientTests(PartnerCoordinationService service)
{
    public const string RedirectUri = "https://participatie.example/console/signin-callback";
    public const string PostLogoutRedirectUri = "https://participatie.example/console/signed-out";
    private const string ConsoleClientId = "partner-console";

    [Fact]
    public async Task Staff_of_two_partners_each_get_a_console_token_for_their_own_partner()
    {
        var corporation = await StaffWebSignIn.StartAsync(service);
        var municipality = await StaffWebSignIn.StartAsync(service);
        var (corporationStaffId, corporationEmail) = await corporation.AddStaffAsync();
        var (_, municipalityEmail) = await municipality.AddStaffAsync(role: "partner-admin");

        var corporationToken = new JsonWebToken(await ConsoleTokenAsync(corporationEmail));
        var municipalityToken = new JsonWebToken(await ConsoleTokenAsync(municipalityEmail));

        Assert.Equal(corporation.Partner.PartnerId.ToString(), corporationToken.GetClaim("partner_id").Value);
        Assert.Equal(corporationStaffId.ToString(), corporationToken.Subject);
        Assert.Equal(ConsoleClientId, corporationToken.GetClaim("client_id").Value);
        Assert.Equal("staff", corporationToken.GetClaim("staff_role").Value);
        Assert.False(corporationToken.TryGetClaim("allowed_origin", out _), "the console calls the API from its server, never from a browser");
        Assert.Equal(municipality.Partner.PartnerId.ToString(), municipalityToken.GetClaim("partner_id").Value);
        Assert.Equal("partner-admin", municipalityToken.GetClaim("staff_role").Value);
        // A staff token, short-lived like every staff token.
        Assert.InRange(corporationToken.ValidTo - corporationToken.IssuedAt, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(4.5));

        // It works in the API for the staff member's partner.
        using var api = service.CreateClient(corporationToken.EncodedToken);
        var partner = await (await api.GetAsync($"/v1/partners/{corporation.Partner.PartnerId}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(corporation.Partner.PartnerId, partner.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task The_console_gets_no_code_for_a_redirect_uri_it_did_not_register()
    {
        using var browser = service.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var (_, challenge) = StaffWebSignIn.Pkce();

        using var response = await browser.GetAsync(AuthorizeUrl(challenge, "https://evil.example/console/signin-callback"), Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_console_code_is_worth_nothing_without_the_verifier_or_a_second_time()
    {
        var partner = await StaffWebSignIn.StartAsync(service);
        var (_, email) = await partner.AddStaffAsync();
        using var browser = partner.Browser();
        var (verifier, challenge) = StaffWebSignIn.Pkce();
        var code = await SignInForCodeAsync(browser, challenge, email);

        var (otherVerifier, _) = StaffWebSignIn.Pkce();
        await (await RedeemAsync(browser, code, otherVerifier)).AssertOAuthErrorAsync("invalid_grant");
        (await RedeemAsync(browser, code, verifier)).EnsureSuccessStatusCode();
        // Replayed, the code gets nothing.
        await (await RedeemAsync(browser, code, verifier)).AssertOAuthErrorAsync("invalid_grant");
    }

    [Fact]
    public async Task Signing_out_ends_the_staff_sign_in_so_the_next_authorize_asks_for_the_password_again()
    {
        var partner = await StaffWebSignIn.StartAsync(service);
        var (_, email) = await partner.AddStaffAsync();
        using var browser = partner.Browser();
        var (_, challenge) = StaffWebSignIn.Pkce();
        await SignInForCodeAsync(browser, challenge, email);

        using var signedOut = await browser.GetAsync(SignOutUrl(ConsoleClientId, PostLogoutRedirectUri), Cancel);

        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Equal(PostLogoutRedirectUri, signedOut.Headers.Location?.OriginalString);
        // The staff cookie is deleted in the browser ...
        Assert.Contains(signedOut.Headers.GetValues("Set-Cookie"), cookie => cookie.StartsWith("participatie.staff=;", StringComparison.Ordinal));
        // ... so the console's next authorize goes to the sign-in page instead of straight back with a code.
        using var again = await browser.GetAsync(AuthorizeUrl(challenge, RedirectUri), Cancel);
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Contains("/account/sign-in", again.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ConsoleClientId, "https://evil.example/console/signed-out", "post_logout_redirect_uri")]
    [InlineData(ConsoleClientId, RedirectUri, "post_logout_redirect_uri")]
    [InlineData(ConsoleClientId, null, "post_logout_redirect_uri")]
    [InlineData("resident-portal", PostLogoutRedirectUri, "client_id")]
    [InlineData(null, PostLogoutRedirectUri, "client_id")]
    public async Task Sign_out_sends_the_browser_only_to_the_console_clients_registered_address_and_keeps_the_sign_in_otherwise(
        string? clientId, string? postLogoutRedirectUri, string field)
    {
        var partner = await StaffWebSignIn.StartAsync(service);
        var (_, email) = await partner.AddStaffAsync();
        using var browser = partner.Browser();
        var (_, challenge) = StaffWebSignIn.Pkce();
        await SignInForCodeAsync(browser, challenge, email);

        using var refused = await browser.GetAsync(SignOutUrl(clientId, postLogoutRedirectUri), Cancel);

        await refused.AssertProblemAsync(HttpStatusCode.BadRequest, field);
        Assert.False(refused.Headers.Contains("Set-Cookie") && refused.Headers.GetValues("Set-Cookie").Any(cookie => cookie.StartsWith("participatie.staff=", StringComparison.Ordinal)));
        // Still signed in at the token server: the code comes straight away.
        using var again = await browser.GetAsync(AuthorizeUrl(challenge, RedirectUri), Cancel);
        Assert.StartsWith(RedirectUri, again.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    private static string SignOutUrl(string? clientId, string? postLogoutRedirectUri) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/account/sign-out", new Dictionary<string, string?>
        {
            ["client_id"] = clientId,
            ["post_logout_redirect_uri"] = postLogoutRedirectUri,
        }.Where(parameter => parameter.Value is not null));

    private async Task<string> ConsoleTokenAsync(string email)
    {
        using var browser = service.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var (verifier, challenge) = StaffWebSignIn.Pkce();
        var code = await SignInForCodeAsync(browser, challenge, email);
        return (await (await RedeemAsync(browser, code, verifier)).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("access_token").GetString()!;
    }

    private static async Task<string> SignInForCodeAsync(HttpClient browser, string challenge, string email)
    {
        var toSignIn = await browser.GetAsync(AuthorizeUrl(challenge, RedirectUri), Cancel);
        Assert.Equal(HttpStatusCode.Redirect, toSignIn.StatusCode);
        var form = await (await browser.GetAsync(toSignIn.Headers.Location, Cancel)).Content.ReadAsStringAsync(Cancel);
        var signedIn = await StaffWebSignIn.PostSignInAsync(browser, form, email, StaffWebSignIn.Password);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);

        var toConsole = await browser.GetAsync(AuthorizeUrl(challenge, RedirectUri), Cancel);
        Assert.Equal(HttpStatusCode.Redirect, toConsole.StatusCode);
        var callback = toConsole.Headers.Location!;
        Assert.StartsWith(RedirectUri, callback.OriginalString, StringComparison.Ordinal);
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(callback.Query)["code"].ToString();
    }

    private static Task<HttpResponseMessage> RedeemAsync(HttpClient browser, string code, string verifier) =>
        browser.RequestTokenAsync(
            ("grant_type", "authorization_code"), ("client_id", ConsoleClientId), ("code", code), ("redirect_uri", RedirectUri), ("code_verifier", verifier));

    private static string AuthorizeUrl(string challenge, string redirectUri) =>
        $"/connect/authorize?response_type=code&client_id={ConsoleClientId}&redirect_uri={Uri.EscapeDataString(redirectUri)}" +
        $"&scope=api&state=xyz&code_challenge={challenge}&code_challenge_method=S256";
}
