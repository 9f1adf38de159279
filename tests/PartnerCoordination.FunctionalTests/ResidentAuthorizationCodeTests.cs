using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.JsonWebTokens;
using Participatie.Contracts;
using Participatie.Testing;
using static Participatie.PartnerCoordination.FunctionalTests.Calls;

namespace Participatie.PartnerCoordination.FunctionalTests;

/// <summary>
/// A public resident client (the resident portal) with authorization code and PKCE: the browser is sent to the
/// resident sign-in pages, the resident types the code that was sent, and the client's code gets a resident token.
/// </summary>
[Collection(PartnerCoordinationCollection.Name)]
public sealed partial class ResidentAuthorizationCodeTests(ResidentTokenServer server) : IClassFixture<ResidentTokenServer>
{
    private static readonly byte[] Secret = ResidentIdentifierKeys.ParseSecret(ResidentTokenServer.IdentifierSecret);

    [Fact]
    public async Task A_resident_signs_in_on_the_pages_and_the_portal_gets_a_resident_token_with_PKCE()
    {
        var residentId = Guid.NewGuid();
        var email = $"portaal-{Guid.NewGuid():N}@example.nl";
        await server.PublishAsync(new ResidentSignInKeysChanged(residentId, 1, ResidentIdentifierKeys.Email(email, Secret), null, null, "nl", DateTimeOffset.UtcNow));
        await Eventually.MatchesAsync(
            () => server.QueryScalarAsync<long>("SELECT count(*) FROM resident_sign_in_keys WHERE resident_id = @Id", new { Id = residentId }),
            count => count == 1, "the token server to know the resident");
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        using var browser = server.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

        var toSignIn = await browser.GetAsync(AuthorizeUrl(challenge), Cancel);
        Assert.Equal(HttpStatusCode.Redirect, toSignIn.StatusCode);
        Assert.StartsWith("/account/resident/sign-in", toSignIn.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var start = await (await browser.GetAsync(toSignIn.Headers.Location, Cancel)).Content.ReadAsStringAsync(Cancel);
        Assert.Contains("Inloggen als bewoner", start, StringComparison.Ordinal);

        var codePage = await PostFormAsync(browser, start, "/account/resident/sign-in/code-request", ("address", email));
        Assert.Equal(HttpStatusCode.OK, codePage.StatusCode);
        var codeForm = await codePage.Content.ReadAsStringAsync(Cancel);
        var challengeId = Guid.Parse(Hidden(codeForm, "challengeId"));
        var code = (await server.SentCodeAsync(challengeId)).Code;

        var wrong = await PostFormAsync(browser, codeForm, "/account/resident/sign-in/code", ("challengeId", challengeId.ToString()), ("code", code == "999999" ? "999998" : "999999"));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);

        var signedIn = await PostFormAsync(browser, codeForm, "/account/resident/sign-in/code", ("challengeId", challengeId.ToString()), ("code", code));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.StartsWith("/connect/authorize", signedIn.Headers.Location!.OriginalString, StringComparison.Ordinal);

        var toClient = await browser.GetAsync(signedIn.Headers.Location, Cancel);
        Assert.Equal(HttpStatusCode.Redirect, toClient.StatusCode);
        var callback = toClient.Headers.Location!;
        Assert.StartsWith(ResidentTokenServer.PortalRedirectUri, callback.OriginalString, StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(callback.Query);
        Assert.Equal("xyz", query["state"].ToString());

        var tokens = await (await browser.RequestTokenAsync(
            ("grant_type", "authorization_code"), ("client_id", "resident-portal"), ("code", query["code"].ToString()),
            ("redirect_uri", ResidentTokenServer.PortalRedirectUri), ("code_verifier", verifier))).ReadJsonAsync(HttpStatusCode.OK);
        var claims = new JsonWebToken(tokens.GetProperty("access_token").GetString()!);
        Assert.Equal(residentId.ToString(), claims.Subject);
        Assert.Contains("resident", claims.GetClaim("scope").Value.Split(' '));
        Assert.False(claims.TryGetClaim("partner_id", out _));
        Assert.Equal(TimeSpan.FromMinutes(15), claims.ValidTo - claims.IssuedAt);
        Assert.True(tokens.TryGetProperty("refresh_token", out _), "the portal can keep the resident signed in");
    }

    [Fact]
    public async Task On_the_page_a_resident_sharing_an_email_address_with_another_home_gives_their_address()
    {
        var email = $"samen-{Guid.NewGuid():N}@example.nl";
        var postcode = $"{Random.Shared.Next(1000, 9999)}PG";
        var here = await KnownResidentAsync(email, postcode, 21);
        await KnownResidentAsync(email, postcode, 23);
        using var browser = server.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var start = await (await browser.GetAsync(new Uri("/account/resident/sign-in", UriKind.Relative), Cancel)).Content.ReadAsStringAsync(Cancel);

        // The code form asks for the home as well (optional): postcode, house number and suffix twice on the page.
        Assert.Equal(2, Regex.Count(start, "name=\"houseNumber\""));
        var codePage = await PostFormAsync(
            browser, start, "/account/resident/sign-in/code-request", ("address", email), ("postcode", postcode), ("houseNumber", "21"), ("houseNumberSuffix", ""));
        Assert.Equal(HttpStatusCode.OK, codePage.StatusCode);
        var challengeId = Guid.Parse(Hidden(await codePage.Content.ReadAsStringAsync(Cancel), "challengeId"));
        Assert.Equal(here, (await server.SentCodeAsync(challengeId)).ResidentId);

        var halfAnAddress = await PostFormAsync(browser, start, "/account/resident/sign-in/code-request", ("address", email), ("postcode", postcode));
        Assert.Equal(HttpStatusCode.BadRequest, halfAnAddress.StatusCode);
    }

    [Fact]
    public async Task A_redirect_uri_the_resident_client_does_not_have_is_refused()
    {
        var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes("verifier")));
        using var browser = server.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

