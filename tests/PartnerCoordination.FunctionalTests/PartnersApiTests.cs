using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using Npgsql;
using Participatie.Testing;
using RabbitMQ.Client;
using static Participatie.PartnerCoordination.FunctionalTests.Calls;

namespace Participatie.PartnerCoordination.FunctionalTests;

[Collection(PartnerCoordinationCollection.Name)]
public sealed class PartnersApiTests(PartnerCoordinationService service, PlatformContainers containers) : IAsyncLifetime
{
    /// <summary>The platform operator's client: only the operator registers partners.</summary>
    private readonly HttpClient _client = service.CreateClient();

    public async ValueTask InitializeAsync() =>
        TokenServer.Authorized(_client, await service.Tokens.GetOperatorTokenAsync());

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private static object NewPartner(string name, string kind = "housing-corporation", string? registryNumber = null) => new
    {
        name,
        kind,
        registryNumber = registryNumber ?? NewRegistryNumber(kind),
    };

    private async Task<(Guid Id, JsonElement Body)> RegisterAsync(object partner)
    {
        var response = await _client.PostAsJsonAsync("/v1/partners", partner, Cancel);
        var body = await response.ReadJsonAsync(HttpStatusCode.Created);
        return (body.GetProperty("id").GetGuid(), body);
    }

    private async Task<int> CountPartnersNamedAsync(string name)
    {
        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        return await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM partners WHERE name = @Name", new { Name = name });
    }

    [Fact]
    public async Task A_registered_partner_answers_201_with_its_location_and_can_be_read_back()
    {
        var name = NewName("Woonstichting De Key");
        var registryNumber = NewKvkNumber();
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

    [Theory]
    [InlineData("municipality")]
    [InlineData("housing-corporation")]
    [InlineData("social-institution")]
    [InlineData("tenants-organisation")]
    public async Task A_partner_of_each_kind_is_registered_with_the_registry_number_of_its_kind(string kind)
    {
        var registryNumber = NewRegistryNumber(kind);

        var (id, partner) = await RegisterAsync(NewPartner(NewName("Partner"), kind, registryNumber));

        Assert.Equal(registryNumber, partner.GetProperty("registryNumber").GetString());
        var read = await _client.GetFromJsonAsync<JsonElement>($"/v1/partners/{id}", Cancel);
        Assert.Equal(kind, read.GetProperty("kind").GetString());
        Assert.Equal(registryNumber, read.GetProperty("registryNumber").GetString());
    }

    [Theory]
    [InlineData("municipality", "12345678", "20 digits")]
    [InlineData("municipality", "0000000123456789012", "20 digits")]
    [InlineData("municipality", "000000012345678901234", "20 digits")]
    [InlineData("municipality", "0000000123456789012A", "20 digits")]
    [InlineData("housing-corporation", "00000001234567890123", "8 digits")]
    [InlineData("housing-corporation", "1234567", "8 digits")]
    [InlineData("social-institution", "123456789", "8 digits")]
    [InlineData("tenants-organisation", "KVK12345", "8 digits")]
    [InlineData("tenants-organisation", "1234 5678", "8 digits")]
    [InlineData("housing-corporation", "１２３４５６７８", "8 digits")]
    [InlineData("municipality", null, "required")]
    [InlineData("housing-corporation", "", "required")]
    [InlineData("social-institution", "   ", "required")]
    public async Task A_registry_number_that_does_not_fit_the_kind_gets_a_400_problem_naming_registryNumber_and_stores_nothing(
        string kind, string? registryNumber, string expected)
    {
        var name = NewName("Verkeerd nummer");

        var response = await _client.PostAsJsonAsync("/v1/partners", new { name, kind, registryNumber }, Cancel);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "registryNumber");
        var errors = problem.GetProperty("errors");
        Assert.Equal(["registryNumber"], errors.EnumerateObject().Select(error => error.Name));
        Assert.Contains(expected, errors.GetProperty("registryNumber")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await CountPartnersNamedAsync(name));
    }

