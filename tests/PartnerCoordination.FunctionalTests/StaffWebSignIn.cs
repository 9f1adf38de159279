using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Participatie.Testing;
using static Participatie.PartnerCoordination.FunctionalTests.Calls;

namespace Participatie.PartnerCoordination.FunctionalTests;

/// <summary>
/// A partner's web client with its staff, driven as a browser does: authorize, sign in on the platform's page, come
/// back with a code, redeem it with the PKCE verifier.
/// </summary>
internal sealed partial class StaffWebSignIn
{
    public const string RedirectUri = "https://portaal.partner.example/callback";
    public const string Password = "een-lang-wachtwoord-voor-staf";

    private readonly ServiceFactory<EntryPoint> _service;

    private StaffWebSignIn(ServiceFactory<EntryPoint> service, TestPartner partner, string webClientId)
    {
        _service = service;
        Partner = partner;
        WebClientId = webClientId;
    }

    public TestPartner Partner { get; }

    public string WebClientId { get; }

    /// <summary>A new partner (its system client registered by the operator) with a web client its system registered.</summary>
    public static Task<StaffWebSignIn> StartAsync(PartnerCoordinationService service) => StartAsync(service, service.Tokens);

    public static async Task<StaffWebSignIn> StartAsync(ServiceFactory<EntryPoint> service, TokenServer tokens)
    {
        var partner = await tokens.RegisterPartnerAsync("housing-corporation");
        using var system = TokenServer.Authorized(service.CreateClient(), partner.AccessToken);
        var webClient = await (await system.PostAsJsonAsync(
            $"/v1/partners/{partner.PartnerId}/clients",
            new { displayName = "Medewerkersportaal", kind = "web", redirectUris = new[] { RedirectUri } },
            Cancel)).ReadJsonAsync(HttpStatusCode.Created);
        return new StaffWebSignIn(service, partner, webClient.GetProperty("clientId").GetString()!);
    }

    /// <summary>A staff login made by the partner's system client; answers the staff member's id and e-mail address.</summary>
    public async Task<(Guid Id, string Email)> AddStaffAsync(string? role = null)
    {
        var email = $"staf-{Guid.NewGuid():N}@partner.example";
        using var system = TokenServer.Authorized(_service.CreateClient(), Partner.AccessToken);
        var created = await (await system.PostAsJsonAsync(
            $"/v1/partners/{Partner.PartnerId}/staff", new { email, name = "Medewerker", password = Password, role }, Cancel))
            .ReadJsonAsync(HttpStatusCode.Created);
        return (created.GetProperty("id").GetGuid(), email);
    }

    public HttpClient Browser() =>
        _service.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Signs in and redeems the code: the staff member's access token.</summary>
    public async Task<string> TokenForAsync(string email, HttpClient? browser = null)
    {
        using var ownBrowser = browser is null ? Browser() : null;
        browser ??= ownBrowser!;
        var (verifier, challenge) = Pkce();
        var code = await SignInAndAuthorizeAsync(browser, challenge, email);
        return await RedeemAsync(browser, code, verifier);
    }

    public async Task<string> RedeemAsync(HttpClient browser, string code, string verifier)
    {
        var token = await RedeemRawAsync(browser, code, verifier);
        return (await token.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("access_token").GetString()!;
    }

    public Task<HttpResponseMessage> RedeemRawAsync(HttpClient browser, string code, string verifier) =>
        browser.RequestTokenAsync(
            ("grant_type", "authorization_code"), ("client_id", WebClientId), ("code", code), ("redirect_uri", RedirectUri), ("code_verifier", verifier));

    public string AuthorizeUrl(string challenge) =>
        $"/connect/authorize?response_type=code&client_id={WebClientId}&redirect_uri={Uri.EscapeDataString(RedirectUri)}" +
        $"&scope=api&state=xyz&code_challenge={challenge}&code_challenge_method=S256";

    public async Task<string> SignInAndAuthorizeAsync(HttpClient browser, string challenge, string email)
    {
        var toSignIn = await browser.GetAsync(AuthorizeUrl(challenge), Cancel);
        Assert.Equal(HttpStatusCode.Redirect, toSignIn.StatusCode);
        var form = await (await browser.GetAsync(toSignIn.Headers.Location, Cancel)).Content.ReadAsStringAsync(Cancel);

        var signedIn = await PostSignInAsync(browser, form, email, Password);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return await AuthorizeSignedInAsync(browser, challenge);
    }

    /// <summary>With the sign-in cookie already in the browser: the code, straight away.</summary>
    public async Task<string> AuthorizeSignedInAsync(HttpClient browser, string challenge)
    {
        var toClient = await browser.GetAsync(AuthorizeUrl(challenge), Cancel);
        Assert.Equal(HttpStatusCode.Redirect, toClient.StatusCode);
        var callback = toClient.Headers.Location!;
        Assert.StartsWith(RedirectUri, callback.OriginalString, StringComparison.Ordinal);
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(callback.Query)["code"].ToString();
    }

    /// <summary>Fetches the sign-in page and posts the form on it.</summary>
    public async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string email, string password)
    {
        var (_, challenge) = Pkce();
        var toSignIn = await browser.GetAsync(AuthorizeUrl(challenge), Cancel);
        var form = await (await browser.GetAsync(toSignIn.Headers.Location, Cancel)).Content.ReadAsStringAsync(Cancel);
        return await PostSignInAsync(browser, form, email, password);
    }

    public static async Task<HttpResponseMessage> PostSignInAsync(HttpClient browser, string form, string email, string password)
    {
        string Hidden(string name) => WebUtility.HtmlDecode(
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

    public static (string Verifier, string Challenge) Pkce()
    {
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        return (verifier, Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [GeneratedRegex("<input type=\"hidden\" name=\"(__[^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
