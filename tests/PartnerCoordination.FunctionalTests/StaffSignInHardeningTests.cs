using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Npgsql;
using Participatie.Testing;
using static Participatie.PartnerCoordination.FunctionalTests.Calls;

namespace Participatie.PartnerCoordination.FunctionalTests;

/// <summary>
/// Issue 11, guarded credentials: the staff sign-in is throttled per account and per address, passwords are strong
/// hashes of uncommon passwords, the pages cannot be framed, cookies are Secure/HttpOnly/SameSite, and a web client's
/// redirect URIs are https.
/// </summary>
[Collection(PartnerCoordinationCollection.Name)]
public sealed class StaffSignInHardeningTests(PartnerCoordinationService service, PlatformContainers containers)
{
    [Fact]
    public async Task Failed_sign_ins_of_an_account_block_it_for_growing_times_known_or_unknown()
    {
        var portal = await StaffWebSignIn.StartAsync(service);
        var (_, email) = await portal.AddStaffAsync();
        var unknown = $"niemand-{Guid.NewGuid():N}@partner.example";
        using var browser = BrowserFrom(NewAddress());

        foreach (var account in new[] { email, unknown })
        {
            // Three free failures, then each one blocks the next try.
            for (var attempt = 1; attempt <= 4; attempt++)
            {
                Assert.Equal(HttpStatusCode.Unauthorized, (await portal.SignInAsync(browser, account, "helemaal-niet-goed")).StatusCode);
            }

            var blocked = await portal.SignInAsync(browser, account, StaffWebSignIn.Password);
            Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(1), blocked.Headers.RetryAfter?.Delta);
        }