    [Fact]
    public async Task A_registry_number_is_compared_without_surrounding_spaces()
    {
        var registryNumber = NewKvkNumber();
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
        var registryNumber = NewKvkNumber();
        var (firstId, _) = await RegisterAsync(NewPartner(NewName("Ymere"), registryNumber: registryNumber));
        var secondName = NewName("Ymere dubbel");

        var duplicate = await _client.PostAsJsonAsync(
            "/v1/partners", NewPartner(secondName, "social-institution", registryNumber), Cancel);

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
        var registryNumber = NewKvkNumber();

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
    public async Task Missing_fields_are_each_named()
    {
        var response = await _client.PostAsJsonAsync("/v1/partners", new { }, Cancel);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "name");
        Assert.Equal(
            ["kind", "name", "registryNumber"],
            problem.GetProperty("errors").EnumerateObject().Select(error => error.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_missing_name_and_an_overlong_OIN_are_each_named()
    {
        var response = await _client.PostAsJsonAsync(
            "/v1/partners", new { kind = "municipality", registryNumber = new string('9', 21) }, Cancel);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "name");
        Assert.Equal(
            ["name", "registryNumber"],
            problem.GetProperty("errors").EnumerateObject().Select(error => error.Name).Order(StringComparer.Ordinal));
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
    public async Task A_partner_token_registering_a_partner_gets_a_403_problem_and_nothing_is_stored()
    {
        var partner = await service.Tokens.RegisterPartnerAsync();
        using var partnerClient = service.CreateClient(partner.AccessToken);
        var name = NewName("Zelfbenoemde partner");

        var response = await partnerClient.PostAsJsonAsync("/v1/partners", NewPartner(name), Cancel);

        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(0, await CountPartnersNamedAsync(name));
        // A partner may read the partners all the same.
        var read = await partnerClient.GetFromJsonAsync<JsonElement>($"/v1/partners/{partner.PartnerId}", Cancel);
        Assert.Equal(partner.Kind, read.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Without_a_token_the_partners_api_answers_401_problems_and_stores_nothing()
    {
        using var anonymous = service.CreateClient();
        var (id, _) = await RegisterAsync(NewPartner(NewName("Bekend")));
        var name = NewName("Anoniem");

        var register = await anonymous.PostAsJsonAsync("/v1/partners", NewPartner(name), Cancel);
        var list = await anonymous.GetAsync(new Uri("/v1/partners", UriKind.Relative), Cancel);
        var read = await anonymous.GetAsync(new Uri($"/v1/partners/{id}", UriKind.Relative), Cancel);

        foreach (var response in new[] { register, list, read })
        {
            await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
            Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        }

        Assert.Equal(0, await CountPartnersNamedAsync(name));
    }

    [Fact]
    public async Task The_service_describes_itself_at_openapi_json()
    {
        var document = await _client.GetFromJsonAsync<JsonElement>("/openapi.json", Cancel);

        Assert.Equal("Participatie Partner Coordination API", document.GetProperty("info").GetProperty("title").GetString());
        Assert.Equal("1.0.0", document.GetProperty("info").GetProperty("version").GetString());
        var paths = document.GetProperty("paths");
        Assert.True(paths.GetProperty("/partners").TryGetProperty("post", out _));
        Assert.True(paths.GetProperty("/partners").TryGetProperty("get", out _));
        Assert.True(paths.GetProperty("/partners/{partnerId}").TryGetProperty("get", out _));
    }

    [Fact]
    public async Task The_openapi_document_names_every_path_parameter_of_every_operation()
    {
        var document = await _client.GetFromJsonAsync<JsonElement>("/openapi.json", Cancel);

        // Handlers take what the route access check loaded, not the ids: the document must still name each one.
        var misdescribed = new List<string>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            var inTemplate = Regex.Matches(path.Name, @"\{(\w+)\}").Select(match => match.Groups[1].Value).Order(StringComparer.Ordinal).ToList();
            foreach (var operation in path.Value.EnumerateObject())
            {
                var described = operation.Value.TryGetProperty("parameters", out var parameters)
                    ? parameters.EnumerateArray()
                        .Where(parameter => parameter.GetProperty("in").GetString() == "path")
                        .Select(parameter => parameter.GetProperty("name").GetString()!)
                        .Order(StringComparer.Ordinal)
                        .ToList()
                    : [];
                if (!inTemplate.SequenceEqual(described, StringComparer.Ordinal))
                {
                    misdescribed.Add($"{operation.Name} {path.Name}: [{string.Join(", ", described)}]");
                }
            }
        }

        Assert.Empty(misdescribed);
    }

    [Fact]
    public async Task The_service_is_healthy_once_its_database_and_broker_are()
    {
        Assert.Equal(HttpStatusCode.OK, await service.WaitUntilHealthyAsync(_client));
    }
}