        var response = await browser.GetAsync(AuthorizeUrl(challenge, "https://evil.example/callback"), Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    private async Task<Guid> KnownResidentAsync(string email, string postcode, int houseNumber)
    {
        var residentId = Guid.NewGuid();
        await server.PublishAsync(new ResidentSignInKeysChanged(
            residentId, 1, ResidentIdentifierKeys.Email(email, Secret), null,
            ResidentIdentifierKeys.Home(AddressKeys.Key(postcode, houseNumber, null)!, Secret), "nl", DateTimeOffset.UtcNow));
        await Eventually.MatchesAsync(
            () => server.QueryScalarAsync<long>("SELECT count(*) FROM resident_sign_in_keys WHERE resident_id = @Id", new { Id = residentId }),
            count => count == 1, "the token server to know the resident");
        return residentId;
    }

    private static string AuthorizeUrl(string challenge, string redirectUri = ResidentTokenServer.PortalRedirectUri) =>
        $"/connect/authorize?response_type=code&client_id=resident-portal&redirect_uri={Uri.EscapeDataString(redirectUri)}" +
        $"&scope=resident&state=xyz&code_challenge={challenge}&code_challenge_method=S256";

    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient browser, string page, string path, params (string Name, string Value)[] fields)
    {
        var antiforgeryField = AntiforgeryField().Match(page).Groups[1].Value;
        var values = new Dictionary<string, string>
        {
            [antiforgeryField] = Hidden(page, antiforgeryField),
            ["returnUrl"] = Hidden(page, "returnUrl"),
        };
        foreach (var (name, value) in fields)
        {
            values[name] = value;
        }

        using var content = new FormUrlEncodedContent(values);
        return await browser.PostAsync(new Uri(path, UriKind.Relative), content, Cancel);
    }

    private static string Hidden(string form, string name) =>
        WebUtility.HtmlDecode(Regex.Match(form, $"name=\"{Regex.Escape(name)}\" value=\"([^\"]*)\"").Groups[1].Value);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [GeneratedRegex("<input type=\"hidden\" name=\"(__[^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