        // Once the wait is over, the next failure blocks twice as long.
        await Task.Delay(TimeSpan.FromSeconds(1.2), Cancel);
        Assert.Equal(HttpStatusCode.Unauthorized, (await portal.SignInAsync(browser, email, "helemaal-niet-goed")).StatusCode);
        var longer = await portal.SignInAsync(browser, email, StaffWebSignIn.Password);
        Assert.Equal(HttpStatusCode.TooManyRequests, longer.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), longer.Headers.RetryAfter?.Delta);

        // And after that wait the right password works again.
        await Task.Delay(TimeSpan.FromSeconds(2.2), Cancel);
        Assert.Equal(HttpStatusCode.Redirect, (await portal.SignInAsync(browser, email, StaffWebSignIn.Password)).StatusCode);
    }

    [Fact]
    public async Task Failed_sign_ins_from_one_address_block_that_address_whatever_the_account()
    {
        var portal = await StaffWebSignIn.StartAsync(service);
        var (_, email) = await portal.AddStaffAsync();
        var address = NewAddress();
        using var guesser = BrowserFrom(address);

        // Ten free failures from one address, each on another account; the eleventh blocks the address.
        for (var attempt = 1; attempt <= 11; attempt++)
        {
            var answer = await portal.SignInAsync(guesser, $"gok-{attempt}-{Guid.NewGuid():N}@partner.example", "helemaal-niet-goed");
            Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
        }

        var blocked = await portal.SignInAsync(guesser, email, StaffWebSignIn.Password);
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.NotNull(blocked.Headers.RetryAfter);

        // The account itself is not blocked: from another address it signs in.
        using var colleague = BrowserFrom(NewAddress());
        Assert.Equal(HttpStatusCode.Redirect, (await portal.SignInAsync(colleague, email, StaffWebSignIn.Password)).StatusCode);
    }

    [Fact]
    public async Task Staff_passwords_are_hashed_with_600000_PBKDF2_iterations_and_older_hashes_are_upgraded_at_sign_in()
    {
        var portal = await StaffWebSignIn.StartAsync(service);
        var (staffId, email) = await portal.AddStaffAsync();
        Assert.StartsWith("pbkdf2-sha256$600000$", await StoredHashAsync(staffId), StringComparison.Ordinal);

        // A hash from before: 100,000 iterations.
        var salt = RandomNumberGenerator.GetBytes(16);
        var old = Rfc2898DeriveBytes.Pbkdf2(StaffWebSignIn.Password, salt, 100_000, HashAlgorithmName.SHA256, 32);
        await using (var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString()))
        {
            await connection.ExecuteAsync(
                "UPDATE partner_users SET password_hash = @Hash WHERE id = @Id",
                new { Hash = $"pbkdf2-sha256$100000${Convert.ToBase64String(salt)}${Convert.ToBase64String(old)}", Id = staffId });
        }

        using var browser = BrowserFrom(NewAddress());
        Assert.Equal(HttpStatusCode.Redirect, (await portal.SignInAsync(browser, email, StaffWebSignIn.Password)).StatusCode);

        Assert.StartsWith("pbkdf2-sha256$600000$", await StoredHashAsync(staffId), StringComparison.Ordinal);
        using var again = BrowserFrom(NewAddress());
        Assert.Equal(HttpStatusCode.Redirect, (await portal.SignInAsync(again, email, StaffWebSignIn.Password)).StatusCode);
    }

    [Theory]
    [InlineData("wachtwoord1234")]
    [InlineData("Password1234")]
    [InlineData("123456789012")]
    [InlineData("aaaaaaaaaaaaaaaa")]
    public async Task A_common_password_is_refused_naming_the_field(string password)
    {
        var partner = await service.Tokens.RegisterPartnerAsync();
        using var system = service.CreateClient(partner.AccessToken);

        var answer = await system.PostAsJsonAsync(
            $"/v1/partners/{partner.PartnerId}/staff", new { email = $"zwak-{Guid.NewGuid():N}@partner.example", name = "Zwak", password }, Cancel);

        var problem = await answer.ReadJsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["password"], problem.GetProperty("errors").EnumerateObject().Select(field => field.Name));
    }

    [Theory]
    [InlineData("/account/sign-in")]
    [InlineData("/account/resident/sign-in")]
    public async Task The_sign_in_pages_cannot_be_framed(string page)
    {
        using var browser = service.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var answer = await browser.GetAsync(page, Cancel);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("frame-ancestors 'none'", Assert.Single(answer.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("DENY", Assert.Single(answer.Headers.GetValues("X-Frame-Options")));
    }

    [Fact]
    public async Task Over_https_the_sign_in_cookies_are_Secure_HttpOnly_and_SameSite()
    {
        var portal = await StaffWebSignIn.StartAsync(service);
        var (_, email) = await portal.AddStaffAsync();
        using var browser = service.CreateClient(new WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false, HandleCookies = true,
        });
        var (_, challenge) = StaffWebSignIn.Pkce();
        var toSignIn = await browser.GetAsync(portal.AuthorizeUrl(challenge), Cancel);
        var page = await browser.GetAsync(toSignIn.Headers.Location, Cancel);
        var form = await page.Content.ReadAsStringAsync(Cancel);

        var signedIn = await StaffWebSignIn.PostSignInAsync(browser, form, email, StaffWebSignIn.Password);

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var cookies = page.Headers.GetValues("Set-Cookie").Concat(signedIn.Headers.GetValues("Set-Cookie")).ToList();
        Assert.Contains(cookies, cookie => cookie.StartsWith("participatie.staff=", StringComparison.Ordinal));
        Assert.All(cookies, cookie =>
        {
            var attributes = cookie.Split(';').Select(part => part.Trim().ToLowerInvariant()).ToList();
            Assert.Contains("secure", attributes);
            Assert.Contains("httponly", attributes);
            Assert.Contains(attributes, attribute => attribute.StartsWith("samesite=", StringComparison.Ordinal));
        });
    }

    [Fact]
    public async Task A_web_client_redirect_uri_must_be_https_except_on_loopback()
    {
        var partner = await service.Tokens.RegisterPartnerAsync();
        using var system = service.CreateClient(partner.AccessToken);

        var plain = await system.PostAsJsonAsync(
            $"/v1/partners/{partner.PartnerId}/clients",
            new { displayName = "Onveilig portaal", kind = "web", redirectUris = new[] { "http://portaal.partner.example/callback" } }, Cancel);
        var problem = await plain.ReadJsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["redirectUris"], problem.GetProperty("errors").EnumerateObject().Select(field => field.Name));

        var loopback = await system.PostAsJsonAsync(
            $"/v1/partners/{partner.PartnerId}/clients",
            new { displayName = "Ontwikkelportaal", kind = "web", redirectUris = new[] { "http://127.0.0.1:5173/callback", "http://localhost:5173/callback" } }, Cancel);
        await loopback.ReadJsonAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Behind_the_gateway_each_client_address_counts_and_a_forged_forwarded_address_does_not()
    {
        var portal = await StaffWebSignIn.StartAsync(service);
        var (_, email) = await portal.AddStaffAsync();

        // Through the gateway (a proxy on loopback) the address it forwards is the client's.
        using var guesser = BrowserFrom(IPAddress.Loopback);
        guesser.DefaultRequestHeaders.Add("X-Forwarded-For", NewAddress().ToString());
        for (var attempt = 1; attempt <= 11; attempt++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await portal.SignInAsync(guesser, $"gok-{Guid.NewGuid():N}@partner.example", "helemaal-niet-goed")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await portal.SignInAsync(guesser, email, StaffWebSignIn.Password)).StatusCode);
        using var colleague = BrowserFrom(IPAddress.Loopback);
        colleague.DefaultRequestHeaders.Add("X-Forwarded-For", NewAddress().ToString());
        Assert.Equal(HttpStatusCode.Redirect, (await portal.SignInAsync(colleague, email, StaffWebSignIn.Password)).StatusCode);

        // Straight at the service, a new forged X-Forwarded-For on every try changes nothing: the connection counts.
        using var forger = BrowserFrom(NewAddress());
        for (var attempt = 1; attempt <= 11; attempt++)
        {
            forger.DefaultRequestHeaders.Remove("X-Forwarded-For");
            forger.DefaultRequestHeaders.Add("X-Forwarded-For", NewAddress().ToString());
            Assert.Equal(HttpStatusCode.Unauthorized, (await portal.SignInAsync(forger, $"gok-{Guid.NewGuid():N}@partner.example", "helemaal-niet-goed")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await portal.SignInAsync(forger, email, StaffWebSignIn.Password)).StatusCode);
    }

    /// <summary>A browser at its own client address, so that one test's failures block no other test.</summary>
    private HttpClient BrowserFrom(IPAddress address)
    {
        var handler = new CookieContainerHandler { InnerHandler = service.Server.CreateHandler(context => context.Connection.RemoteIpAddress = address) };
        return new HttpClient(handler) { BaseAddress = service.Server.BaseAddress };
    }

    private static IPAddress NewAddress() => new(RandomNumberGenerator.GetBytes(16));

    private async Task<string> StoredHashAsync(Guid staffId)
    {
        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        return await connection.ExecuteScalarAsync<string>("SELECT password_hash FROM partner_users WHERE id = @Id", new { Id = staffId }) ?? "";
    }
}
