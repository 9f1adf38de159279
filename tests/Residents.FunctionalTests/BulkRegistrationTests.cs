using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Participatie.Testing;

namespace Participatie.Residents.FunctionalTests;

/// <summary>Bulk registration for partners: a result per row, JSON or CSV, idempotent on retry, and fast.</summary>
public sealed class BulkRegistrationTests(ResidentsService service, PlatformContainers containers)
    : IClassFixture<ResidentsService>, IAsyncLifetime
{
    private HttpClient _client = null!;
    private TestPartner _partner = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

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

    /// <summary>A buurt code of the test's own, so that counts are taken within its own data.</summary>
    private static string UniqueBuurt() => TestData.NewBuurtCode();

    private static object Resident(string buurtCode, int houseNumber, string? email = null) => new
    {
        fullName = $"Bewoner {houseNumber}",
        postcode = "3011 AA",
        houseNumber,
        buurtCode,
        // Each test's buurt in the address: the same home and e-mail address in two tests would be one resident.
        email = email ?? $"bewoner{houseNumber}.{buurtCode.ToLowerInvariant()}@example.org",
        preferredLanguage = "nl",
        preferredChannel = "email",
    };

    [Fact]
    public async Task Valid_rows_are_registered_and_each_invalid_row_gets_its_problem_by_field()
    {
        var buurt = UniqueBuurt();
        var response = await _client.PostAsJsonAsync("/v1/residents/bulk", new
        {
            residents = new object[]
            {
                Resident(buurt, 1),
                Resident(buurt, 2, email: "not-an-address"),
                new { fullName = "Verkeerd Type", postcode = "3011 AA", houseNumber = "twelve", buurtCode = buurt, preferredLanguage = "nl", preferredChannel = "letter" },
                Resident(buurt, 4),
            },
        }, Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal(2, result.GetProperty("created").GetInt32());
        Assert.Equal(2, result.GetProperty("invalid").GetInt32());
        var rows = result.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal([1, 2, 3, 4], rows.Select(row => row.GetProperty("row").GetInt32()));
        Assert.Equal(["created", "invalid", "invalid", "created"], rows.Select(row => row.GetProperty("status").GetString()));
        Assert.Equal(["email"], rows[1].GetProperty("errors").EnumerateObject().Select(property => property.Name));
        Assert.Equal(["houseNumber"], rows[2].GetProperty("errors").EnumerateObject().Select(property => property.Name));
        Assert.False(rows[1].TryGetProperty("id", out _));

        // The created ones are residents like any other: readable by their partner, logged, announced.
        var firstId = rows[0].GetProperty("id").GetGuid();
        var read = await _client.GetFromJsonAsync<JsonElement>($"/v1/residents/{firstId}", Cancel);
        Assert.Equal("Bewoner 1", read.GetProperty("fullName").GetString());
        Assert.Equal("3011AA", read.GetProperty("postcode").GetString());
        await using var database = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        Assert.Equal(2, await CountAsync(database, "SELECT count(*) FROM residents WHERE buurt_code = @Buurt", buurt));
        var ids = new[] { firstId, rows[3].GetProperty("id").GetGuid() };
        Assert.Equal(2, await database.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM personal_data_access_log WHERE resident_id = ANY(@Ids) AND action = 'registered' AND partner_id = @PartnerId",
            new { Ids = ids, _partner.PartnerId }));
        Assert.Equal(2, await CountAsync(database, AnnouncedInBuurt, buurt));
    }

    [Fact]
    public async Task A_csv_upload_with_a_header_row_is_registered_row_by_row()
    {
        var buurt = UniqueBuurt();
        var csv = $""""
            fullName;postcode;houseNumber;houseNumberSuffix;buurtCode;email;preferredLanguage;preferredChannel;birthYear
            "Bakker; Sanne";3011 AA;7;;{buurt};sanne@example.org;nl;email;1980
            "Jan ""de Smid""";0000 XX;zeven;b;{buurt};;tr;letter;
            Fatma Yilmaz;3011 AB;9;a;{buurt};;tr;letter;

            """".ReplaceLineEndings("\r\n");
        using var content = new StringContent(csv, Encoding.UTF8, "text/csv");

        var response = await _client.PostAsync("/v1/residents/bulk", content, Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rows = (await response.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["created", "invalid", "created"], rows.Select(row => row.GetProperty("status").GetString()));
        Assert.Equal(["houseNumber", "postcode"], rows[1].GetProperty("errors").EnumerateObject().Select(property => property.Name).Order());
        var sanne = await _client.GetFromJsonAsync<JsonElement>($"/v1/residents/{rows[0].GetProperty("id").GetGuid()}", Cancel);
        Assert.Equal("Bakker; Sanne", sanne.GetProperty("fullName").GetString());
        Assert.Equal(1980, sanne.GetProperty("birthYear").GetInt32());
        var fatma = await _client.GetFromJsonAsync<JsonElement>($"/v1/residents/{rows[2].GetProperty("id").GetGuid()}", Cancel);
        Assert.Equal("a", fatma.GetProperty("houseNumberSuffix").GetString());
        Assert.Equal(JsonValueKind.Null, fatma.GetProperty("email").ValueKind);
    }

    [Fact]
    public async Task A_retry_with_the_same_key_gets_the_same_answer_and_registers_no_one_twice()
    {
        var buurt = UniqueBuurt();
        var body = new { residents = new[] { Resident(buurt, 1), Resident(buurt, 2) } };
        var key = Guid.NewGuid().ToString();

        var first = await PostWithKeyAsync(_client, body, key);
        var retry = await PostWithKeyAsync(_client, body, key);

        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(Cancel), await retry.Content.ReadAsStringAsync(Cancel));
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        await using var database = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        Assert.Equal(2, await CountAsync(database, "SELECT count(*) FROM residents WHERE buurt_code = @Buurt", buurt));
        Assert.Equal(2, await CountAsync(database, AnnouncedInBuurt, buurt));

        // The same key for other residents is a mistake, named as such; another partner's keys are its own.
        var other = await PostWithKeyAsync(_client, new { residents = new[] { Resident(buurt, 3) } }, key);
        await other.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "Idempotency-Key");
        using var otherPartner = (await containers.TokenServer.RegisterPartnerAsync()).Authorize(service.CreateClient());
        var sameKeyOtherPartner = await PostWithKeyAsync(otherPartner, body, key);
        // Processed, not replayed: the same people (same homes and e-mail addresses) are matched, not registered twice.
        var otherResult = await sameKeyOtherPartner.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal(2, otherResult.GetProperty("matched").GetInt32());
        Assert.Equal(0, otherResult.GetProperty("created").GetInt32());
        Assert.Equal(2, await CountAsync(database, "SELECT count(*) FROM residents WHERE buurt_code = @Buurt", buurt));
    }

    [Fact]
    public async Task Two_requests_with_the_same_key_at_once_register_the_residents_once()
    {
        var buurt = UniqueBuurt();
        var body = new { residents = Enumerable.Range(1, 500).Select(number => Resident(buurt, number)).ToArray() };
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(PostWithKeyAsync(_client, body, key), PostWithKeyAsync(_client, body, key));

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        Assert.Equal(await responses[0].Content.ReadAsStringAsync(Cancel), await responses[1].Content.ReadAsStringAsync(Cancel));
        Assert.Single(responses, response => response.Headers.Contains("Idempotent-Replayed"));
        await using var database = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        Assert.Equal(500, await CountAsync(database, "SELECT count(*) FROM residents WHERE buurt_code = @Buurt", buurt));
    }

    [Fact]
    public async Task Idempotency_keys_are_forgotten_after_their_retention()
    {
        await using var database = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        var partnerId = Guid.NewGuid();
        await database.ExecuteAsync(
            """
            INSERT INTO bulk_registrations (partner_id, idempotency_key, request_hash, result, received_at) VALUES
                (@PartnerId, 'old', '\x00', '{}', now() - interval '31 days'),
                (@PartnerId, 'recent', '\x00', '{}', now() - interval '29 days')
            """,
            new { PartnerId = partnerId });

        await service.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<Bulk.IdempotencyKeyCleanup>().Single()
            .CleanUpAsync(Cancel);

        Assert.Equal(["recent"], await database.QueryAsync<string>(
            "SELECT idempotency_key FROM bulk_registrations WHERE partner_id = @PartnerId", new { PartnerId = partnerId }));
    }

    [Fact]
    public async Task Ten_thousand_residents_are_registered_in_one_request()
    {
        // A service and database of its own: its 10,000 events must not queue ahead of other tests' events.
        var connectionString = await TestDatabases.CreateAsync(containers, "residents_bulk_ten_thousand");
        await using var ownService = new ServiceFactory<EntryPoint>(
            "residentsdb", connectionString, containers.RabbitMq.GetConnectionString(), containers.TokenServer);
        using var client = _partner.Authorize(ownService.CreateClient());
        await ownService.WaitUntilHealthyAsync(client);
        var buurt = UniqueBuurt();
        var body = new { residents = Enumerable.Range(1, 10_000).Select(number => Resident(buurt, number)).ToArray() };
        using var content = JsonContent.Create(body);
        await content.LoadIntoBufferAsync(Cancel);

        var stopwatch = Stopwatch.StartNew();
        var response = await client.PostAsync("/v1/residents/bulk", content, Cancel);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        stopwatch.Stop();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(10_000, result.GetProperty("created").GetInt32());
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"Bulk registration of 10,000 residents (direct to the service): {stopwatch.ElapsedMilliseconds} ms");
        await using var database = new NpgsqlConnection(connectionString);
        Assert.Equal(10_000, await CountAsync(database, "SELECT count(*) FROM residents WHERE buurt_code = @Buurt", buurt));
        Assert.Equal(10_000, await CountAsync(database, AnnouncedInBuurt, buurt));
        Assert.Equal(10, await CountAsync(
            database,
            "SELECT count(*) FROM outbox_messages WHERE message_type LIKE 'Participatie.Contracts.ResidentsRegistered%' AND payload->'residents'->0->>'buurtCode' = @Buurt",
            buurt));
        Assert.Equal(10_000, await CountAsync(
            database,
            "SELECT count(*) FROM personal_data_access_log l JOIN residents r ON r.id = l.resident_id WHERE r.buurt_code = @Buurt",
            buurt));
    }

    [Fact]
    public async Task A_body_that_is_not_a_list_of_at_most_ten_thousand_residents_is_refused_whole()
    {
        var buurt = UniqueBuurt();
        var tooMany = await _client.PostAsJsonAsync(
            "/v1/residents/bulk", new { residents = Enumerable.Range(1, 10_001).Select(number => Resident(buurt, number)).ToArray() }, Cancel);
        await tooMany.AssertProblemAsync(HttpStatusCode.BadRequest, "residents");
        var notAList = await _client.PostAsJsonAsync("/v1/residents/bulk", new { residents = "everyone" }, Cancel);
        await notAList.AssertProblemAsync(HttpStatusCode.BadRequest, "residents");
        using var unknownColumn = new StringContent("fullName,shoeSize\nJan,44\n", Encoding.UTF8, "text/csv");
        await (await _client.PostAsync("/v1/residents/bulk", unknownColumn, Cancel)).AssertProblemAsync(HttpStatusCode.BadRequest, "header");
        using var xml = new StringContent("<residents/>", Encoding.UTF8, "application/xml");
        await (await _client.PostAsync("/v1/residents/bulk", xml, Cancel)).AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);

        await using var database = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        Assert.Equal(0, await CountAsync(database, "SELECT count(*) FROM residents WHERE buurt_code = @Buurt", buurt));
    }

    private static async Task<HttpResponseMessage> PostWithKeyAsync(HttpClient client, object body, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/residents/bulk") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request, Cancel);
    }

    private static Task<int> CountAsync(NpgsqlConnection database, string sql, string buurt) =>
        database.ExecuteScalarAsync<int>(sql, new { Buurt = buurt });

    /// <summary>The residents of the buurt that the outbox announces, a thousand to a ResidentsRegistered message.</summary>
    private const string AnnouncedInBuurt = """
        SELECT count(*) FROM outbox_messages o CROSS JOIN jsonb_array_elements(o.payload->'residents') AS resident
        WHERE o.message_type LIKE 'Participatie.Contracts.ResidentsRegistered%' AND resident->>'buurtCode' = @Buurt
        """;
}
