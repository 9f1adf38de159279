using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Participatie.Testing;
using static Participatie.PartnerCoordination.FunctionalTests.Calls;

namespace Participatie.PartnerCoordination.FunctionalTests;

/// <summary>
/// A partner's web client: a staff member signs in, the client gets a code at /connect/authorize and redeems it with
/// its PKCE verifier for a token that acts for the staff member's partner.
/// </summary>
[Collection(PartnerCoordinationCollection.Name)]
public sealed partial class AuthorizationCodeTests(PartnerCoordinationService service) : IAsyncLifetime
{
    private const string RedirectUri = "https://app.partner.example/callback";
    private const string Password = "een-lang-wachtwoord-2027";

    private TestPartner _partner = null!;
    private string _webClientId = null!;
    private string _email = null!;

    public async ValueTask InitializeAsync()
    {
        _partner = await service.Tokens.RegisterPartnerAsync("housing-corporation");
        using var client = service.CreateClient(_partner.AccessToken);
        var webClient = await (await client.PostAsJsonAsync(
            $"/v1/partners/{_partner.PartnerId}/clients",
            new { displayName = "Bewonersportaal", kind = "web", redirectUris = new[] { RedirectUri }, allowedOrigins = new[] { "https://app.partner.example" } },
            Cancel)).ReadJsonAsync(HttpStatusCode.Created);
        Assert.False(webClient.TryGetProperty("clientSecret", out var secret) && secret.ValueKind == JsonValueKind.String, "a web client has no secret");
        _webClientId = webClient.GetProperty("clientId").GetString()!;
        _email = $"medewerker-{Guid.NewGuid():N}@partner.example";
        var staff = await client.PostAsJsonAsync(
            $"/v1/partners/{_partner.PartnerId}/staff", new { email = _email, name = "Medewerker", password = Password }, Cancel);
        var created = await staff.ReadJsonAsync(HttpStatusCode.Created);
        Assert.DoesNotContain(Password, created.GetRawText(), StringComparison.Ordinal);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task A_signed_in_staff_member_gets_a_token_for_the_web_client_with_PKCE()
    {
        var (verifier, challenge) = Pkce();
        using var browser = Browser();

        var code = await SignInAndAuthorizeAsync(browser, challenge, _email, Password);

        var token = await browser.RequestTokenAsync(
            ("grant_type", "authorization_code"), ("client_id", _webClientId), ("code", code), ("redirect_uri", RedirectUri), ("code_verifier", verifier));
        var accessToken = (await token.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("access_token").GetString()!;
        var claims = new JsonWebToken(accessToken);
        Assert.Equal(_partner.PartnerId.ToString(), claims.GetClaim("partner_id").Value);
        Assert.Equal(_webClientId, claims.GetClaim("client_id").Value);
        Assert.Equal("https://app.partner.example", claims.GetClaim("allowed_origin").Value);

        // The token acts for the partner in the API.
        using var api = service.CreateClient(accessToken);
        var trajectory = await (await api.PostAsJsonAsync("/v1/trajectories", new { name = "Via het portaal", buurtCodes = new[] { TestData.NewBuurtCode() } }, Cancel))
            .ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(_partner.PartnerId, trajectory.GetProperty("leadPartnerId").GetGuid());

        // A code is good for one token: replayed, it gets nothing.
        var replay = await browser.RequestTokenAsync(
            ("grant_type", "authorization_code"), ("client_id", _webClientId), ("code", code), ("redirect_uri", RedirectUri), ("code_verifier", verifier));
        await replay.AssertOAuthErrorAsync("invalid_grant");
    }

    [Fact]
    public async Task A_code_is_worth_nothing_without_the_right_verifier()
    {
        var (_, challenge) = Pkce();
        using var browser = Browser();
        var code = await SignInAndAuthorizeAsync(browser, challenge, _email, Password);

        var token = await browser.RequestTokenAsync(
            ("grant_type", "authorization_code"), ("client_id", _webClientId), ("code", code), ("redirect_uri", RedirectUri), ("code_verifier", Pkce().Verifier));

        await token.AssertOAuthErrorAsync("invalid_grant");
    }

    [Fact]
    public async Task A_wrong_password_gets_no_sign_in()
    {
        var (_, challenge) = Pkce();
        using var browser = Browser();
        var signIn = await browser.GetAsync(AuthorizeUrl(challenge), Cancel);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var form = await (await browser.GetAsync(signIn.Headers.Location, Cancel)).Content.ReadAsStringAsync(Cancel);

        var answer = await PostSignInAsync(browser, form, _email, "niet-het-wachtwoord");

        Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
        // Still not signed in: the authorization endpoint sends the browser back to the sign-in page.
        var again = await browser.GetAsync(AuthorizeUrl(challenge), Cancel);
        Assert.StartsWith("/account/sign-in", again.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_redirect_uri_the_client_did_not_register_is_refused_without_redirecting()
    {
        var (_, challenge) = Pkce();
        using var browser = Browser();

        var response = await browser.GetAsync(AuthorizeUrl(challenge, redirectUri: "https://evil.example/callback"), Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task A_code_request_without_PKCE_is_refused()
    {
        using var browser = Browser();

        var response = await browser.GetAsync(
            $"/connect/authorize?response_type=code&client_id={_webClientId}&redirect_uri={Uri.EscapeDataString(RedirectUri)}&scope=api&state=s", Cancel);

        // Refused, however it is told: no code is ever issued without a code challenge.
        Assert.True(
            response.StatusCode == HttpStatusCode.BadRequest
            || response.Headers.Location?.Query.Contains("error=invalid_request", StringComparison.Ordinal) == true,
            $"Answered {(int)response.StatusCode} {response.Headers.Location}");
        Assert.DoesNotContain("code=", response.Headers.Location?.Query ?? string.Empty, StringComparison.Ordinal);
    }

    private HttpClient Browser() => service.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private string AuthorizeUrl(string challenge, string redirectUri = RedirectUri) =>
        $"/connect/authorize?response_type=code&client_id={_webClientId}&redirect_uri={Uri.EscapeDataString(redirectUri)}" +
        $"&scope=api&state=xyz&code_challenge={challenge}&code_challenge_method=S256";

    /// <summary>What a browser does: authorize, be sent to sign in, sign in, come back, be sent to the client with a code.</summary>
    private async Task<string> SignInAndAuthorizeAsync(HttpClient browser, string challenge, string email, string password)
    {
        var toSignIn = await browser.GetAsync(AuthorizeUrl(challenge), Cancel);
        Assert.Equal(HttpStatusCode.Redirect, toSignIn.StatusCode);
        Assert.StartsWith("/account/sign-in", toSignIn.Headers.Location!.OriginalString, StringComparison.Ordinal);

        var page = await browser.GetAsync(toSignIn.Headers.Location, Cancel);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var form = await page.Content.ReadAsStringAsync(Cancel);
        Assert.Contains("Inloggen voor partners", form, StringComparison.Ordinal);

        var signedIn = await PostSignInAsync(browser, form, email, password);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var back = signedIn.Headers.Location!;
        Assert.StartsWith("/connect/authorize", back.OriginalString, StringComparison.Ordinal);

        var toClient = await browser.GetAsync(back, Cancel);
        Assert.Equal(HttpStatusCode.Redirect, toClient.StatusCode);
        var callback = toClient.Headers.Location!;
        Assert.StartsWith(RedirectUri, callback.OriginalString, StringComparison.Ordinal);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(callback.Query);
        Assert.Equal("xyz", query["state"].ToString());
        return query["code"].ToString();
    }

    private static async Task<HttpResponseMessage> PostSignInAsync(HttpClient browser, string form, string email, string password)
    {
        string Hidden(string name) => System.Net.WebUtility.HtmlDecode(
            Regex.Match(form, $"name=\"{Regex.Escape(name)}\" value=\"([^\"]*)\"").Groups[1].Value);
        var antiforgeryField = AntiforgeryField().Match(form).Groups[1].Value;
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [antiforgeryField] = Hidden(antiforgeryField),
            ["returnUrl"] = Hidden("returnUrl"),
            ["email"] = email,
            ["password"] = password,
        });
        return await browser.PostAsync(new Uri("/account/sign-in", UriKind.Relative), content, Cancel);
    }

    private static (string Verifier, string Challenge) Pkce()
    {
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        return (verifier, Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [GeneratedRegex("<input type=\"hidden\" name=\"(__[^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
