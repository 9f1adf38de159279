using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Npgsql;
using Participatie.PartnerCoordination.Identity;
using Participatie.Testing;
using static Participatie.PartnerCoordination.FunctionalTests.Calls;

namespace Participatie.PartnerCoordination.FunctionalTests;

/// <summary>
/// The token server's signing keys: encrypted at rest, and rotated on the token server's own clock with the default
/// schedule (a key signs 30 days, its successor is published a day before it signs, the replaced key stays published
/// 70 minutes, longer than any access token lives, and stored for the token server's own refresh tokens 8 hours more). The key-encryption key rotates too. Each test's token server has a
/// database and broker virtual host of its own, so that it takes no other test's messages.
/// </summary>
public sealed class TokenKeyRotationTests(PlatformContainers containers) : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Start);
    private string _database = null!;
    private ServiceFactory<EntryPoint> _service = null!;
    private HttpClient _client = null!;

    /// <summary>A key-encryption key that replaces the tests' own (<see cref="ServiceFactory{T}.TokenKeyEncryptionKey"/>).</summary>
    private const string NextKeyEncryptionKey = "next-token-key-encryption-key-0123456789";

    public async ValueTask InitializeAsync()
    {
        var name = $"token_keys_{Guid.NewGuid():N}"[..30];
        await using (var admin = new NpgsqlConnection(containers.Postgres.GetConnectionString()))
        {
            await admin.ExecuteAsync($"CREATE DATABASE {name}");
        }

        foreach (var command in new[] { new[] { "rabbitmqctl", "add_vhost", name }, ["rabbitmqctl", "set_permissions", "-p", name, "participatie", ".*", ".*", ".*"] })
        {
            var result = await containers.RabbitMq.ExecAsync(command, Cancel);
            Assert.True(result.ExitCode == 0, $"{string.Join(' ', command)}: {result.Stderr}");
        }

        _database = new NpgsqlConnectionStringBuilder(containers.Postgres.GetConnectionString()) { Database = name }.ConnectionString;
        var broker = new UriBuilder(containers.RabbitMq.GetConnectionString()) { Path = "/" + name }.Uri.ToString();
        _service = new ServiceFactory<EntryPoint>("partnersdb", _database, broker, clock: _clock);
        _client = _service.CreateClient();
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _service.DisposeAsync();
    }

    [Fact]
    public async Task A_new_key_is_published_a_day_before_it_signs_and_the_old_one_stays_until_its_tokens_expired()
    {
        var first = await SigningKeyIdAsync();
        Assert.Equal([first], await PublishedKeyIdsAsync());

        // A day before the first key's 30 days are up, the rotation job publishes the next key; the first still signs.
        _clock.Advance(TimeSpan.FromDays(29) + TimeSpan.FromMinutes(1));
        var published = await Eventually.MatchesAsync(PublishedKeyIdsAsync, keys => keys.Count == 2, "the next key to be published");
        var next = Assert.Single(published, key => key != first);
        Assert.Equal(first, await SigningKeyIdAsync());

        // From the end of the period the next key signs; the first stays published for the tokens it signed.
        _clock.Advance(TimeSpan.FromDays(1));
        await Eventually.MatchesAsync(SigningKeyIdAsync, key => key == next, "the next key to sign");
        Assert.Equal(new[] { first, next }.Order(StringComparer.Ordinal), (await PublishedKeyIdsAsync()).Order(StringComparer.Ordinal));

        // The first key signs no more: the round that retires it erases its private part and keeps the public part,
        // which the key set goes on publishing unchanged, and the next key goes on signing.
        await using var connection = new NpgsqlConnection(_database);
        var publishedFirst = (await KeySetAsync()).GetProperty("keys").EnumerateArray().Single(key => key.GetProperty("kid").GetString() == first).GetProperty("n").GetString();
        var erased = await Eventually.MatchesAsync(
            () => connection.QuerySingleAsync<(string? PrivateKey, string? ProtectedPrivateKey, string? PublicKey)>(
                "SELECT private_key, protected_private_key, public_key FROM token_keys WHERE id = @Id", new { Id = first }),
            row => row.PrivateKey is null && row.ProtectedPrivateKey is null,
            "the replaced key's private part to be erased");
        using (var publicPart = RSA.Create())
        {
            publicPart.ImportSubjectPublicKeyInfo(Convert.FromBase64String(erased.PublicKey!), out _);
            Assert.Equal(publishedFirst, Base64UrlEncoder.Encode(publicPart.ExportParameters(false).Modulus));
        }

        Assert.Equal(new[] { first, next }.Order(StringComparer.Ordinal), (await PublishedKeyIdsAsync()).Order(StringComparer.Ordinal));
        Assert.Equal(next, await SigningKeyIdAsync());
        Assert.Equal(next, await SigningKeyIdOfAsync(_service.WithWebHostBuilder(_ => { })));
        Assert.NotNull(await connection.ExecuteScalarAsync<string>("SELECT protected_private_key FROM token_keys WHERE id = @Id", new { Id = next }));

        // Once the first key's last access token has expired, it leaves the key set; the token server keeps it for the
        // refresh tokens it signed (8 hours), and then deletes it.
        _clock.Advance(TimeSpan.FromMinutes(71));
        await Eventually.MatchesAsync(PublishedKeyIdsAsync, keys => keys.Count == 1 && keys[0] == next, "the replaced key to leave the key set");
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM token_keys WHERE id = @Id", new { Id = first }));
        _clock.Advance(new TokenKeyOptions().KeptForRefreshTokens - TimeSpan.FromMinutes(70));
        await Eventually.MatchesAsync(
            () => connection.ExecuteScalarAsync<int>("SELECT count(*) FROM token_keys WHERE id = @Id", new { Id = first }),
            count => count == 0,
            "the replaced key to be deleted");
    }

    [Fact]
    public async Task Keys_are_stored_encrypted_and_a_key_stored_in_plain_form_is_encrypted_once_the_service_meets_it()
    {
        var signingKeyId = await SigningKeyIdAsync();
        await using var connection = new NpgsqlConnection(_database);
        var (plain, sealedKey) = await connection.QuerySingleAsync<(string?, string)>(
            "SELECT private_key, protected_private_key FROM token_keys WHERE id = @Id", new { Id = signingKeyId });
        Assert.Null(plain);
        // v2:<key-encryption key id>:<sealed key>, the id naming the tests' key-encryption key.
        Assert.StartsWith($"v2:{new TokenKeyProtector(ServiceFactory<EntryPoint>.TokenKeyEncryptionKey).CurrentKeyId}:", sealedKey, StringComparison.Ordinal);
        using (var rsa = RSA.Create())
        {
            Assert.ThrowsAny<CryptographicException>(() => rsa.ImportPkcs8PrivateKey(Convert.FromBase64String(sealedKey[(sealedKey.LastIndexOf(':') + 1)..]), out _));
        }

        // Another key-encryption key opens nothing; the configured one opens the key the key set publishes.
        Assert.ThrowsAny<CryptographicException>(() =>
            new TokenKeyProtector("another key-encryption key, 0123456789abcdef").Unprotect(signingKeyId, sealedKey));
        Assert.ThrowsAny<CryptographicException>(() =>
            new TokenKeyProtector(ServiceFactory<EntryPoint>.TokenKeyEncryptionKey).Unprotect("another-key-id", sealedKey));
        using var opened = RSA.Create();
        opened.ImportPkcs8PrivateKey(
            new TokenKeyProtector(ServiceFactory<EntryPoint>.TokenKeyEncryptionKey).Unprotect(signingKeyId, sealedKey), out _);
        var published = (await KeySetAsync()).GetProperty("keys").EnumerateArray().Single(key => key.GetProperty("kid").GetString() == signingKeyId);
        Assert.Equal(Base64UrlEncoder.Encode(opened.ExportParameters(false).Modulus), published.GetProperty("n").GetString());
        Assert.Equal("RS256", published.GetProperty("alg").GetString());
        Assert.False(published.TryGetProperty("d", out _));

        // A key from before encryption at rest (migration 0020 leaves such rows): the service encrypts it when it next
        // reads the keys or rotates them, whichever comes first.
        // Scheduled to sign later, as the next one is: an older key, replaced, would keep only its public part.
        using var legacy = RSA.Create(2048);
        await connection.ExecuteAsync(
            "INSERT INTO token_keys (id, purpose, private_key, signs_from) VALUES ('signing-legacy', 'signing', @Key, @SignsFrom)",
            new { Key = Convert.ToBase64String(legacy.ExportPkcs8PrivateKey()), SignsFrom = Start.AddDays(20) });
        // And a key encrypted before key-encryption keys had ids ("v1:", as databases deployed before hold them): it
        // opens with the configured key-encryption key and is wrapped again in the current form.
        using var v1 = RSA.Create(2048);
        await connection.ExecuteAsync(
            "INSERT INTO token_keys (id, purpose, protected_private_key, signs_from) VALUES ('signing-v1', 'signing', @Sealed, @SignsFrom)",
            // Scheduled to sign later: an older key, replaced, would be deleted in this same round.
            new { Sealed = SealedInVersion1("signing-v1", v1.ExportPkcs8PrivateKey()), SignsFrom = Start.AddDays(10) });
        _clock.Advance(TimeSpan.FromHours(1));
        var protector = new TokenKeyProtector(ServiceFactory<EntryPoint>.TokenKeyEncryptionKey);
        await Eventually.MatchesAsync(
            async () => (await connection.QueryAsync<(string, string?, string?)>(
                "SELECT id, private_key, protected_private_key FROM token_keys WHERE id IN ('signing-legacy', 'signing-v1')")).ToList(),
            rows => rows.Count == 2 && rows.All(row => row.Item2 is null && row.Item3 is { } stored && protector.IsWrappedWithCurrentKey(stored)),
            "the plain and the v1 key to be wrapped in the current form");
        var rewrapped = await connection.ExecuteScalarAsync<string>("SELECT protected_private_key FROM token_keys WHERE id = 'signing-v1'");
        Assert.Equal(v1.ExportPkcs8PrivateKey(), protector.Unprotect("signing-v1", rewrapped!));
        // Both got their public part (stored before migration 0025 recorded it), for when they are replaced.
        Assert.Equal(
            v1.ExportSubjectPublicKeyInfo(),
            Convert.FromBase64String((await connection.ExecuteScalarAsync<string>("SELECT public_key FROM token_keys WHERE id = 'signing-v1'"))!));
        Assert.Equal(
            legacy.ExportSubjectPublicKeyInfo(),
            Convert.FromBase64String((await connection.ExecuteScalarAsync<string>("SELECT public_key FROM token_keys WHERE id = 'signing-legacy'"))!));
    }

    /// <summary>
    /// The "v1:" form written before key-encryption keys rotated (AES-256-GCM, key from HKDF over the tests'
    /// key-encryption key, the key id as associated data, no key-encryption key id), as a deployed database holds it.
    /// </summary>
    private static string SealedInVersion1(string keyId, byte[] privateKey)
    {
        var key = HKDF.DeriveKey(
            HashAlgorithmName.SHA256, System.Text.Encoding.UTF8.GetBytes(ServiceFactory<EntryPoint>.TokenKeyEncryptionKey), 32, salt: [],
            info: System.Text.Encoding.UTF8.GetBytes("participatie token keys v1"));
        var sealedKey = new byte[12 + 16 + privateKey.Length];
        RandomNumberGenerator.Fill(sealedKey.AsSpan(0, 12));
        using var aes = new AesGcm(key, 16);
        aes.Encrypt(sealedKey.AsSpan(0, 12), privateKey, sealedKey.AsSpan(28), sealedKey.AsSpan(12, 16), System.Text.Encoding.UTF8.GetBytes(keyId));
        return "v1:" + Convert.ToBase64String(sealedKey);
    }

    [Fact]
    public async Task A_new_key_encryption_key_rewraps_every_stored_key_and_the_keys_and_their_tokens_stay_the_same()
    {
        var signingKeyId = await SigningKeyIdAsync();
        var tokenBefore = await Participatie.Testing.TokenServer.For(_service).GetOperatorTokenAsync();
        await using var connection = new NpgsqlConnection(_database);
        var keyIds = (await connection.QueryAsync<string>("SELECT id FROM token_keys ORDER BY id")).ToList();
        Assert.Contains(keyIds, id => id.StartsWith("encryption-", StringComparison.Ordinal));
        var previous = new TokenKeyProtector(ServiceFactory<EntryPoint>.TokenKeyEncryptionKey);
        var next = new TokenKeyProtector(NextKeyEncryptionKey);

        // The operator configures the next key-encryption key and keeps the current one as a previous one: an
        // instance started so re-wraps every stored key with the next one at its start.
        var rotated = _service.WithWebHostBuilder(builder => builder
            .UseSetting(TokenKeyProtector.ConfigurationKey, NextKeyEncryptionKey)
            .UseSetting($"{TokenKeyProtector.PreviousKeysConfigurationKey}:0", ServiceFactory<EntryPoint>.TokenKeyEncryptionKey));
        using var rotatedClient = rotated.CreateClient();
        await Eventually.MatchesAsync(
            async () => (await connection.QueryAsync<string>("SELECT protected_private_key FROM token_keys")).ToList(),
            stored => stored.All(next.IsWrappedWithCurrentKey),
            "every key to be wrapped with the next key-encryption key");

        // The same keys, each now opened by the next key-encryption key and no longer by the previous one.
        Assert.Equal(keyIds, (await connection.QueryAsync<string>("SELECT id FROM token_keys ORDER BY id")).ToList());
        foreach (var (id, stored) in await connection.QueryAsync<(string, string)>("SELECT id, protected_private_key FROM token_keys"))
        {
            using var rsa = RSA.Create();
            rsa.ImportPkcs8PrivateKey(next.Unprotect(id, stored), out _);
            Assert.ThrowsAny<CryptographicException>(() => previous.Unprotect(id, stored));
        }

        // Tokens signed before go on working, and the same key goes on signing; an instance that knows only the next
        // key-encryption key works as well, so the previous one can leave the configuration.
        using (var asOperator = Participatie.Testing.TokenServer.Authorized(rotated.CreateClient(), tokenBefore))
        {
            Assert.Equal(HttpStatusCode.OK, (await asOperator.GetAsync(new Uri("/v1/partners", UriKind.Relative), Cancel)).StatusCode);
        }

        Assert.Equal(signingKeyId, await SigningKeyIdOfAsync(rotated));
        var nextOnly = _service.WithWebHostBuilder(builder => builder.UseSetting(TokenKeyProtector.ConfigurationKey, NextKeyEncryptionKey));
        Assert.Equal(signingKeyId, await SigningKeyIdOfAsync(nextOnly));
    }

    /// <summary>The key that signs an operator's token issued now by another instance on the same database.</summary>
    private static async Task<string> SigningKeyIdOfAsync(WebApplicationFactory<EntryPoint> instance)
    {
        using var client = instance.CreateClient();
        var tokens = await (await client.RequestClientCredentialsTokenAsync(
            Participatie.PartnerCoordination.Identity.TokenServer.PlatformOperatorClientId, Participatie.Testing.TokenServer.PlatformOperatorSecret))
            .ReadJsonAsync(HttpStatusCode.OK);
        return new JsonWebToken(tokens.GetProperty("access_token").GetString()!).Kid;
    }

    private async Task<JsonElement> KeySetAsync()
    {
        using var response = await _client.GetAsync(new Uri("/.well-known/jwks", UriKind.Relative), Cancel);
        return await response.ReadJsonAsync(HttpStatusCode.OK);
    }

    private async Task<List<string>> PublishedKeyIdsAsync() =>
        [.. (await KeySetAsync()).GetProperty("keys").EnumerateArray().Select(key => key.GetProperty("kid").GetString()!)];

    /// <summary>The key that signs an access token issued now (the operator's, by client credentials).</summary>
    private async Task<string> SigningKeyIdAsync()
    {
        var token = await Participatie.Testing.TokenServer.For(_service).GetOperatorTokenAsync();
        return new JsonWebToken(token).Kid;
    }
}
