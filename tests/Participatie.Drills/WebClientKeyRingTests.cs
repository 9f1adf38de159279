using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Participatie.BuildingBlocks.DataProtection;

namespace Participatie.Drills;

/// <summary>
/// Issue 13: a web client's Data Protection key ring is kept in a database of its own (made by the AppHost, its table by
/// the client's migration job), not on a volume, so that its replicas on any node read each other's cookies. The
/// client's running process is one replica; a second host made here with the client's own wiring
/// (<see cref="WebClientKeyRing.AddWebClientKeyRing"/>) on the same database is the other.
/// </summary>
public sealed class WebClientKeyRingTests(DrillPlatform platform)
{
    /// <summary>The portal's antiforgery cookie (clients/ResidentPortal/Program.cs).</summary>
    private const string PortalAntiforgeryCookie = "participatie-portal-af";

    [Fact]
    public async Task The_portals_antiforgery_tokens_from_one_replica_are_accepted_by_the_other_both_ways()
    {
        await platform.WaitForHealthyAsync(WebClientKeyRing.ResidentPortal.Name);
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false, UseProxy = false })
        {
            BaseAddress = platform.GatewayAddress,
        };

        // The running portal's sign-in form: its antiforgery cookie and form token, protected with its key ring.
        var page = await browser.GetStringAsync(new Uri("/sign-in", UriKind.Relative), TestContext.Current.CancellationToken);
        var formToken = Hidden(page, "__RequestVerificationToken");
        var cookieToken = cookies.GetCookies(platform.GatewayAddress)[PortalAntiforgeryCookie]?.Value;
        Assert.False(string.IsNullOrEmpty(cookieToken), "The portal set no antiforgery cookie.");

        using var other = await OtherReplicaAsync(WebClientKeyRing.ResidentPortal, DrillPlatform.ResidentPortalKeyRingKey);
        Assert.True(await IsValidAntiforgeryAsync(other, cookieToken!, formToken), "The other replica refused the portal's antiforgery tokens.");

        // The other way: tokens the other replica made, posted to the running portal, pass its antiforgery check and
        // reach the form (which answers its own error: neither e-mail address nor phone number was given).
        var (otherCookie, otherToken) = NewAntiforgeryTokens(other);
        using (var accepted = await PostSignInFormAsync(otherCookie, otherToken))
        {
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }

        // And tokens of a key ring the portal does not share are refused, so the check above can fail.
        using var stranger = await OtherReplicaAsync(WebClientKeyRing.ResidentPortal, DrillPlatform.ResidentPortalKeyRingKey, ownDatabase: false);
        var (strangerCookie, strangerToken) = NewAntiforgeryTokens(stranger);
        using var refused = await PostSignInFormAsync(strangerCookie, strangerToken);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        await AssertStoredEncryptedAsync(WebClientKeyRing.ResidentPortal);
    }

    [Fact]
    public async Task The_consoles_pending_sign_in_cookie_from_one_replica_is_read_by_the_other()
    {
        await platform.WaitForHealthyAsync(WebClientKeyRing.PartnerConsole.Name);
        using var browser = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false, UseProxy = false })
        {
            BaseAddress = platform.GatewayAddress,
        };

        // The console starts a staff sign-in: the state it sends to the token server, and the same state in its
        // protected cookie, which the callback (on whichever replica) must read.
        using var started = await browser.GetAsync(new Uri("/console/signin", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        var state = QueryHelpers.ParseQuery(started.Headers.Location!.Query)["state"].ToString();
        var pendingCookie = started.Headers.GetValues("Set-Cookie")
            .Select(header => header.Split(';', 2)[0].Split('=', 2))
            .Single(cookie => cookie[0] == "participatie.console.signin")[1];

        using var other = await OtherReplicaAsync(WebClientKeyRing.PartnerConsole, DrillPlatform.PartnerConsoleKeyRingKey);
        var pending = other.Services.GetRequiredService<IDataProtectionProvider>()
            .CreateProtector("Participatie.PartnerConsole.SignIn") // ConsoleSignIn's purpose
            .Unprotect(pendingCookie);
        using var json = JsonDocument.Parse(pending);
        Assert.Equal(state, json.RootElement.GetProperty("State").GetString());

        await AssertStoredEncryptedAsync(WebClientKeyRing.PartnerConsole);
    }

    /// <summary>
    /// A second replica of the client: its own key ring wiring on the client's database (or, for the control, on an
    /// empty database of its own, a key ring the client does not share).
    /// </summary>
    private async Task<IHost> OtherReplicaAsync(WebClientStore client, string keyRingKey, bool ownDatabase = true)
    {
        var connectionString = await platform.ConnectionStringAsync(client.DatabaseName);
        if (!ownDatabase)
        {
            connectionString = await NewKeyRingDatabaseAsync(connectionString);
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{client.DatabaseName}"] = connectionString,
            [WebClientKeyRing.SecretSetting] = keyRingKey,
        });
        builder.AddWebClientKeyRing(client, typeof(WebClientKeyRingTests).Assembly);
        builder.Services.AddAntiforgery(options => options.Cookie.Name = PortalAntiforgeryCookie);
        return builder.Build();
    }

    /// <summary>An empty database with the key ring's table (the client's migration script), for a key ring of its own.</summary>
    private static async Task<string> NewKeyRingDatabaseAsync(string clientConnectionString)
    {
        var name = $"keyring_{Guid.NewGuid():N}"[..24];
        await using (var server = new NpgsqlConnection(clientConnectionString))
        {
            await server.OpenAsync(TestContext.Current.CancellationToken);
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", server);
            await create.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var connectionString = new NpgsqlConnectionStringBuilder(clientConnectionString) { Database = name }.ConnectionString;
        await using var database = new NpgsqlConnection(connectionString);
        await database.OpenAsync(TestContext.Current.CancellationToken);
        await using var table = new NpgsqlCommand(
            "CREATE TABLE data_protection_keys (friendly_name text PRIMARY KEY, xml text NOT NULL, created_at timestamptz NOT NULL)", database);
        await table.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        return connectionString;
    }

    private static async Task<bool> IsValidAntiforgeryAsync(IHost replica, string cookieToken, string formToken)
    {
        var context = new DefaultHttpContext { RequestServices = replica.Services };
        context.Request.Method = HttpMethods.Post;
        context.Request.Headers.Cookie = $"{PortalAntiforgeryCookie}={cookieToken}";
        context.Request.ContentType = "application/x-www-form-urlencoded";
        context.Request.Body = new MemoryStream(Encoding.ASCII.GetBytes($"__RequestVerificationToken={Uri.EscapeDataString(formToken)}"));
        return await replica.Services.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context);
    }

    private static (string CookieToken, string FormToken) NewAntiforgeryTokens(IHost replica)
    {
        var tokens = replica.Services.GetRequiredService<IAntiforgery>().GetTokens(new DefaultHttpContext { RequestServices = replica.Services });
        return (tokens.CookieToken!, tokens.RequestToken!);
    }

    /// <summary>The portal's request-code form, empty, with the given antiforgery cookie and token.</summary>
    private async Task<HttpResponseMessage> PostSignInFormAsync(string cookieToken, string formToken)
    {
        using var browser = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false, UseProxy = false })
        {
            BaseAddress = platform.GatewayAddress,
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/sign-in", UriKind.Relative))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "request-code",
                ["__RequestVerificationToken"] = formToken,
                ["Email"] = string.Empty,
                ["Phone"] = string.Empty,
            }),
        };
        request.Headers.Add("Cookie", $"{PortalAntiforgeryCookie}={cookieToken}");
        return await browser.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>The client's key ring is in its database, and no key material is readable there.</summary>
    private async Task AssertStoredEncryptedAsync(WebClientStore client)
    {
        await using var connection = new NpgsqlConnection(await platform.ConnectionStringAsync(client.DatabaseName));
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand("SELECT xml FROM data_protection_keys", connection);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var stored = new List<string>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            stored.Add(reader.GetString(0));
        }

        Assert.NotEmpty(stored);
        Assert.All(stored, xml =>
        {
            Assert.Contains(KeyRingEncryptor.ElementName, xml, StringComparison.Ordinal);
            Assert.DoesNotContain("masterKey", xml, StringComparison.Ordinal);
        });
    }

    private static string Hidden(string page, string name)
    {
        var match = Regex.Match(page, $"name=\"{Regex.Escape(name)}\" value=\"([^\"]*)\"");
        Assert.True(match.Success, $"No hidden field {name} on the page.");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }
}
