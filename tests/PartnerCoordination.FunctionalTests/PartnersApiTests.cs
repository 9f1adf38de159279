using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using Npgsql;
using Participatie.Testing;
using RabbitMQ.Client;

namespace Participatie.PartnerCoordination.FunctionalTests;

public sealed class PartnersApiTests(PartnerCoordinationService service, PlatformContainers containers)
    : IClassFixture<PartnerCoordinationService>
{
    private readonly HttpClient _client = service.CreateClient();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>A registry number (a KvK number, say) no other test uses.</summary>
    private static string NewRegistryNumber() => $"KVK{RandomNumberGenerator.GetInt32(100_000_000):D8}";

    private static string NewName(string prefix) => $"{prefix} {Guid.NewGuid():N}";

    private static object NewPartner(string name, string kind = "housing-corporation", string? registryNumber = null) => new
    {
        name,
        kind,
        registryNumber = registryNumber ?? NewRegistryNumber(),
    };

    private async Task<(Guid Id, JsonElement Body)> RegisterAsync(object partner)
    {
        var response = await _client.PostAsJsonAsync("/v1/partners", partner, Cancel);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        return (body.GetProperty("id").GetGuid(), body);
    }

    [Fact]
    public async Task A_registered_partner_answers_201_with_its_location_and_can_be_read_back()
    {
        var name = NewName("Woonstichting De Key");
        var registryNumber = NewRegistryNumber();
        var before = DateTimeOffset.UtcNow;

        var created = await _client.PostAsJsonAsync(
            "/v1/partners", new { name = $"  {name}  ", kind = "housing-corporation", registryNumber }, Cancel);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("1.0.0", created.Headers.GetValues("API-Version").Single());
        var partner = await created.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        var id = partner.GetProperty("id").GetGuid();
        Assert.NotEqual(Guid.Empty, id);
        Assert.Equal($"/v1/partners/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal(name, partner.GetProperty("name").GetString());
        Assert.Equal("housing-corporation", partner.GetProperty("kind").GetString());
        Assert.Equal(registryNumber, partner.GetProperty("registryNumber").GetString());
        var registeredAt = partner.GetProperty("registeredAt").GetDateTimeOffset();
        Assert.InRange(registeredAt, before.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));

        var read = await _client.GetFromJsonAsync<JsonElement>($"/v1/partners/{id}", Cancel);
        Assert.Equal(id, read.GetProperty("id").GetGuid());
        Assert.Equal(name, read.GetProperty("name").GetString());
        Assert.Equal("housing-corporation", read.GetProperty("kind").GetString());
        Assert.Equal(registryNumber, read.GetProperty("registryNumber").GetString());
        // Stored with microsecond precision, so compare to the millisecond.
        Assert.Equal(
            registeredAt.ToUnixTimeMilliseconds(), read.GetProperty("registeredAt").GetDateTimeOffset().ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task A_partner_without_a_registry_number_can_be_registered()
    {
        var name = NewName("Gemeente Amsterdam");

        var (id, partner) = await RegisterAsync(new { name, kind = "municipality" });

        Assert.Equal(JsonValueKind.Null, partner.GetProperty("registryNumber").ValueKind);
        var read = await _client.GetFromJsonAsync<JsonElement>($"/v1/partners/{id}", Cancel);
        Assert.Equal("municipality", read.GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, read.GetProperty("registryNumber").ValueKind);
    }

    [Fact]
    public async Task A_blank_registry_number_counts_as_none_so_partners_without_one_never_conflict()
    {
        var (first, firstBody) = await RegisterAsync(new { name = NewName("Bewonersraad Noord"), kind = "tenants-organisation", registryNumber = "" });
        var (second, secondBody) = await RegisterAsync(new { name = NewName("Bewonersraad Zuid"), kind = "tenants-organisation", registryNumber = "  " });

        Assert.NotEqual(first, second);
        Assert.Equal(JsonValueKind.Null, firstBody.GetProperty("registryNumber").ValueKind);
        Assert.Equal(JsonValueKind.Null, secondBody.GetProperty("registryNumber").ValueKind);
        var read = await _client.GetFromJsonAsync<JsonElement>($"/v1/partners/{second}", Cancel);
        Assert.Equal(JsonValueKind.Null, read.GetProperty("registryNumber").ValueKind);
    }

    [Fact]
    public async Task A_registry_number_is_compared_without_surrounding_spaces()
    {
        var registryNumber = NewRegistryNumber();
        var (_, partner) = await RegisterAsync(NewPartner(NewName("Rochdale"), registryNumber: $" {registryNumber} "));
        Assert.Equal(registryNumber, partner.GetProperty("registryNumber").GetString());

        var duplicate = await _client.PostAsJsonAsync("/v1/partners", NewPartner(NewName("Rochdale"), registryNumber: registryNumber), Cancel);

        await duplicate.AssertProblemAsync(HttpStatusCode.Conflict, "registryNumber");
    }

    [Fact]
    public async Task The_list_pages_through_the_partners_by_name()
    {
        // Registered out of order; the list sorts them by name.
        var prefix = $"Buurtteam {Guid.NewGuid():N}";
        var (charlie, _) = await RegisterAsync(NewPartner($"{prefix} C", "social-institution"));
        var (alpha, _) = await RegisterAsync(NewPartner($"{prefix} A", "tenants-organisation"));
        var (bravo, _) = await RegisterAsync(NewPartner($"{prefix} B", "social-institution"));

        const int pageSize = 2;
        var seen = new List<JsonElement>();
        long? totalCount = null;
        for (var pageNumber = 1; totalCount is null || (pageNumber - 1) * pageSize < totalCount; pageNumber++)
        {
            var page = await _client.GetFromJsonAsync<JsonElement>($"/v1/partners?page={pageNumber}&pageSize={pageSize}", Cancel);
            Assert.Equal(pageNumber, page.GetProperty("pageNumber").GetInt32());
            Assert.Equal(pageSize, page.GetProperty("pageSize").GetInt32());
            totalCount ??= page.GetProperty("totalCount").GetInt64();
            Assert.Equal(totalCount, page.GetProperty("totalCount").GetInt64());
            var items = page.GetProperty("items").EnumerateArray().ToList();
            Assert.InRange(items.Count, 1, pageSize);
            seen.AddRange(items);
        }

        Assert.Equal(totalCount, seen.Count);
        Assert.Equal(seen.Count, seen.Select(partner => partner.GetProperty("id").GetGuid()).Distinct().Count());
        var mine = seen
            .Where(partner => partner.GetProperty("name").GetString()!.StartsWith(prefix, StringComparison.Ordinal))
            .ToList();
        Assert.Equal([alpha, bravo, charlie], mine.Select(partner => partner.GetProperty("id").GetGuid()));
        Assert.Equal("tenants-organisation", mine[0].GetProperty("kind").GetString());

        var beyond = await _client.GetFromJsonAsync<JsonElement>(
            $"/v1/partners?page={(seen.Count / pageSize) + 2}&pageSize={pageSize}", Cancel);
        Assert.Empty(beyond.GetProperty("items").EnumerateArray());
    }

    [Theory]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=101", "pageSize")]
    [InlineData("page=0", "page")]
    public async Task A_page_out_of_range_is_a_problem_naming_the_parameter(string query, string field)
    {
        var response = await _client.GetAsync($"/v1/partners?{query}", Cancel);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task A_second_partner_with_the_same_registry_number_is_a_409_conflict_and_stores_nothing()
    {
        var registryNumber = NewRegistryNumber();
        var (firstId, _) = await RegisterAsync(NewPartner(NewName("Ymere"), registryNumber: registryNumber));
        var secondName = NewName("Ymere dubbel");

        var duplicate = await _client.PostAsJsonAsync(
            "/v1/partners", NewPartner(secondName, "municipality", registryNumber), Cancel);

        var problem = await duplicate.AssertProblemAsync(HttpStatusCode.Conflict, "registryNumber");
        Assert.Contains(registryNumber, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        var stored = (await connection.QueryAsync<Guid>(
            "SELECT id FROM partners WHERE registry_number = @RegistryNumber", new { RegistryNumber = registryNumber })).ToList();
        Assert.Equal([firstId], stored);
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM partners WHERE name = @Name", new { Name = secondName }));
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM outbox_messages WHERE payload->>'name' = @Name", new { Name = secondName }));
    }

    [Fact]
    public async Task An_invalid_kind_and_a_missing_name_get_a_400_problem_naming_each_field_and_store_nothing()
    {
        var registryNumber = NewRegistryNumber();

        var response = await _client.PostAsJsonAsync(
            "/v1/partners", new { name = "   ", kind = "bank", registryNumber }, Cancel);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "name");
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("kind", out _), problem.ToString());
        Assert.False(errors.TryGetProperty("registryNumber", out _), problem.ToString());

        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM partners WHERE registry_number = @RegistryNumber", new { RegistryNumber = registryNumber }));
    }

    [Fact]
    public async Task Missing_fields_and_an_overlong_registry_number_are_each_named()
    {
        var response = await _client.PostAsJsonAsync("/v1/partners", new { registryNumber = new string('9', 21) }, Cancel);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "name");
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("kind", out _), problem.ToString());
        Assert.True(errors.TryGetProperty("registryNumber", out _), problem.ToString());
    }

    [Fact]
    public async Task Malformed_json_gets_a_problem_naming_the_field()
    {
        using var content = new StringContent("""{ "name": "Eigen Haard", "kind": 7 }""", Encoding.UTF8, "application/json");

        var response = await _client.PostAsync("/v1/partners", content, Cancel);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "kind");
    }

    [Fact]
    public async Task Unknown_partners_and_routes_are_problem_404s()
    {
        var id = Guid.NewGuid();
        var unknown = await _client.GetAsync($"/v1/partners/{id}", Cancel);
        var problem = await unknown.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains(id.ToString(), problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var notAnId = await _client.GetAsync("/v1/partners/not-a-guid", Cancel);
        await notAnId.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Registering_records_a_PartnerRegistered_event_in_the_outbox_and_relays_it_to_the_broker()
    {
        // Listen on the exchange MassTransit publishes PartnerRegistered to, before the event exists.
        var factory = new ConnectionFactory { Uri = new Uri(containers.RabbitMq.GetConnectionString()) };
        await using var broker = await factory.CreateConnectionAsync(Cancel);
        await using var channel = await broker.CreateChannelAsync(cancellationToken: Cancel);
        const string exchange = "Participatie.Contracts:PartnerRegistered";
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, cancellationToken: Cancel);
        var queue = (await channel.QueueDeclareAsync(exclusive: true, cancellationToken: Cancel)).QueueName;
        await channel.QueueBindAsync(queue, exchange, string.Empty, cancellationToken: Cancel);

        var name = NewName("Stichting Buurtwerk");
        var (id, _) = await RegisterAsync(NewPartner(name, "social-institution"));

        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        var message = await Eventually.MatchesAsync(
            () => connection.QuerySingleOrDefaultAsync<(Guid Id, string MessageType, string Payload, DateTime? PublishedAt)>(
                "SELECT id, message_type, payload::text, published_at FROM outbox_messages WHERE payload->>'partnerId' = @Id",
                new { Id = id.ToString() }),
            row => row.PublishedAt is not null,
            "the PartnerRegistered event to be relayed");

        Assert.StartsWith("Participatie.Contracts.PartnerRegistered", message.MessageType, StringComparison.Ordinal);
        using var payload = JsonDocument.Parse(message.Payload);
        Assert.Equal(name, payload.RootElement.GetProperty("name").GetString());
        Assert.Equal("social-institution", payload.RootElement.GetProperty("kind").GetString());

        // The broker really has it, under the outbox id, so that consumers can drop a duplicate.
        var delivered = await Eventually.MatchesAsync(
            async () =>
            {
                for (var get = await channel.BasicGetAsync(queue, autoAck: true, Cancel); get is not null;
                     get = await channel.BasicGetAsync(queue, autoAck: true, Cancel))
                {
                    using var envelope = JsonDocument.Parse(get.Body);
                    if (envelope.RootElement.GetProperty("message").GetProperty("partnerId").GetGuid() == id)
                    {
                        return envelope.RootElement.Clone();
                    }
                }

                return (JsonElement?)null;
            },
            envelope => envelope is not null,
            "the PartnerRegistered event on the broker");
        Assert.Equal(message.Id, delivered!.Value.GetProperty("messageId").GetGuid());
        Assert.Equal(name, delivered.Value.GetProperty("message").GetProperty("name").GetString());
    }

    [Fact]
    public async Task The_service_describes_itself_at_openapi_json()
    {
        var document = await _client.GetFromJsonAsync<JsonElement>("/openapi.json", Cancel);

        Assert.Equal("Participatie Partner Coordination API", document.GetProperty("info").GetProperty("title").GetString());
        Assert.Equal("1.0.0", document.GetProperty("info").GetProperty("version").GetString());
        var paths = document.GetProperty("paths");
        Assert.True(paths.GetProperty("/v1/partners").TryGetProperty("post", out _));
        Assert.True(paths.GetProperty("/v1/partners").TryGetProperty("get", out _));
        Assert.True(paths.GetProperty("/v1/partners/{partnerId}").TryGetProperty("get", out _));
    }

    [Fact]
    public async Task The_service_is_healthy_once_its_database_and_broker_are()
    {
        Assert.Equal(HttpStatusCode.OK, await service.WaitUntilHealthyAsync(_client));
    }
}
