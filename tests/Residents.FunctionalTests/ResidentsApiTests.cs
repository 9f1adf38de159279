using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Npgsql;
using Participatie.Testing;

namespace Participatie.Residents.FunctionalTests;

public sealed class ResidentsApiTests(ResidentsService service, PlatformContainers containers)
    : IClassFixture<ResidentsService>, IAsyncLifetime
{
    private HttpClient _client = null!;
    private TestPartner _partner = null!;

    public async ValueTask InitializeAsync()
    {
        _partner = await containers.TokenServer.RegisterPartnerAsync("housing-corporation");
        _client = _partner.Authorize(service.CreateClient());
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    // A home of its own per registration: the same home and e-mail address would be one resident (the matching rule).
    public static object NewResident(string buurtCode = "BU91630001", string? postcode = null) => new
    {
        fullName = "Anna de Vries",
        postcode = postcode ?? TestData.NewPostcode(),
        houseNumber = 12,
        buurtCode,
        email = "anna@example.org",
        preferredLanguage = "nl",
        preferredChannel = "email",
    };

    [Fact]
    public async Task A_registered_resident_can_be_read_back_and_the_read_is_logged()
    {
        var created = await _client.PostAsJsonAsync("/v1/residents", NewResident(postcode: "1234 ab"), Cancel);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var resident = await created.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        var id = resident.GetProperty("id").GetGuid();
        Assert.Equal($"/v1/residents/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal("1234AB", resident.GetProperty("postcode").GetString());
        Assert.Equal("1.0.0", created.Headers.GetValues("API-Version").Single());

        var read = await _client.GetFromJsonAsync<JsonElement>($"/v1/residents/{id}?purpose=invitation-letter", Cancel);
        Assert.Equal("Anna de Vries", read.GetProperty("fullName").GetString());

        var log = await _client.GetFromJsonAsync<JsonElement>($"/v1/residents/{id}/access-log", Cancel);
        // Newest first: the read, then the registration.
        Assert.Equal(2, log.GetProperty("totalCount").GetInt32());
        Assert.Equal("registered", log.GetProperty("items")[1].GetProperty("action").GetString());
        var entry = log.GetProperty("items")[0];
        Assert.Equal("read", entry.GetProperty("action").GetString());
        Assert.Equal("invitation-letter", entry.GetProperty("purpose").GetString());
        // The log names who read: the partner and its client, from the token.
        Assert.Equal(_partner.PartnerId, entry.GetProperty("partnerId").GetGuid());
        Assert.Equal(_partner.ClientId, entry.GetProperty("clientId").GetString());
    }

    [Fact]
    public async Task Registering_records_a_pseudonymous_event_in_the_outbox_and_relays_it()
    {
        var created = await _client.PostAsJsonAsync("/v1/residents", NewResident(postcode: "1234 AC"), Cancel);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetGuid();

        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        var message = await Eventually.MatchesAsync(
            () => connection.QuerySingleOrDefaultAsync<(string Payload, DateTime? PublishedAt)>(
                "SELECT payload::text, published_at FROM outbox_messages WHERE message_type LIKE 'Participatie.Contracts.ResidentRegistered%' AND payload->>'residentId' = @Id",
                new { Id = id.ToString() }),
            row => row.PublishedAt is not null,
            "the ResidentRegistered event to be relayed");

        // The event names the buurt and how to reach the resident, never who or where they are.
        Assert.DoesNotContain("Anna", message.Payload, StringComparison.Ordinal);
        Assert.DoesNotContain("1234AC", message.Payload, StringComparison.Ordinal);
        Assert.DoesNotContain("anna@example.org", message.Payload, StringComparison.Ordinal);
        Assert.Contains("BU91630001", message.Payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_registrations_get_a_problem_naming_each_field_and_store_nothing()
    {
        var response = await _client.PostAsJsonAsync("/v1/residents", new
        {
            fullName = "",
            postcode = "0000 AA",
            houseNumber = 1,
            buurtCode = "BU0363",
            preferredLanguage = "nl",
            preferredChannel = "sms",
        }, Cancel);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "fullName");
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("postcode", out _));
        Assert.True(errors.TryGetProperty("buurtCode", out _));
        Assert.True(errors.TryGetProperty("phoneNumber", out _));

        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM residents WHERE buurt_code = 'BU0363'"));
    }

    [Fact]
    public async Task Malformed_json_gets_a_problem_naming_the_field()
    {
        using var content = new StringContent(
            """{ "fullName": "Anna", "houseNumber": "twelve" }""", System.Text.Encoding.UTF8, "application/json");
        var response = await _client.PostAsync("/v1/residents", content, Cancel);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "houseNumber");
    }

    [Fact]
    public async Task Unknown_residents_and_routes_are_problem_404s()
    {
        var unknown = await _client.GetAsync($"/v1/residents/{Guid.NewGuid()}", Cancel);
        await unknown.AssertProblemAsync(HttpStatusCode.NotFound);

        var noRoute = await _client.GetAsync("/v1/nothing-here", Cancel);
        await noRoute.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Another_partner_sees_no_personal_data_only_aggregates()
    {
        const string buurtCode = "BU91638888";
        var created = await _client.PostAsJsonAsync("/v1/residents", NewResident(buurtCode), Cancel);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetGuid();
        var other = await containers.TokenServer.RegisterPartnerAsync("social-institution");
        using var otherClient = other.Authorize(service.CreateClient());

        await (await otherClient.GetAsync($"/v1/residents/{id}", Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await otherClient.GetAsync($"/v1/residents/{id}/access-log", Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);

        var aggregates = await otherClient.GetFromJsonAsync<JsonElement>($"/v1/residents/aggregates?buurtCode={buurtCode}", Cancel);
        // One resident is a count that points at them: shown as "< 5", never as 1.
        Assert.Equal("< 5", aggregates.GetProperty("residents").GetProperty("display").GetString());
        Assert.Equal(JsonValueKind.Null, aggregates.GetProperty("byLanguage").GetProperty("nl").GetProperty("count").ValueKind);
        Assert.True(aggregates.GetProperty("byChannel").GetProperty("email").GetProperty("fewerThanFive").GetBoolean());
        Assert.DoesNotContain("Anna", aggregates.GetRawText(), StringComparison.Ordinal);

        // The outsider's attempts left no trace of a read: only the owner's registration is logged.
        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        Assert.Equal(["registered"], await connection.QueryAsync<string>(
            "SELECT action FROM personal_data_access_log WHERE resident_id = @Id", new { Id = id }));
    }

    [Fact]
    public async Task Another_partners_aggregates_give_away_no_small_group_by_their_bounds_nor_one_resident_joining()
    {
        var buurtCode = TestData.NewBuurtCode();
        var other = await containers.TokenServer.RegisterPartnerAsync("municipality");
        using var otherClient = other.Authorize(service.CreateClient());
        async Task RegisterAsync(string language, int howMany)
        {
            var rows = Enumerable.Range(0, howMany).Select(_ => new
            {
                fullName = "Bewoner",
                postcode = TestData.NewPostcode(),
                houseNumber = 7,
                buurtCode,
                preferredLanguage = language,
                preferredChannel = "letter",
            });
            using var response = await _client.PostAsJsonAsync("/v1/residents/bulk", new { residents = rows }, Cancel);
            var results = (await response.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("results").EnumerateArray();
            Assert.All(results, row => Assert.Equal("created", row.GetProperty("status").GetString()));
        }

        Task<JsonElement> AggregatesAsync() => otherClient.GetFromJsonAsync<JsonElement>($"/v1/residents/aggregates?buurtCode={buurtCode}", Cancel);

        // Six residents: one prefers Turkish ("< 5", so 1 to 4), five Dutch (hidden with it, so 5 or more). A total of 6
        // would leave only 1 + 5: the total is hidden too.
        await RegisterAsync("tr", 1);
        await RegisterAsync("nl", 5);
        var six = await AggregatesAsync();
        Assert.Equal(("< 5", "hidden"), (six.GetProperty("byLanguage").GetProperty("tr").GetProperty("display").GetString(),
            six.GetProperty("byLanguage").GetProperty("nl").GetProperty("display").GetString()));
        Assert.Equal((JsonValueKind.Null, "hidden"), (six.GetProperty("residents").GetProperty("count").ValueKind, six.GetProperty("residents").GetProperty("display").GetString()));

        // Eleven, then twelve: both published as 10, so the other partner cannot tell that a resident joined.
        await RegisterAsync("nl", 5);
        var eleven = await AggregatesAsync();
        await RegisterAsync("nl", 1);
        var twelve = await AggregatesAsync();
        Assert.Equal(10, eleven.GetProperty("residents").GetProperty("count").GetInt32());
        Assert.Equal(10, eleven.GetProperty("byChannel").GetProperty("letter").GetProperty("count").GetInt32());
        Assert.Equal(eleven.GetRawText(), twelve.GetRawText());
    }

    [Fact]
    public async Task The_access_log_cannot_be_altered_even_in_the_database()
    {
        var created = await _client.PostAsJsonAsync("/v1/residents", NewResident(), Cancel);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetGuid();

        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        var update = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync(
            "UPDATE personal_data_access_log SET purpose = 'tampered' WHERE resident_id = @Id", new { Id = id }));
        Assert.Contains("append-only", update.MessageText, StringComparison.Ordinal);
        await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync(
            "DELETE FROM personal_data_access_log WHERE resident_id = @Id", new { Id = id }));
    }

    [Fact]
    public async Task Without_a_token_nothing_is_read_or_stored()
    {
        using var anonymous = service.CreateClient();

        var read = await anonymous.GetAsync($"/v1/residents/{Guid.NewGuid()}", Cancel);
        await read.AssertProblemAsync(HttpStatusCode.Unauthorized);
        var write = await anonymous.PostAsJsonAsync("/v1/residents", NewResident("BU91637777"), Cancel);
        await write.AssertProblemAsync(HttpStatusCode.Unauthorized);

        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM residents WHERE buurt_code = 'BU91637777'"));
    }

    [Fact]
    public async Task The_service_describes_itself_at_openapi_json()
    {
        using var anonymous = service.CreateClient();
        var document = await anonymous.GetFromJsonAsync<JsonElement>("/openapi.json", Cancel);

        Assert.Equal("Participatie Residents API", document.GetProperty("info").GetProperty("title").GetString());
        // The major version is in the server URL, the paths are below it (API Design Rules).
        Assert.Equal("/v1", document.GetProperty("servers")[0].GetProperty("url").GetString());
        Assert.True(document.GetProperty("paths").TryGetProperty("/residents", out _));
        Assert.True(document.GetProperty("paths").GetProperty("/residents").GetProperty("post").GetProperty("responses")
            .GetProperty("201").GetProperty("headers").TryGetProperty("API-Version", out _));
    }

    [Fact]
    public async Task The_service_is_healthy_once_its_database_and_broker_are()
    {
        Assert.Equal(HttpStatusCode.OK, await service.WaitUntilHealthyAsync(_client));
    }
}
