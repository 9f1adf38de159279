using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Participatie.Contracts;
using Participatie.PartnerCoordination.ResidentSignIn;
using Participatie.Testing;
using static Participatie.PartnerCoordination.FunctionalTests.Calls;

namespace Participatie.PartnerCoordination.FunctionalTests;

/// <summary>
/// A resident signs in on the real token server with a one-time code: the residents service's keys arrive over the
/// broker, the code is read from the SignInCodeRequested the server publishes through its outbox (as notifications
/// would get it), and the token endpoint redeems it. The server's clock is moved for locks and expiry.
/// </summary>
[Collection(PartnerCoordinationCollection.Name)]
public sealed class ResidentSignInTests(ResidentTokenServer server) : IClassFixture<ResidentTokenServer>
{
    private const string Portal = "resident-portal";
    private static readonly byte[] Secret = ResidentIdentifierKeys.ParseSecret(ResidentTokenServer.IdentifierSecret);

    [Fact]
    public async Task A_resident_signs_in_with_an_email_code_gets_a_resident_token_and_refreshes_it()
    {
        var residentId = await RegisterResidentAsync(email: "Jan.Jansen@Example.nl");
        using var client = server.CreateClient();

        // Typed differently from how the residents service has it: the same key.
        var challenge = await RequestCodeAsync(client, new { emailAddress = "  jan.jansen@example.NL " });
        var sent = await server.SentCodeAsync(challenge);
        Assert.Equal(residentId, sent.ResidentId);
        Assert.Equal("email", sent.Channel);
        var code = sent.Code;
        Assert.Matches("^[0-9]{6}$", code);
        Assert.Equal(server.Time.GetUtcNow().AddMinutes(10), sent.ExpiresAt, TimeSpan.FromSeconds(1));
        Assert.DoesNotContain(code, await server.QueryScalarAsync<string>("SELECT string_agg(code_hash, ',') FROM resident_sign_in_codes") ?? "", StringComparison.Ordinal);

        var tokens = await (await RedeemAsync(client, challenge, code)).ReadJsonAsync(HttpStatusCode.OK);
        var accessToken = tokens.GetProperty("access_token").GetString()!;
        var claims = new JsonWebToken(accessToken);
        Assert.Equal(residentId.ToString(), claims.Subject);
        Assert.Contains("resident", claims.GetClaim("scope").Value.Split(' '));
        Assert.Equal(Portal, claims.GetClaim("client_id").Value);
        Assert.Equal(ResidentTokenServer.PortalOrigin, claims.GetClaim("allowed_origin").Value);
        Assert.Contains("participatie-api", claims.Audiences);
        Assert.False(claims.TryGetClaim("partner_id", out _), "a resident token acts for no partner");
        Assert.Equal(TimeSpan.FromMinutes(15), claims.ValidTo - claims.IssuedAt);

        // A code is good for one token.
        await (await RedeemAsync(client, challenge, code)).AssertOAuthErrorAsync("invalid_grant");

        // A resident token opens no partner endpoint.
        using var asResident = TokenServer.Authorized(server.CreateClient(), accessToken);
        (await asResident.GetAsync(new Uri("/v1/trajectories", UriKind.Relative), Cancel)).AssertForbidden();
        (await asResident.PostAsJsonAsync("/v1/trajectories", new { name = "Van een bewoner", buurtCodes = new[] { "BU03630001" } }, Cancel)).AssertForbidden();

        var refreshed = await (await RefreshAsync(client, tokens.GetProperty("refresh_token").GetString()!)).ReadJsonAsync(HttpStatusCode.OK);
        var renewed = new JsonWebToken(refreshed.GetProperty("access_token").GetString()!);
        Assert.Equal(residentId.ToString(), renewed.Subject);
        Assert.Contains("resident", renewed.GetClaim("scope").Value.Split(' '));
        Assert.False(renewed.TryGetClaim("partner_id", out _));
    }

