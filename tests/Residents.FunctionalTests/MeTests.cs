using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Participatie.Contracts;
using Participatie.Residents.Registry;
using Participatie.Testing;

namespace Participatie.Residents.FunctionalTests;

/// <summary>
/// The resident's own settings under /v1/me, with a resident token signed by the real token server's key (the
/// sign-in itself is helper A's and has its own tests).
/// </summary>
public sealed class MeTests(ResidentsService service, PlatformContainers containers)
    : IClassFixture<ResidentsService>, IAsyncLifetime
{
    private TestPartner _partner = null!;
    private HttpClient _partnerClient = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _partner = await containers.TokenServer.RegisterPartnerAsync("housing-corporation");
        _partnerClient = _partner.Authorize(service.CreateClient());
    }

    public ValueTask DisposeAsync()
    {
        _partnerClient.Dispose();
        return ValueTask.CompletedTask;
    }

    private HttpClient AsResident(Guid residentId) =>
        TokenServer.Authorized(service.CreateClient(), containers.TokenServer.IssueResidentToken(residentId));

    [Fact]
    public async Task A_resident_reads_their_own_data_only_and_the_read_is_logged()
    {
        var anna = await RegistryTests.RegisterAsync(_partnerClient, TestData.NewAddress(), fullName: "Anna de Vries", email: "anna@example.org");
        var bert = await RegistryTests.RegisterAsync(_partnerClient, TestData.NewAddress(), fullName: "Bert Bakker", email: "bert@example.org");
        using var asAnna = AsResident(anna);

        var me = await asAnna.GetFromJsonAsync<JsonElement>("/v1/me", Cancel);
        Assert.Equal(anna, me.GetProperty("id").GetGuid());
        Assert.Equal("Anna de Vries", me.GetProperty("fullName").GetString());
        Assert.Equal("anna@example.org", me.GetProperty("emailAddress").GetString());
        Assert.Equal("participation", Assert.Single(me.GetProperty("consents").EnumerateArray()).GetProperty("purpose").GetString());
        Assert.DoesNotContain("Bert", me.GetRawText(), StringComparison.Ordinal);

        // No route of a resident token names another resident: the partner routes refuse it (403), and a forged
        // subject is simply someone else's own view, which Bert's token gives Bert only.
        await (await asAnna.GetAsync($"/v1/residents/{bert}", Cancel)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await asAnna.GetAsync("/v1/residents", Cancel)).AssertProblemAsync(HttpStatusCode.Forbidden);
        using var asBert = AsResident(bert);
        Assert.Equal("Bert Bakker", (await asBert.GetFromJsonAsync<JsonElement>("/v1/me", Cancel)).GetProperty("fullName").GetString());
        // A partner's token does not open /v1/me; an unknown resident's token finds nothing.
        await (await _partnerClient.GetAsync("/v1/me", Cancel)).AssertProblemAsync(HttpStatusCode.Forbidden);
        using var asNobody = AsResident(Guid.NewGuid());
        await (await asNobody.GetAsync("/v1/me", Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);

        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        var log = await connection.QuerySingleAsync<(string Action, string AccessedBy, string Purpose)>(
            "SELECT action, accessed_by, purpose FROM personal_data_access_log WHERE resident_id = @Id ORDER BY id DESC LIMIT 1", new { Id = anna });
        Assert.Equal(("read", $"resident {anna} (client resident-portal)", "own data"), log);
    }

    [Fact]
    public async Task Preferences_and_consents_of_the_resident_are_stored_and_published()
    {
        var id = await RegistryTests.RegisterAsync(_partnerClient, TestData.NewAddress());
        using var asResident = AsResident(id);

        await (await asResident.PutAsJsonAsync("/v1/me/preferences", new { preferredLanguage = "pl", preferredChannel = "sms", digestFrequency = "daily" }, Cancel))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "preferredChannel");
        await (await asResident.PutAsJsonAsync("/v1/me/preferences", new { preferredLanguage = "pl", preferredChannel = "email", digestFrequency = "daily", quietHoursStart = "25:00", quietHoursEnd = "07:00" }, Cancel))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "quietHoursStart");

        var saved = await asResident.PutAsJsonAsync(
            "/v1/me/preferences", new { preferredLanguage = "pl", preferredChannel = "email", digestFrequency = "weekly", quietHoursStart = "22:30", quietHoursEnd = "07:00" }, Cancel);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var me = await saved.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal("pl", me.GetProperty("preferredLanguage").GetString());
        Assert.Equal("22:30", me.GetProperty("quietHoursStart").GetString());

        var consents = await asResident.PutAsJsonAsync("/v1/me/consents/newsletter", new { given = true }, Cancel);
        var newsletter = (await consents.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("current").EnumerateArray()
            .Single(consent => consent.GetProperty("purpose").GetString() == "newsletter");
        Assert.Equal("resident-portal", newsletter.GetProperty("channel").GetString());

        var snapshot = (await RegistryTests.OutboxAsync(containers, "ResidentProfileChanged", id))[^1];
        Assert.Equal(3, snapshot.GetProperty("version").GetInt64());
        Assert.Equal("pl", snapshot.GetProperty("preferredLanguage").GetString());
        Assert.Equal("weekly", snapshot.GetProperty("digestFrequency").GetString());
        Assert.Equal("22:30:00", snapshot.GetProperty("quietHoursStart").GetString());
        Assert.Equal(["newsletter", "participation"], snapshot.GetProperty("consents").EnumerateArray().Select(purpose => purpose.GetString()));
    }

    [Fact]
    public async Task A_new_e_mail_address_replaces_the_old_once_confirmed_with_its_code()
    {
        var id = await RegistryTests.RegisterAsync(_partnerClient, TestData.NewAddress(), email: "old@example.org");
        using var asResident = AsResident(id);

        await (await asResident.PostAsJsonAsync("/v1/me/contact-details", new { emailAddress = "not-an-address" }, Cancel))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "emailAddress");
        var requested = await asResident.PostAsJsonAsync("/v1/me/contact-details", new { emailAddress = "New@Example.org" }, Cancel);
        Assert.Equal(HttpStatusCode.Accepted, requested.StatusCode);
        var confirmationId = (await requested.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("confirmationId").GetGuid();
        var code = await CodeAsync(confirmationId);

        // Notifications fetches the pending address by confirmation id to send the code (and the old one stays in use).
        using var notifications = TokenServer.Authorized(service.CreateClient(), await containers.TokenServer.GetNotificationsTokenAsync());
        var pending = await notifications.GetFromJsonAsync<JsonElement>($"/internal/v1/residents/{id}/contact-details/email?confirmationId={confirmationId}", Cancel);
        Assert.Equal("New@Example.org", pending.GetProperty("emailAddress").GetString());
        await (await notifications.GetAsync($"/internal/v1/residents/{id}/contact-details/email?confirmationId={Guid.NewGuid()}", Cancel))
            .AssertProblemAsync(HttpStatusCode.NotFound);

        // Another resident cannot use this confirmation, not even with the right code.
        using var asOther = AsResident(await RegistryTests.RegisterAsync(_partnerClient, TestData.NewAddress()));
        await (await asOther.PostAsJsonAsync($"/v1/me/contact-details/confirmations/{confirmationId}", new { code }, Cancel))
            .AssertProblemAsync(HttpStatusCode.NotFound);

        var wrong = await asResident.PostAsJsonAsync($"/v1/me/contact-details/confirmations/{confirmationId}", new { code = WrongCode(code) }, Cancel);
        await wrong.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "code");
        var confirmed = await asResident.PostAsJsonAsync($"/v1/me/contact-details/confirmations/{confirmationId}", new { code }, Cancel);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal("New@Example.org", (await confirmed.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("emailAddress").GetString());

        // Used once: the pending address is no longer disclosed, and the new one is the resident's address.
        await (await notifications.GetAsync($"/internal/v1/residents/{id}/contact-details/email?confirmationId={confirmationId}", Cancel))
            .AssertProblemAsync(HttpStatusCode.NotFound);
        await (await asResident.PostAsJsonAsync($"/v1/me/contact-details/confirmations/{confirmationId}", new { code }, Cancel))
            .AssertProblemAsync(HttpStatusCode.Conflict);
        var keys = await RegistryTests.OutboxAsync(containers, "ResidentSignInKeysChanged", id);
        Assert.NotEqual(keys[0].GetProperty("emailKey").GetString(), keys[^1].GetProperty("emailKey").GetString());
        Assert.DoesNotContain("example.org", keys[^1].GetRawText(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_partners_new_e_mail_address_serves_delivery_but_opens_sign_in_only_once_the_resident_confirms_it()
    {
        var id = await RegistryTests.RegisterAsync(_partnerClient, TestData.NewAddress(), email: "own@example.org");
        var secret = service.Services.GetRequiredService<ResidentIdentifierSecret>().Key;
        var registered = (await RegistryTests.OutboxAsync(containers, "ResidentSignInKeysChanged", id))[^1];
        Assert.Equal(ResidentIdentifierKeys.Email("own@example.org", secret), registered.GetProperty("emailKey").GetString());

        // A partner (or whoever holds its token) changes the e-mail address: sign-in codes must not follow it.
        var patched = await _partnerClient.PatchAsJsonAsync($"/v1/residents/{id}", new { email = "taken-over@example.org" }, Cancel);
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var withdrawn = (await RegistryTests.OutboxAsync(containers, "ResidentSignInKeysChanged", id))[^1];
        Assert.Equal(JsonValueKind.Null, withdrawn.GetProperty("emailKey").ValueKind);
        Assert.Equal(registered.GetProperty("homeKey").GetString(), withdrawn.GetProperty("homeKey").GetString());
        // Delivery uses the new address all the same.
        using var notifications = TokenServer.Authorized(service.CreateClient(), await containers.TokenServer.GetNotificationsTokenAsync());
        var delivery = await notifications.GetFromJsonAsync<JsonElement>($"/internal/v1/residents/{id}/contact-details/email?notificationId={Guid.NewGuid()}", Cancel);
        Assert.Equal("taken-over@example.org", delivery.GetProperty("emailAddress").GetString());
        // Another partner change does not bring it back.
        await _partnerClient.PatchAsJsonAsync($"/v1/residents/{id}", new { fullName = "Anna de Vries-Jansen" }, Cancel);
        Assert.Equal(JsonValueKind.Null, (await RegistryTests.OutboxAsync(containers, "ResidentSignInKeysChanged", id))[^1].GetProperty("emailKey").ValueKind);

        // The resident confirms an address themselves: that one opens sign-in again.
        using var asResident = AsResident(id);
        var requested = await asResident.PostAsJsonAsync("/v1/me/contact-details", new { emailAddress = "mine@example.org" }, Cancel);
        var confirmationId = (await requested.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("confirmationId").GetGuid();
        var confirmed = await asResident.PostAsJsonAsync(
            $"/v1/me/contact-details/confirmations/{confirmationId}", new { code = await CodeAsync(confirmationId) }, Cancel);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        var reopened = (await RegistryTests.OutboxAsync(containers, "ResidentSignInKeysChanged", id))[^1];
        Assert.Equal(ResidentIdentifierKeys.Email("mine@example.org", secret), reopened.GetProperty("emailKey").GetString());
    }

    [Fact]
    public async Task Five_wrong_codes_lock_the_change_for_fifteen_minutes()
    {
        var id = await RegistryTests.RegisterAsync(_partnerClient, TestData.NewAddress());
        using var asResident = AsResident(id);
        var requested = await asResident.PostAsJsonAsync("/v1/me/contact-details", new { phoneNumber = "06 1111 2222" }, Cancel);
        var confirmationId = (await requested.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("confirmationId").GetGuid();
        var code = await CodeAsync(confirmationId);

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            var wrong = await asResident.PostAsJsonAsync($"/v1/me/contact-details/confirmations/{confirmationId}", new { code = WrongCode(code) }, Cancel);
            await wrong.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "code");
        }

        var fifth = await asResident.PostAsJsonAsync($"/v1/me/contact-details/confirmations/{confirmationId}", new { code = WrongCode(code) }, Cancel);
        await fifth.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal(TimeSpan.FromMinutes(15), fifth.Headers.RetryAfter?.Delta);

        // Locked: the right code no longer helps, and a new address cannot start over.
        var right = await asResident.PostAsJsonAsync($"/v1/me/contact-details/confirmations/{confirmationId}", new { code }, Cancel);
        await right.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.True(right.Headers.RetryAfter?.Delta is { TotalSeconds: > 800 and <= 900 });
        await (await asResident.PostAsJsonAsync("/v1/me/contact-details", new { phoneNumber = "0633334444" }, Cancel))
            .AssertProblemAsync(HttpStatusCode.TooManyRequests);
        var me = await asResident.GetFromJsonAsync<JsonElement>("/v1/me", Cancel);
        Assert.Equal(JsonValueKind.Null, me.GetProperty("phoneNumber").ValueKind);
    }

    [Fact]
    public async Task The_public_address_lookup_names_the_buurt_and_nothing_about_residents()
    {
        var address = TestData.NewAddress(21);
        await RegistryTests.RegisterAsync(_partnerClient, address, buurtCode: "BU91631234");
        await RegistryTests.RegisterAsync(_partnerClient, address with { HouseNumber = 41 }, buurtCode: "BU91635678", email: "elders@example.org");
        using var anonymous = service.CreateClient();

        var found = await anonymous.GetAsync($"/v1/public/addresses?postcode={Uri.EscapeDataString(address.Postcode.ToLowerInvariant())}&houseNumber=21", Cancel);
        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        var body = await found.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal("BU91631234", body.GetProperty("buurtCode").GetString());
        Assert.Equal(address.Postcode.Replace(" ", string.Empty, StringComparison.Ordinal), body.GetProperty("postcode").GetString());
        Assert.Equal(["postcode", "houseNumber", "houseNumberSuffix", "buurtCode"], body.EnumerateObject().Select(property => property.Name));

        // A home nobody registered answers just like a registered one: the buurt of the nearest known house number
        // with that postcode. So the answer never tells whether someone at that home is known.
        var unregistered = await anonymous.GetAsync($"/v1/public/addresses?postcode={Uri.EscapeDataString(address.Postcode)}&houseNumber=22", Cancel);
        Assert.Equal(HttpStatusCode.OK, unregistered.StatusCode);
        var nearest = await unregistered.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal("BU91631234", nearest.GetProperty("buurtCode").GetString());
        Assert.Equal(22, nearest.GetProperty("houseNumber").GetInt32());
        Assert.Equal("BU91635678", (await anonymous.GetFromJsonAsync<JsonElement>(
            $"/v1/public/addresses?postcode={Uri.EscapeDataString(address.Postcode)}&houseNumber=38&houseNumberSuffix=a", Cancel)).GetProperty("buurtCode").GetString());

        // Only a postcode with no known address at all is unknown.
        await (await anonymous.GetAsync($"/v1/public/addresses?postcode={Uri.EscapeDataString(TestData.NewPostcode())}&houseNumber=21", Cancel))
            .AssertProblemAsync(HttpStatusCode.NotFound);
        await (await anonymous.GetAsync("/v1/public/addresses?postcode=0000&houseNumber=1", Cancel))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "postcode");
    }

    private async Task<string> CodeAsync(Guid confirmationId)
    {
        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        var payload = await connection.QuerySingleAsync<string>(
            "SELECT payload::text FROM outbox_messages WHERE message_type LIKE 'Participatie.Contracts.ContactConfirmationRequested%' AND payload->>'confirmationId' = @Id",
            new { Id = confirmationId.ToString() });
        var code = JsonDocument.Parse(payload).RootElement.GetProperty("code").GetString()!;
        Assert.Matches("^[0-9]{6}$", code);
        return code;
    }

    private static string WrongCode(string code) => code == "000000" ? "111111" : "000000";
}
