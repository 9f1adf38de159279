using System.Net;
using System.Security.Cryptography;
using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Participatie.BuildingBlocks.DataProtection;
using Participatie.Testing;
using static Participatie.PartnerCoordination.FunctionalTests.Calls;

namespace Participatie.PartnerCoordination.FunctionalTests;

/// <summary>
/// Issue 13: two replicas of the service (two hosts on one database of their own) share one Data Protection key ring,
/// kept in that database and encrypted there: what one protects (a payload, the antiforgery token of the sign-in
/// form, the sign-in cookie) the other reads. Before, each replica made a key ring of its own and refused the other's
/// cookies.
/// </summary>
public sealed class SharedKeyRingTests(PlatformContainers containers) : IAsyncLifetime
{
    private string _database = null!;
    private ServiceFactory<EntryPoint> _first = null!;
    private ServiceFactory<EntryPoint> _second = null!;

    public async ValueTask InitializeAsync()
    {
        var name = $"key_ring_{Guid.NewGuid():N}"[..30];
        await using (var admin = new NpgsqlConnection(containers.Postgres.GetConnectionString()))
        {
            await admin.ExecuteAsync($"CREATE DATABASE {name}");
        }

        _database = new NpgsqlConnectionStringBuilder(containers.Postgres.GetConnectionString()) { Database = name }.ConnectionString;
        _first = new ServiceFactory<EntryPoint>("partnersdb", _database, containers.RabbitMq.GetConnectionString());
        _second = new ServiceFactory<EntryPoint>("partnersdb", _database, containers.RabbitMq.GetConnectionString());
        // One after the other, as a rolling start does; both run their migrations under the same lock.
        _ = _first.Services;
        _ = _second.Services;
    }

    public async ValueTask DisposeAsync()
    {
        await _second.DisposeAsync();
        await _first.DisposeAsync();
    }

    private static IDataProtector Protector(ServiceFactory<EntryPoint> host) =>
        host.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("shared key ring test");

    [Fact]
    public async Task A_payload_protected_by_one_replica_is_read_by_the_other_and_the_ring_is_stored_encrypted()
    {
        var fromFirst = Protector(_first).Protect("van de eerste");
        Assert.Equal("van de eerste", Protector(_second).Unprotect(fromFirst));
        var fromSecond = Protector(_second).Protect("van de tweede");
        Assert.Equal("van de tweede", Protector(_first).Unprotect(fromSecond));

        // One key, in the database, and no key material readable there.
        await using var connection = new NpgsqlConnection(_database);
        var stored = (await connection.QueryAsync<string>("SELECT xml FROM data_protection_keys")).ToList();
        var key = XElement.Parse(Assert.Single(stored));
        Assert.Equal("key", key.Name.LocalName);
        Assert.DoesNotContain("masterKey", stored[0], StringComparison.Ordinal);
        var sealedDescriptor = Assert.Single(key.Descendants(KeyRingEncryptor.ElementName));

        // The stored element opens only with the key-encryption key the service derives, not with another one.
        Assert.Contains("masterKey", new KeyRingDecryptor(_first.Services).Decrypt(sealedDescriptor).ToString(), StringComparison.Ordinal);
        var otherKey = new ServiceCollection().AddSingleton(new KeyRingEncryptionKey(new string('x', 40), "test")).BuildServiceProvider();
        Assert.ThrowsAny<CryptographicException>(() => new KeyRingDecryptor(otherKey).Decrypt(sealedDescriptor));
    }

    [Fact]
    public async Task A_staff_member_signs_in_across_replicas_with_the_form_of_one_and_the_cookie_of_the_other()
    {
        var web = await StaffWebSignIn.StartAsync(_first, TokenServer.For(_first));
        var (_, email) = await web.AddStaffAsync();
        // One browser (one cookie jar) whose requests a load balancer sends to either replica.
        var cookies = new CookieContainer();
        using var toFirst = _first.CreateDefaultClient(new CookieContainerHandler(cookies));
        using var toSecond = _second.CreateDefaultClient(new CookieContainerHandler(cookies));
        var (_, challenge) = StaffWebSignIn.Pkce();

        var toSignIn = await toFirst.GetAsync(web.AuthorizeUrl(challenge), Cancel);
        Assert.Equal(HttpStatusCode.Redirect, toSignIn.StatusCode);
        // The form (and its antiforgery cookie) from the second, posted to the first.
        var form = await (await toSecond.GetAsync(toSignIn.Headers.Location, Cancel)).Content.ReadAsStringAsync(Cancel);
        var signedIn = await StaffWebSignIn.PostSignInAsync(toFirst, form, email, StaffWebSignIn.Password);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);

        // The sign-in cookie the first issued is read by the second: it hands out the code without asking again.
        var code = await web.AuthorizeSignedInAsync(toSecond, challenge);
        Assert.False(string.IsNullOrEmpty(code));
    }
}