    [Fact]
    public async Task After_erasure_the_refresh_token_stops_working_and_the_erasure_is_confirmed_once()
    {
        var residentId = await RegisterResidentAsync(phone: "06 1234 5678");
        using var client = server.CreateClient();
        var challenge = await RequestCodeAsync(client, new { phoneNumber = "+31612345678" });
        var tokens = await (await RedeemAsync(client, challenge, await CodeAsync(challenge))).ReadJsonAsync(HttpStatusCode.OK);
        var refreshToken = tokens.GetProperty("refresh_token").GetString()!;
        (await RefreshAsync(client, refreshToken)).EnsureSuccessStatusCode();

        var erasure = new ResidentErased(Guid.NewGuid(), residentId, DateTimeOffset.UtcNow);
        var (messageId, resentId) = (Guid.NewGuid(), Guid.NewGuid());
        await server.PublishAsync(erasure, messageId);
        await server.PublishAsync(erasure, messageId);
        // The residents service may also send the same erasure again as a new message.
        await server.PublishAsync(erasure, resentId);
        await Eventually.MatchesAsync(
            () => server.QueryScalarAsync<long>("SELECT count(*) FROM inbox_messages WHERE message_id IN (@MessageId, @ResentId)", new { MessageId = messageId, ResentId = resentId }),
            count => count == 2, "both erasure messages to be handled");

        var confirmations = (await server.PublishedAsync<ResidentErasureConfirmed>())
            .Where(message => message.GetProperty("erasureId").GetGuid() == erasure.ErasureId).ToList();
        var confirmation = Assert.Single(confirmations);
        Assert.Equal(DataHoldingServices.PartnerCoordination, confirmation.GetProperty("service").GetString());
        Assert.Equal(residentId, confirmation.GetProperty("residentId").GetGuid());

        await (await RefreshAsync(client, refreshToken)).AssertOAuthErrorAsync("invalid_grant");
        Assert.Equal(0L, await server.QueryScalarAsync<long>(
            "SELECT count(*) FROM resident_sign_in_keys WHERE resident_id = @Id AND (email_key IS NOT NULL OR phone_key IS NOT NULL OR home_key IS NOT NULL OR preferred_language IS NOT NULL)",
            new { Id = residentId }));
        Assert.Equal(0L, await server.QueryScalarAsync<long>(
            "SELECT (SELECT count(*) FROM resident_sign_in_codes WHERE resident_id = @Id) + (SELECT count(*) FROM resident_sign_in_events WHERE resident_id = @Id)",
            new { Id = residentId }));

        // A late, older message does not bring the keys back; the resident can no longer ask for a code.
        var lateKeys = Guid.NewGuid();
        await server.PublishAsync(
            new ResidentSignInKeysChanged(residentId, 7, null, ResidentIdentifierKeys.Phone("0612345678", Secret), null, "nl", DateTimeOffset.UtcNow),
            lateKeys);
        var before = (await server.PublishedAsync<SignInCodeRequested>()).Count;
        await Eventually.MatchesAsync(
            () => server.QueryScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM inbox_messages WHERE message_id = @Id)", new { Id = lateKeys }),
            handled => handled, "the late keys to be handled");
        await RequestCodeAsync(client, new { phoneNumber = "0612345678" });
        Assert.Equal(before, (await server.PublishedAsync<SignInCodeRequested>()).Count);
    }

    [Fact]
    public async Task Five_wrong_codes_lock_the_resident_for_15_minutes_even_for_the_right_code()
    {
        var residentId = await RegisterResidentAsync(email: $"lock-{Guid.NewGuid():N}@example.nl");
        var email = await EmailOfAsync(residentId);
        using var client = server.CreateClient();
        var challenge = await RequestCodeAsync(client, new { emailAddress = email });
        var code = await CodeAsync(challenge);
        var wrong = code == "000000" ? "000001" : "000000";

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            await (await RedeemAsync(client, challenge, wrong)).AssertOAuthErrorAsync("invalid_grant");
        }

        var fifth = await RedeemAsync(client, challenge, wrong);
        await fifth.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal(TimeSpan.FromMinutes(15), fifth.Headers.RetryAfter?.Delta);

        server.Time.Advance(TimeSpan.FromMinutes(1));
        var rightButLocked = await RedeemAsync(client, challenge, code);
        await rightButLocked.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal(TimeSpan.FromMinutes(14), rightButLocked.Headers.RetryAfter?.Delta);

        // Asking for a new code while locked is answered alike, but sends nothing.
        var sentBefore = (await server.PublishedAsync<SignInCodeRequested>()).Count;
        var whileLocked = await RequestCodeAsync(client, new { emailAddress = email });
        Assert.Equal(sentBefore, (await server.PublishedAsync<SignInCodeRequested>()).Count);
        // Its challenge counts against the same lock as every other of this address.
        await (await RedeemAsync(client, whileLocked, code)).AssertProblemAsync(HttpStatusCode.TooManyRequests);

        // Fifteen minutes after the lock: a new code works (the first one has expired meanwhile).
        server.Time.Advance(TimeSpan.FromMinutes(14));
        await (await RedeemAsync(client, challenge, code)).AssertOAuthErrorAsync("invalid_grant");
        var again = await RequestCodeAsync(client, new { emailAddress = email });
        (await RedeemAsync(client, again, await CodeAsync(again))).EnsureSuccessStatusCode();

        var history = await server.QueryScalarAsync<string>(
            "SELECT string_agg(kind, ',' ORDER BY id) FROM resident_sign_in_events WHERE resident_id = @Id", new { Id = residentId });
        Assert.Equal(
            "code-requested,wrong-code,wrong-code,wrong-code,wrong-code,wrong-code,locked,requested-while-locked,code-requested,code-used", history);
    }

    [Fact]
    public async Task An_expired_code_is_refused()
    {
        var residentId = await RegisterResidentAsync(email: $"expired-{Guid.NewGuid():N}@example.nl");
        using var client = server.CreateClient();
        var challenge = await RequestCodeAsync(client, new { emailAddress = await EmailOfAsync(residentId) });
        var code = await CodeAsync(challenge);

        server.Time.Advance(TimeSpan.FromMinutes(10));

        await (await RedeemAsync(client, challenge, code)).AssertOAuthErrorAsync("invalid_grant");
    }

    [Fact]
    public async Task An_unknown_address_gets_the_same_answer_and_nothing_is_sent()
    {
        using var client = server.CreateClient();
        var sentBefore = (await server.PublishedAsync<SignInCodeRequested>()).Count;

        var response = await client.PostAsJsonAsync("/v1/sign-in/codes", new { emailAddress = $"niemand-{Guid.NewGuid():N}@example.nl" }, Cancel);
        var answer = await response.ReadJsonAsync(HttpStatusCode.Accepted);

        Assert.NotEqual(Guid.Empty, answer.GetProperty("challengeId").GetGuid());
        Assert.Equal(server.Time.GetUtcNow().AddMinutes(10), answer.GetProperty("expiresAt").GetDateTimeOffset(), TimeSpan.FromSeconds(1));
        Assert.Equal(sentBefore, (await server.PublishedAsync<SignInCodeRequested>()).Count);
        // Guessing at it ends as it would for a real challenge: locked after five.
        var challengeId = answer.GetProperty("challengeId").GetGuid();
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            await (await RedeemAsync(client, challengeId, "123456")).AssertOAuthErrorAsync("invalid_grant");
        }

        await (await RedeemAsync(client, challengeId, "123456")).AssertProblemAsync(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task A_code_request_names_the_field_that_is_wrong()
    {
        using var client = server.CreateClient();

        await (await client.PostAsJsonAsync("/v1/sign-in/codes", new { }, Cancel)).AssertProblemAsync(HttpStatusCode.BadRequest, "emailAddress");
        await (await client.PostAsJsonAsync("/v1/sign-in/codes", new { emailAddress = "a@b.nl", phoneNumber = "0612345678" }, Cancel))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "phoneNumber");
        await (await client.PostAsJsonAsync("/v1/sign-in/codes", new { emailAddress = "geen-adres" }, Cancel)).AssertProblemAsync(HttpStatusCode.BadRequest, "emailAddress");
        await (await client.PostAsJsonAsync("/v1/sign-in/codes", new { phoneNumber = "12" }, Cancel)).AssertProblemAsync(HttpStatusCode.BadRequest, "phoneNumber");
        await (await client.PostAsJsonAsync("/v1/sign-in/letter-codes", new { postcode = "0000XX", houseNumber = 1 }, Cancel))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "postcode");
        await (await client.PostAsJsonAsync("/v1/sign-in/letter-codes", new { postcode = "1021AB" }, Cancel))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "houseNumber");
        // A partner's client cannot use the resident grants.
        var partner = await server.Tokens().RegisterPartnerAsync();
        await (await client.RequestTokenAsync(
            ("grant_type", ResidentGrants.SignInCode), ("client_id", partner.ClientId), ("client_secret", partner.ClientSecret),
            ("challenge_id", Guid.NewGuid().ToString()), ("code", "123456"))).AssertOAuthErrorAsync("unsupported_grant_type");
    }

    [Fact]
    public async Task A_letter_code_signs_in_only_at_the_home_it_was_sent_to_and_only_once()
    {
        var postcode = $"{Random.Shared.Next(1000, 9999)}KL";
        var residentId = await RegisterResidentAsync(home: (postcode, 9, "A"));
        var neighbour = await RegisterResidentAsync(home: (postcode, 11, null));
        using var client = server.CreateClient();
        var sentBefore = (await server.PublishedAsync<SignInCodeRequested>()).Count;

        var response = await client.PostAsJsonAsync("/v1/sign-in/letter-codes", new { postcode = postcode.ToLowerInvariant(), houseNumber = 9, houseNumberSuffix = "-a" }, Cancel);
        var answer = await response.ReadJsonAsync(HttpStatusCode.Accepted);

        var letters = (await server.PublishedAsync<SignInCodeRequested>()).Skip(sentBefore).ToList();
        var letter = await server.SentCodeAsync(Assert.Single(letters).GetProperty("challengeId").GetGuid());
        Assert.Equal(residentId, letter.ResidentId);
        Assert.Equal("letter", letter.Channel);
        Assert.Equal(server.Time.GetUtcNow().AddDays(30), answer.GetProperty("expiresAt").GetDateTimeOffset(), TimeSpan.FromSeconds(1));
        var code = letter.Code;
        Assert.Matches("^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$", code);

        // At the neighbours' the code is worth nothing.
        await (await RedeemLetterAsync(client, postcode, "11", "", code)).AssertOAuthErrorAsync("invalid_grant");
        Assert.NotEqual(neighbour, residentId);

        var tokens = await (await RedeemLetterAsync(client, $"{postcode[..4]} {postcode[4..].ToLowerInvariant()}", "9", "a", code.ToLowerInvariant().Replace("-", " ", StringComparison.Ordinal)))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(residentId.ToString(), new JsonWebToken(tokens.GetProperty("access_token").GetString()!).Subject);

        await (await RedeemLetterAsync(client, postcode, "9", "A", code)).AssertOAuthErrorAsync("invalid_grant");
    }

    [Fact]
    public async Task Five_wrong_letter_codes_lock_the_home()
    {
        var postcode = $"{Random.Shared.Next(1000, 9999)}MN";
        await RegisterResidentAsync(home: (postcode, 3, null));
        using var client = server.CreateClient();
        await client.PostAsJsonAsync("/v1/sign-in/letter-codes", new { postcode, houseNumber = 3 }, Cancel);
        var code = (await server.SentCodeAsync((await server.PublishedAsync<SignInCodeRequested>())[^1].GetProperty("challengeId").GetGuid())).Code;

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            await (await RedeemLetterAsync(client, postcode, "3", "", "AAAA-BBBB-CCCC")).AssertOAuthErrorAsync("invalid_grant");
        }

        await (await RedeemLetterAsync(client, postcode, "3", "", "AAAA-BBBB-CCCC")).AssertProblemAsync(HttpStatusCode.TooManyRequests);
        var locked = await RedeemLetterAsync(client, postcode, "3", "", code);
        await locked.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.NotNull(locked.Headers.RetryAfter?.Delta);

        server.Time.Advance(TimeSpan.FromMinutes(15));
        (await RedeemLetterAsync(client, postcode, "3", "", code)).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task The_export_lists_the_sign_in_history_without_codes()
    {
        var residentId = await RegisterResidentAsync(email: $"export-{Guid.NewGuid():N}@example.nl");
        using var client = server.CreateClient();
        var challenge = await RequestCodeAsync(client, new { emailAddress = await EmailOfAsync(residentId) });
        var code = await CodeAsync(challenge);
        (await RedeemAsync(client, challenge, code)).EnsureSuccessStatusCode();
        var exportId = Guid.NewGuid();

        await server.PublishAsync(new ResidentDataExportRequested(exportId, residentId, DateTimeOffset.UtcNow));

        var exported = await Eventually.MatchesAsync(
            async () => (await server.PublishedAsync<ResidentDataExported>()).Where(message => message.GetProperty("exportId").GetGuid() == exportId).ToList(),
            messages => messages.Count == 1, "the export of partner coordination");
        Assert.Equal(DataHoldingServices.PartnerCoordination, exported[0].GetProperty("service").GetString());
        var json = exported[0].GetProperty("dataJson").GetString()!;
        var data = JsonDocument.Parse(json).RootElement;
        Assert.Equal(["code-requested", "code-used"], data.GetProperty("signInHistory").EnumerateArray().Select(entry => entry.GetProperty("kind").GetString()));
        Assert.True(data.GetProperty("signInKeys")[0].GetProperty("signsInWithEmailAddress").GetBoolean());
        Assert.DoesNotContain(code, json, StringComparison.Ordinal);
        Assert.DoesNotContain(ResidentIdentifierKeys.Email(await EmailOfAsync(residentId), Secret), json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_email_address_shared_by_two_homes_signs_in_only_with_the_home_and_then_the_resident_living_there()
    {
        var email = $"gezin-{Guid.NewGuid():N}@example.nl";
        var postcode = $"{Random.Shared.Next(1000, 9999)}GD";
        var atFive = await RegisterResidentAsync(email: email, home: (postcode, 5, null));
        var atSevenB = await RegisterResidentAsync(email: email, home: (postcode, 7, "B"));
        using var client = server.CreateClient();
        var sentBefore = (await server.PublishedAsync<SignInCodeRequested>()).Count;

        // Without the home nobody gets a code, and the answer looks like any other.
        var withoutHome = await (await client.PostAsJsonAsync("/v1/sign-in/codes", new { emailAddress = email }, Cancel)).ReadJsonAsync(HttpStatusCode.Accepted);
        Assert.NotEqual(Guid.Empty, withoutHome.GetProperty("challengeId").GetGuid());
        Assert.Equal(server.Time.GetUtcNow().AddMinutes(10), withoutHome.GetProperty("expiresAt").GetDateTimeOffset(), TimeSpan.FromSeconds(1));
        Assert.Equal(sentBefore, (await server.PublishedAsync<SignInCodeRequested>()).Count);

        // With it, the one who lives there, not whoever changed their details last.
        var challenge = await RequestCodeAsync(client, new { emailAddress = email, postcode, houseNumber = 5 });
        var sent = await server.SentCodeAsync(challenge);
        Assert.Equal(atFive, sent.ResidentId);
        var tokens = await (await RedeemAsync(client, challenge, sent.Code)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(atFive.ToString(), new JsonWebToken(tokens.GetProperty("access_token").GetString()!).Subject);

        var other = await RequestCodeAsync(client, new { emailAddress = email, postcode = postcode.ToLowerInvariant(), houseNumber = 7, houseNumberSuffix = "b" });
        Assert.Equal(atSevenB, (await server.SentCodeAsync(other)).ResidentId);

        // A home where neither lives sends nothing either.
        var sentSoFar = (await server.PublishedAsync<SignInCodeRequested>()).Count;
        await RequestCodeAsync(client, new { emailAddress = email, postcode, houseNumber = 9 });
        Assert.Equal(sentSoFar, (await server.PublishedAsync<SignInCodeRequested>()).Count);

        // Half a home is refused, naming what is missing.
        await (await client.PostAsJsonAsync("/v1/sign-in/codes", new { emailAddress = email, postcode }, Cancel))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "houseNumber");
    }

    [Fact]
    public async Task Locks_do_not_tell_whether_an_address_is_known()
    {
        var known = $"bekend-{Guid.NewGuid():N}@example.nl";
        await RegisterResidentAsync(email: known);
        var unknown = $"onbekend-{Guid.NewGuid():N}@example.nl";
        using var client = server.CreateClient();

        // Two challenges of one address; five wrong codes on the first, then the second is tried with its own code.
        async Task<(List<HttpStatusCode> WrongTries, HttpStatusCode Second)> ProbeAsync(string email, bool codesAreSent)
        {
            var first = await RequestCodeAsync(client, new { emailAddress = email });
            var second = await RequestCodeAsync(client, new { emailAddress = email });
            var firstCode = codesAreSent ? await CodeAsync(first) : "123456";
            var wrong = firstCode == "000000" ? "000001" : "000000";
            var wrongTries = new List<HttpStatusCode>();
            for (var attempt = 1; attempt <= 5; attempt++)
            {
                wrongTries.Add((await RedeemAsync(client, first, wrong)).StatusCode);
            }

            var secondCode = codesAreSent ? await CodeAsync(second) : "654321";
            return (wrongTries, (await RedeemAsync(client, second, secondCode)).StatusCode);
        }

        var atKnown = await ProbeAsync(known, codesAreSent: true);
        var atUnknown = await ProbeAsync(unknown, codesAreSent: false);

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.BadRequest, 4), HttpStatusCode.TooManyRequests], atKnown.WrongTries);
        Assert.Equal(atKnown.WrongTries, atUnknown.WrongTries);
        Assert.Equal(HttpStatusCode.TooManyRequests, atKnown.Second);
        Assert.Equal(HttpStatusCode.TooManyRequests, atUnknown.Second);
    }

    [Fact]
    public async Task A_relayed_sign_in_code_is_blanked_in_the_outbox()
    {
        var residentId = await RegisterResidentAsync(email: $"blank-{Guid.NewGuid():N}@example.nl");
        using var client = server.CreateClient();
        var challenge = await RequestCodeAsync(client, new { emailAddress = await EmailOfAsync(residentId) });

        var code = await CodeAsync(challenge);
        Assert.Matches("^[0-9]{6}$", code);
        var payload = await Eventually.MatchesAsync(
            () => server.QueryScalarAsync<string>(
                "SELECT payload::text FROM outbox_messages WHERE published_at IS NOT NULL AND payload->>'challengeId' = @Challenge",
                new { Challenge = challenge.ToString() }),
            row => row is not null, "the code's outbox row to be marked relayed");
        var relayed = JsonDocument.Parse(payload!).RootElement;
        Assert.Equal(string.Empty, relayed.GetProperty("code").GetString());
        // What is kept for looking back stays.
        Assert.Equal(residentId, relayed.GetProperty("residentId").GetGuid());
        Assert.Equal("email", relayed.GetProperty("channel").GetString());
    }

    private readonly Dictionary<Guid, string> _emails = [];

    private Task<string> EmailOfAsync(Guid residentId) => Task.FromResult(_emails[residentId]);

    /// <summary>The residents service announces a resident's keys; waits until the token server has them.</summary>
    private async Task<Guid> RegisterResidentAsync(string? email = null, string? phone = null, (string Postcode, int Number, string? Suffix)? home = null)
    {
        var residentId = Guid.NewGuid();
        if (email is not null)
        {
            _emails[residentId] = email;
        }

        var homeKey = home is { } address ? ResidentIdentifierKeys.Home(AddressKeys.Key(address.Postcode, address.Number, address.Suffix)!, Secret) : null;
        await server.PublishAsync(new ResidentSignInKeysChanged(
            residentId,
            1,
            email is null ? null : ResidentIdentifierKeys.Email(email, Secret),
            phone is null ? null : ResidentIdentifierKeys.Phone(phone, Secret),
            homeKey,
            "nl",
            DateTimeOffset.UtcNow));
        await Eventually.MatchesAsync(
            () => server.QueryScalarAsync<long>("SELECT count(*) FROM resident_sign_in_keys WHERE resident_id = @Id", new { Id = residentId }),
            count => count == 1, $"the token server to know resident {residentId}");
        return residentId;
    }

    private static async Task<Guid> RequestCodeAsync(HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("/v1/sign-in/codes", body, Cancel);
        return (await response.ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("challengeId").GetGuid();
    }

    private async Task<string> CodeAsync(Guid challengeId) => (await server.SentCodeAsync(challengeId)).Code;

    private static Task<HttpResponseMessage> RedeemAsync(HttpClient client, Guid challengeId, string code) =>
        client.RequestTokenAsync(
            ("grant_type", ResidentGrants.SignInCode), ("client_id", Portal), ("scope", "resident"), ("challenge_id", challengeId.ToString()), ("code", code));

    private static Task<HttpResponseMessage> RedeemLetterAsync(HttpClient client, string postcode, string houseNumber, string suffix, string code) =>
        client.RequestTokenAsync(
            ("grant_type", ResidentGrants.LetterCode), ("client_id", Portal), ("scope", "resident"),
            ("postcode", postcode), ("house_number", houseNumber), ("house_number_suffix", suffix), ("code", code));

    private static Task<HttpResponseMessage> RefreshAsync(HttpClient client, string refreshToken) =>
        client.RequestTokenAsync(("grant_type", "refresh_token"), ("client_id", Portal), ("refresh_token", refreshToken));
}

internal static class ResidentSignInAssertions
{
    public static void AssertForbidden(this HttpResponseMessage response) =>
        Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"Expected 403, got {(int)response.StatusCode}");

    public static TokenServer Tokens(this ResidentTokenServer server) => TokenServer.For(server);
}
