using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Participatie.Testing;

namespace Participatie.Residents.FunctionalTests;

/// <summary>The partner side of the registry: the matching rule, update, move, list and consent (issue 9, part 3).</summary>
public sealed class RegistryTests(ResidentsService service, PlatformContainers containers)
    : IClassFixture<ResidentsService>, IAsyncLifetime
{
    private TestPartner _corporation = null!;
    private TestPartner _municipality = null!;
    private HttpClient _corporationClient = null!;
    private HttpClient _municipalityClient = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _corporation = await containers.TokenServer.RegisterPartnerAsync("housing-corporation");
        _municipality = await containers.TokenServer.RegisterPartnerAsync("municipality");
        _corporationClient = _corporation.Authorize(service.CreateClient());
        _municipalityClient = _municipality.Authorize(service.CreateClient());
    }

    public ValueTask DisposeAsync()
    {
        _corporationClient.Dispose();
        _municipalityClient.Dispose();
        return ValueTask.CompletedTask;
    }

    internal static object Resident(
        TestAddress address, string? email = "anna@example.org", string? phoneNumber = null, string fullName = "Anna de Vries",
        string buurtCode = "BU91630001", string channel = "letter", int? birthYear = null) => new
    {
        fullName,
        postcode = address.Postcode,
        houseNumber = address.HouseNumber,
        buurtCode,
        email,
        phoneNumber,
        preferredLanguage = "nl",
        preferredChannel = channel,
        birthYear,
    };

    [Fact]
    public async Task A_second_partner_registering_the_same_home_and_e_mail_address_gets_the_existing_resident()
    {
        var address = TestData.NewAddress(7);
        var first = await _corporationClient.PostAsJsonAsync("/v1/residents", Resident(address, email: "Anna.Jansen@Example.org"), Cancel);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var id = (await first.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetGuid();

        // Typed differently: the postcode without its space and in lower case, the e-mail address in other case.
        var sameHome = address with { Postcode = address.Postcode.Replace(" ", string.Empty, StringComparison.Ordinal).ToLowerInvariant() };
        var second = await _municipalityClient.PostAsJsonAsync("/v1/residents", Resident(sameHome, email: "anna.JANSEN@example.ORG", fullName: "A. Jansen"), Cancel);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var matched = await second.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal(id, matched.GetProperty("id").GetGuid());
        Assert.True(matched.GetProperty("matchedExistingResident").GetBoolean());
        Assert.Equal($"/v1/residents/{id}", second.Headers.Location?.OriginalString);
        // The answer holds nothing the second partner did not send: knowing a home and an e-mail address does not
        // reveal the name, phone, birth year or first partner stored.
        Assert.Equal(["id", "matchedExistingResident"], matched.EnumerateObject().Select(property => property.Name));
        // Nothing was duplicated: the resident keeps the data first registered, and the second partner may now read it.
        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM residents WHERE postcode = @Postcode AND house_number = 7", new { Postcode = address.Postcode.Replace(" ", string.Empty, StringComparison.Ordinal) }));
        var read = await _municipalityClient.GetAsync($"/v1/residents/{id}?purpose=check", Cancel);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("Anna de Vries", (await read.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("fullName").GetString());
        var log = await _corporationClient.GetFromJsonAsync<JsonElement>($"/v1/residents/{id}/access-log", Cancel);
        Assert.Equal(["read", "linked", "registered"], log.GetProperty("items").EnumerateArray().Select(entry => entry.GetProperty("action").GetString()));
        Assert.Equal(_municipality.PartnerId, log.GetProperty("items")[1].GetProperty("partnerId").GetGuid());

        // The same home with another e-mail address is someone else (a housemate): registered anew.
        var housemate = await _municipalityClient.PostAsJsonAsync("/v1/residents", Resident(address, email: "piet@example.org"), Cancel);
        Assert.Equal(HttpStatusCode.Created, housemate.StatusCode);
        Assert.False((await housemate.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("matchedExistingResident").GetBoolean());
    }

    [Fact]
    public async Task The_other_services_learn_which_partners_registered_a_resident_so_that_only_they_see_its_id()
    {
        var address = TestData.NewAddress(9);
        var email = $"sanne-{Guid.NewGuid():N}@example.org";
        var first = await _corporationClient.PostAsJsonAsync("/v1/residents", Resident(address, email: email), Cancel);
        var id = (await first.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetGuid();
        var second = await _municipalityClient.PostAsJsonAsync("/v1/residents", Resident(address, email: email), Cancel);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);

        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        var registered = await connection.QuerySingleAsync<string>(
            "SELECT payload->>'registeredByPartnerId' FROM outbox_messages WHERE message_type LIKE 'Participatie.Contracts.ResidentRegistered,%' AND payload->>'residentId' = @Id",
            new { Id = id.ToString() });
        Assert.Equal(_corporation.PartnerId, Guid.Parse(registered));
        var linked = await connection.QuerySingleAsync<string>(
            """
            SELECT payload->>'partnerId' FROM outbox_messages
            WHERE message_type LIKE 'Participatie.Contracts.ResidentsLinkedToPartner,%' AND payload->'residentIds' ? @Id
            """,
            new { Id = id.ToString() });
        Assert.Equal(_municipality.PartnerId, Guid.Parse(linked));
    }

    [Fact]
    public async Task The_same_phone_number_written_nationally_or_internationally_matches_but_not_at_another_home()
    {
        var address = TestData.NewAddress(3);
        var first = await _corporationClient.PostAsJsonAsync("/v1/residents", Resident(address, email: null, phoneNumber: "06 1234 5678"), Cancel);
        var id = (await first.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetGuid();

        var second = await _municipalityClient.PostAsJsonAsync("/v1/residents", Resident(address, email: "other@example.org", phoneNumber: "+31612345678"), Cancel);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(id, (await second.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetGuid());

        var elsewhere = await _municipalityClient.PostAsJsonAsync("/v1/residents", Resident(address with { HouseNumber = 5 }, email: null, phoneNumber: "0612345678"), Cancel);
        Assert.Equal(HttpStatusCode.Created, elsewhere.StatusCode);
    }

    [Fact]
    public async Task Bulk_rows_follow_the_matching_rule_against_known_residents_and_earlier_rows()
    {
        var known = TestData.NewAddress(1);
        var created = await _corporationClient.PostAsJsonAsync("/v1/residents", Resident(known, email: "known@example.org"), Cancel);
        var knownId = (await created.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetGuid();
        var fresh = TestData.NewAddress(2);

        var response = await _municipalityClient.PostAsJsonAsync("/v1/residents/bulk", new
        {
            residents = new[]
            {
                Resident(known, email: "KNOWN@example.org"),
                Resident(fresh, email: null, phoneNumber: "0687654321"),
                Resident(fresh, email: "new@example.org", phoneNumber: "+31 6 8765 4321"),
            },
        }, Cancel);

        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, body.GetProperty("created").GetInt32());
        Assert.Equal(2, body.GetProperty("matched").GetInt32());
        var rows = body.GetProperty("results");
        Assert.Equal(["matched", "created", "matched"], rows.EnumerateArray().Select(row => row.GetProperty("status").GetString()));
        Assert.Equal(knownId, rows[0].GetProperty("id").GetGuid());
        Assert.Equal(rows[1].GetProperty("id").GetGuid(), rows[2].GetProperty("id").GetGuid());
        // The municipality is linked to the resident it matched.
        Assert.Equal(HttpStatusCode.OK, (await _municipalityClient.GetAsync($"/v1/residents/{knownId}", Cancel)).StatusCode);
    }

    [Fact]
    public async Task An_update_is_validated_like_a_registration_logged_and_published_as_a_newer_snapshot()
    {
        var id = await RegisterAsync(_corporationClient, TestData.NewAddress(), birthYear: 1980);

        var invalid = await _corporationClient.PatchAsJsonAsync($"/v1/residents/{id}", new { preferredChannel = "sms" }, Cancel);
        await invalid.AssertProblemAsync(HttpStatusCode.BadRequest, "phoneNumber");
        var badLanguage = await _corporationClient.PatchAsJsonAsync($"/v1/residents/{id}", new { preferredLanguage = "xx" }, Cancel);
        await badLanguage.AssertProblemAsync(HttpStatusCode.BadRequest, "preferredLanguage");

        var updated = await _corporationClient.PatchAsJsonAsync(
            $"/v1/residents/{id}", new { preferredLanguage = "tr", phoneNumber = "0611112222", preferredChannel = "sms", tenure = "tenant" }, Cancel);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var resident = await updated.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal("tr", resident.GetProperty("preferredLanguage").GetString());
        Assert.Equal("Anna de Vries", resident.GetProperty("fullName").GetString());

        // The registration is the resident's first picture (ResidentRegistered, version 1); the first snapshot follows
        // the first change.
        var snapshots = await OutboxAsync(containers, "ResidentProfileChanged", id);
        Assert.Equal([2L], snapshots.Select(snapshot => snapshot.GetProperty("version").GetInt64()));
        var latest = snapshots[^1];
        Assert.Equal("tr", latest.GetProperty("preferredLanguage").GetString());
        Assert.Equal("sms", latest.GetProperty("preferredChannel").GetString());
        Assert.Equal(1980, latest.GetProperty("birthYear").GetInt32());
        Assert.Equal("tenant", latest.GetProperty("tenure").GetString());
        // A phone number the partner gave is for delivery only: no sign-in key until the resident confirms it; never the
        // number itself.
        var keys = await OutboxAsync(containers, "ResidentSignInKeysChanged", id);
        Assert.Equal(2, keys.Count);
        Assert.Equal(JsonValueKind.Null, keys[0].GetProperty("phoneKey").ValueKind);
        Assert.Equal(JsonValueKind.Null, keys[1].GetProperty("phoneKey").ValueKind);
        Assert.Equal(keys[0].GetProperty("emailKey").GetString(), keys[1].GetProperty("emailKey").GetString());
        Assert.DoesNotContain("0611112222", keys[1].GetRawText(), StringComparison.Ordinal);

        // A partner not linked to the resident can change nothing.
        await (await _municipalityClient.PatchAsJsonAsync($"/v1/residents/{id}", new { fullName = "X" }, Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
        var log = await _corporationClient.GetFromJsonAsync<JsonElement>($"/v1/residents/{id}/access-log", Cancel);
        Assert.Equal("update", log.GetProperty("items")[0].GetProperty("action").GetString());
    }

    [Fact]
    public async Task A_move_keeps_the_address_history_and_changes_the_buurt_from_then_on()
    {
        var oldAddress = TestData.NewAddress(4);
        var id = await RegisterAsync(_corporationClient, oldAddress);
        var newAddress = TestData.NewAddress(9);

        var invalid = await _corporationClient.PostAsJsonAsync($"/v1/residents/{id}/moves", new { postcode = "nope", houseNumber = 9, buurtCode = "BU91630002" }, Cancel);
        await invalid.AssertProblemAsync(HttpStatusCode.BadRequest, "postcode");

        var moved = await _corporationClient.PostAsJsonAsync(
            $"/v1/residents/{id}/moves", new { postcode = newAddress.Postcode, houseNumber = 9, houseNumberSuffix = "b", buurtCode = "BU91630002", street = "Nieuwstraat", city = "Utrecht" }, Cancel);
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        var history = (await moved.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("addresses");
        Assert.Equal(2, history.GetArrayLength());
        Assert.Equal("BU91630002", history[0].GetProperty("buurtCode").GetString());
        Assert.Equal(JsonValueKind.Null, history[0].GetProperty("livedUntil").ValueKind);
        Assert.Equal("BU91630001", history[1].GetProperty("buurtCode").GetString());
        Assert.NotEqual(JsonValueKind.Null, history[1].GetProperty("livedUntil").ValueKind);

        var resident = await _corporationClient.GetFromJsonAsync<JsonElement>($"/v1/residents/{id}", Cancel);
        Assert.Equal(newAddress.Postcode.Replace(" ", string.Empty, StringComparison.Ordinal), resident.GetProperty("postcode").GetString());
        Assert.Equal("b", resident.GetProperty("houseNumberSuffix").GetString());
        var registered = Assert.Single(await OutboxAsync(containers, "ResidentRegistered", id));
        Assert.Equal("BU91630001", registered.GetProperty("buurtCode").GetString());
        var snapshots = await OutboxAsync(containers, "ResidentProfileChanged", id);
        Assert.Equal("BU91630002", snapshots[^1].GetProperty("buurtCode").GetString());
        Assert.Equal(2L, snapshots[^1].GetProperty("version").GetInt64());
        Assert.DoesNotContain("Nieuwstraat", snapshots[^1].GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_list_is_paged_searched_and_holds_only_the_callers_residents()
    {
        var postcode = TestData.NewPostcode();
        var mine = new List<Guid>();
        foreach (var (name, number) in new[] { ("Bram Bos", 1), ("Cor Claes", 2), ("Ans Aydin", 3) })
        {
            mine.Add(await RegisterAsync(_corporationClient, new TestAddress(postcode, number), fullName: name, email: null));
        }

        var theirs = await RegisterAsync(_municipalityClient, new TestAddress(postcode, 4), fullName: "Dirk Dekker", email: null);

        var search = Uri.EscapeDataString(postcode.ToLowerInvariant());
        var firstPage = await _corporationClient.GetFromJsonAsync<JsonElement>($"/v1/residents?search={search}&page=1&pageSize=2", Cancel);
        Assert.Equal(3, firstPage.GetProperty("totalCount").GetInt64());
        Assert.Equal(["Ans Aydin", "Bram Bos"], firstPage.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("fullName").GetString()));
        var secondPage = await _corporationClient.GetFromJsonAsync<JsonElement>($"/v1/residents?search={search}&page=2&pageSize=2", Cancel);
        Assert.Equal(["Cor Claes"], secondPage.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("fullName").GetString()));

        var byName = await _corporationClient.GetFromJsonAsync<JsonElement>("/v1/residents?search=claes", Cancel);
        Assert.Contains(mine[1], byName.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("id").GetGuid()));
        var theirList = await _municipalityClient.GetFromJsonAsync<JsonElement>($"/v1/residents?search={search}", Cancel);
        Assert.Equal([theirs], theirList.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("id").GetGuid()));

        await (await _corporationClient.GetAsync("/v1/residents?pageSize=1000", Cancel)).AssertProblemAsync(HttpStatusCode.BadRequest, "pageSize");
        // Each listed resident's data was read: logged as such (Cor Claes was listed twice: on page 2 and by name).
        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        Assert.Equal(2, await connection.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM personal_data_access_log WHERE resident_id = @Id AND action = 'read' AND purpose = 'list'", new { Id = mine[1] }));
    }

    [Fact]
    public async Task Consent_per_purpose_is_recorded_with_its_date_and_channel_and_its_history_stays()
    {
        var id = await RegisterAsync(_corporationClient, TestData.NewAddress());

        var initial = await _corporationClient.GetFromJsonAsync<JsonElement>($"/v1/residents/{id}/consents", Cancel);
        var participation = Assert.Single(initial.GetProperty("current").EnumerateArray());
        Assert.Equal("participation", participation.GetProperty("purpose").GetString());
        Assert.Equal("partner-registration", participation.GetProperty("channel").GetString());

        var given = await _corporationClient.PutAsJsonAsync($"/v1/residents/{id}/consents/research", new { given = true, channel = "paper-form", givenAt = "2026-11-20" }, Cancel);
        Assert.Equal(HttpStatusCode.OK, given.StatusCode);
        var withdrawn = await _corporationClient.PutAsJsonAsync($"/v1/residents/{id}/consents/research", new { given = false, channel = "phone" }, Cancel);
        var consents = await withdrawn.Content.ReadFromJsonAsync<JsonElement>(Cancel);

        var research = consents.GetProperty("current").EnumerateArray().Single(consent => consent.GetProperty("purpose").GetString() == "research");
        Assert.False(research.GetProperty("given").GetBoolean());
        Assert.Equal("phone", research.GetProperty("channel").GetString());
        Assert.Equal(3, consents.GetProperty("history").GetArrayLength());
        Assert.Equal("2026-11-20", consents.GetProperty("history")[1].GetProperty("givenAt").GetString());

        var snapshots = await OutboxAsync(containers, "ResidentProfileChanged", id);
        // Registration recorded participation and published no snapshot; each consent change publishes one.
        Assert.Equal(["participation", "research"], snapshots[0].GetProperty("consents").EnumerateArray().Select(purpose => purpose.GetString()));
        Assert.Equal(["participation"], snapshots[1].GetProperty("consents").EnumerateArray().Select(purpose => purpose.GetString()));

        await (await _corporationClient.PutAsJsonAsync($"/v1/residents/{id}/consents/marketing", new { given = true, channel = "email" }, Cancel))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "purpose");
        await (await _corporationClient.PutAsJsonAsync($"/v1/residents/{id}/consents/newsletter", new { given = true, channel = "pigeon" }, Cancel))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "channel");
        await (await _municipalityClient.GetAsync($"/v1/residents/{id}/consents", Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    internal static async Task<Guid> RegisterAsync(
        HttpClient client, TestAddress address, string fullName = "Anna de Vries", string? email = "anna@example.org", int? birthYear = null,
        string buurtCode = "BU91630001")
    {
        var response = await client.PostAsJsonAsync("/v1/residents", Resident(address, email: email, fullName: fullName, birthYear: birthYear, buurtCode: buurtCode), Cancel);
        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
    }

    /// <summary>The events of a type about one resident in the outbox, in the order they were recorded.</summary>
    internal static async Task<IReadOnlyList<JsonElement>> OutboxAsync(PlatformContainers containers, string type, Guid residentId)
    {
        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        var payloads = await connection.QueryAsync<string>(
            """
            SELECT payload::text FROM outbox_messages
            WHERE message_type LIKE 'Participatie.Contracts.' || @Type || '%' AND payload->>'residentId' = @Id
            ORDER BY sequence
            """,
            new { Type = type, Id = residentId.ToString() });
        return [.. payloads.Select(payload => JsonDocument.Parse(payload).RootElement.Clone())];
    }
}

/// <summary>Residents registered before snapshots existed get their first one (and sign-in keys) from the backfill.</summary>
public sealed class SnapshotBackfillTests(ResidentsService service, PlatformContainers containers) : IClassFixture<ResidentsService>
{
    [Fact]
    public async Task A_resident_from_before_snapshots_gets_a_first_snapshot_and_sign_in_keys()
    {
        var id = Guid.CreateVersion7();
        var postcode = TestData.NewPostcode().Replace(" ", string.Empty, StringComparison.Ordinal);
        // The service started first, so that its migrations made the table: run before every other test of the
        // assembly, the insert below found no table (a fresh clone's CI).
        var backfill = service.Services.GetRequiredService<Registry.SnapshotBackfill>();
        // As a registration before migration 0008 left it: no snapshot yet (version 0).
        await using (var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString()))
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO residents (id, full_name, postcode, house_number, buurt_code, email, preferred_language, preferred_channel,
                                       birth_year, registered_at, address_key)
                VALUES (@Id, 'Oud Bewoner', @Postcode, 1, 'BU91630001', 'oud@example.org', 'nl', 'email', 1950, now(), @Postcode || ' 1')
                """,
                new { Id = id, Postcode = postcode });
        }

        // The job's round at start may take it first; either way it gets exactly one first snapshot.
        await backfill.BackfillAsync(TestContext.Current.CancellationToken);

        var snapshots = await Eventually.MatchesAsync(
            () => RegistryTests.OutboxAsync(containers, "ResidentProfileChanged", id), list => list.Count >= 1, "the first snapshot");
        var snapshot = Assert.Single(snapshots);
        Assert.Equal(1, snapshot.GetProperty("version").GetInt64());
        Assert.Equal(1950, snapshot.GetProperty("birthYear").GetInt32());
        var keys = Assert.Single(await RegistryTests.OutboxAsync(containers, "ResidentSignInKeysChanged", id));
        Assert.Equal(64, keys.GetProperty("emailKey").GetString()!.Length);
        Assert.Equal(0, await backfill.BackfillAsync(TestContext.Current.CancellationToken));
    }
}
