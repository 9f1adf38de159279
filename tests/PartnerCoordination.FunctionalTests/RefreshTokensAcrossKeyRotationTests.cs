using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Participatie.Contracts;
using Participatie.PartnerCoordination.ResidentSignIn;
using Participatie.Testing;
using static Participatie.PartnerCoordination.FunctionalTests.Calls;

namespace Participatie.PartnerCoordination.FunctionalTests;

/// <summary>
/// Issue 11, part 5: a resident's refresh token (8 hours) outlives the rotation of the key that signed it. The key
/// leaves the key set 70 minutes after it was replaced (no access token it signed is valid any longer), but the token
/// server keeps it to read its own refresh tokens until the last of them has expired, on every instance, also one
/// started after the key left the key set; and every instance signs new refresh tokens with the key that signs now.
/// What it keeps of the replaced key is the public part only: checking a signature needs nothing more.
/// </summary>
public sealed class RefreshTokensAcrossKeyRotationTests(ResidentTokenServer server) : IClassFixture<ResidentTokenServer>
{
    private const string Portal = "resident-portal";
    private static readonly byte[] Secret = ResidentIdentifierKeys.ParseSecret(ResidentTokenServer.IdentifierSecret);

    [Fact]
    public async Task A_refresh_token_signed_before_a_key_rotation_is_redeemed_after_it_on_any_instance_until_it_expires()
    {
        using var client = server.CreateClient();
        var firstKey = await SigningKeyIdAsync(client);

        // A day before the first key's 30 days are up the next key is published; half an hour before, a resident signs in.
        server.Time.Advance(TimeSpan.FromDays(29) + TimeSpan.FromMinutes(1));
        var nextKey = Assert.Single(
            await Eventually.MatchesAsync(() => PublishedKeyIdsAsync(client), keys => keys.Count == 2, "the next key to be published"),
            key => key != firstKey);
        server.Time.Advance(TimeSpan.FromDays(1) - TimeSpan.FromMinutes(31));
        var signedIn = await SignInAsync(client, "refresh.rotation@example.nl");
        var beforeRotation = signedIn.GetProperty("refresh_token").GetString()!;
        Assert.Equal(firstKey, new JsonWebToken(signedIn.GetProperty("access_token").GetString()!).Kid);

        // The next key signs from the end of the period; 71 minutes later the first has left the key set.
        server.Time.Advance(TimeSpan.FromMinutes(30) + TimeSpan.FromMinutes(71));
        await Eventually.MatchesAsync(() => PublishedKeyIdsAsync(client), keys => keys.Count == 1 && keys[0] == nextKey, "the first key to leave the key set");
        Assert.Equal(1, await server.QueryScalarAsync<long>("SELECT count(*) FROM token_keys WHERE id = @Id", new { Id = firstKey }));
        // The first key no longer signs, so its private part is gone: a copy of the database cannot sign with it.
        await Eventually.MatchesAsync(
            () => server.QueryScalarAsync<long>(
                """
                SELECT count(*) FROM token_keys
                WHERE id = @Id AND private_key IS NULL AND protected_private_key IS NULL AND public_key IS NOT NULL
                """,
                new { Id = firstKey }),
            count => count == 1,
            "the first key's private part to be erased");
        Assert.Equal(1, await server.QueryScalarAsync<long>(
            "SELECT count(*) FROM token_keys WHERE id = @Id AND protected_private_key IS NOT NULL", new { Id = nextKey }));

        // An instance that starts now never published the first key, and still takes the refresh token it signed.
        var later = server.WithWebHostBuilder(_ => { });
        using var laterClient = later.CreateClient();
        var refreshedLater = await (await RefreshAsync(laterClient, beforeRotation)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(nextKey, new JsonWebToken(refreshedLater.GetProperty("access_token").GetString()!).Kid);

        // The instance that started with the first key signs the refresh tokens it issues now with the next one:
        // the instance that never knew the first key as a signing key takes them.
        var refreshedHere = await (await RefreshAsync(client, beforeRotation)).ReadJsonAsync(HttpStatusCode.OK);
        var afterRotation = refreshedHere.GetProperty("refresh_token").GetString()!;
        await (await RefreshAsync(laterClient, afterRotation)).ReadJsonAsync(HttpStatusCode.OK);

        // Once no refresh token it signed can still be valid, the first key is deleted.
        server.Time.Advance(TimeSpan.FromHours(8));
        await Eventually.MatchesAsync(
            () => server.QueryScalarAsync<long>("SELECT count(*) FROM token_keys WHERE id = @Id", new { Id = firstKey }),
            count => count == 0,
            "the first key to be deleted");
        await (await RefreshAsync(laterClient, beforeRotation)).AssertOAuthErrorAsync("invalid_grant");
    }

    private async Task<JsonElement> SignInAsync(HttpClient client, string email)
    {
        var residentId = Guid.NewGuid();
        await server.PublishAsync(new ResidentSignInKeysChanged(
            residentId, 1, ResidentIdentifierKeys.Email(email, Secret), null, null, "nl", server.Time.GetUtcNow()));
        await Eventually.MatchesAsync(
            () => server.QueryScalarAsync<long>("SELECT count(*) FROM resident_sign_in_keys WHERE resident_id = @Id", new { Id = residentId }),
            count => count == 1, $"the token server to know resident {residentId}");
        var requested = await (await client.PostAsJsonAsync("/v1/sign-in/codes", new { emailAddress = email }, Cancel)).ReadJsonAsync(HttpStatusCode.Accepted);
        var challengeId = requested.GetProperty("challengeId").GetGuid();
        var code = (await server.SentCodeAsync(challengeId)).Code;
        return await (await client.RequestTokenAsync(
                ("grant_type", ResidentGrants.SignInCode), ("client_id", Portal), ("scope", "resident"),
                ("challenge_id", challengeId.ToString()), ("code", code)))
            .ReadJsonAsync(HttpStatusCode.OK);
    }

    private static Task<HttpResponseMessage> RefreshAsync(HttpClient client, string refreshToken) =>
        client.RequestTokenAsync(("grant_type", "refresh_token"), ("client_id", Portal), ("refresh_token", refreshToken));

    private static async Task<List<string>> PublishedKeyIdsAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/.well-known/jwks", UriKind.Relative), Cancel);
        return [.. (await response.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("keys").EnumerateArray().Select(key => key.GetProperty("kid").GetString()!)];
    }

    /// <summary>The key that signs now: the kid of a token for the platform operator.</summary>
    private static async Task<string> SigningKeyIdAsync(HttpClient client)
    {
        var tokens = await (await client.RequestClientCredentialsTokenAsync(
            Participatie.PartnerCoordination.Identity.TokenServer.PlatformOperatorClientId, Participatie.Testing.TokenServer.PlatformOperatorSecret))
            .ReadJsonAsync(HttpStatusCode.OK);
        return new JsonWebToken(tokens.GetProperty("access_token").GetString()!).Kid;
    }
}
