using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Npgsql;
using Participatie.Testing;

namespace Participatie.Residents.FunctionalTests;

/// <summary>What delivery needs at registration: an optional street and city for a letter, and a digest frequency.</summary>
public sealed class DeliveryRegistrationFieldsTests(ResidentsService service, PlatformContainers containers)
    : IClassFixture<ResidentsService>, IAsyncLifetime
{
    private HttpClient _client = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() =>
        _client = (await containers.TokenServer.RegisterPartnerAsync("municipality")).Authorize(service.CreateClient());

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private static string UniqueBuurt() => TestData.NewBuurtCode();

    private async Task<(string? Street, string? City, string DigestFrequency)> StoredAsync(Guid residentId)
    {
        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        return await connection.QuerySingleAsync<(string?, string?, string)>(
            "SELECT street, city, digest_frequency FROM residents WHERE id = @Id", new { Id = residentId });
    }

    [Fact]
    public async Task A_registration_keeps_street_city_and_digest_frequency_and_the_event_carries_only_the_frequency()
    {
        var created = await _client.PostAsJsonAsync("/v1/residents", new
        {
            fullName = "Olena Kovalenko", postcode = "3011 AD", houseNumber = 4, street = "Hoogstraat", city = "Rotterdam",
            buurtCode = UniqueBuurt(), email = "olena@example.org", preferredLanguage = "uk", preferredChannel = "email",
            digestFrequency = "weekly",
        }, Cancel);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var resident = await created.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal("Hoogstraat", resident.GetProperty("street").GetString());
        Assert.Equal("Rotterdam", resident.GetProperty("city").GetString());
        Assert.Equal("weekly", resident.GetProperty("digestFrequency").GetString());
        var id = resident.GetProperty("id").GetGuid();
        Assert.Equal(("Hoogstraat", "Rotterdam", "weekly"), await StoredAsync(id));

        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        var payload = await connection.QuerySingleAsync<string>(
            "SELECT payload::text FROM outbox_messages WHERE message_type LIKE 'Participatie.Contracts.ResidentRegistered%' AND payload->>'residentId' = @Id", new { Id = id.ToString() });
        var registered = JsonDocument.Parse(payload).RootElement;
        Assert.Equal("weekly", registered.GetProperty("digestFrequency").GetString());
        Assert.DoesNotContain("Hoogstraat", payload, StringComparison.Ordinal);
        Assert.DoesNotContain("Rotterdam", payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_digest_frequency_messages_come_immediately()
    {
        var created = await _client.PostAsJsonAsync("/v1/residents", new
        {
            fullName = "Jan Jansen", postcode = "3011 AE", houseNumber = 5, buurtCode = UniqueBuurt(),
            preferredLanguage = "nl", preferredChannel = "letter",
        }, Cancel);

        var resident = await created.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal("immediately", resident.GetProperty("digestFrequency").GetString());
        Assert.Equal((null, null, "immediately"), await StoredAsync(resident.GetProperty("id").GetGuid()));
    }

    [Fact]
    public async Task An_unknown_digest_frequency_or_a_blank_or_long_street_or_city_is_a_problem_naming_each_field()
    {
        var response = await _client.PostAsJsonAsync("/v1/residents", new
        {
            fullName = "Jan Jansen", postcode = "3011 AE", houseNumber = 5, buurtCode = UniqueBuurt(),
            preferredLanguage = "nl", preferredChannel = "letter",
            digestFrequency = "hourly", street = " ", city = new string('x', 101),
        }, Cancel);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "digestFrequency");
        Assert.True(problem.GetProperty("errors").TryGetProperty("street", out _), problem.ToString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("city", out _), problem.ToString());
    }

    [Fact]
    public async Task Bulk_registrations_in_json_and_csv_take_the_same_fields()
    {
        var buurt = UniqueBuurt();
        var json = await _client.PostAsJsonAsync("/v1/residents/bulk", new
        {
            residents = new object[]
            {
                new { fullName = "A", postcode = "3011 AA", houseNumber = 1, buurtCode = buurt, preferredLanguage = "nl", preferredChannel = "letter", street = "Kade", city = "Rotterdam", digestFrequency = "daily" },
                new { fullName = "B", postcode = "3011 AA", houseNumber = 2, buurtCode = buurt, preferredLanguage = "nl", preferredChannel = "letter", digestFrequency = "monthly" },
            },
        }, Cancel);
        var jsonRows = (await json.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("results").EnumerateArray().ToList();
        Assert.Equal("created", jsonRows[0].GetProperty("status").GetString());
        Assert.Equal(["digestFrequency"], jsonRows[1].GetProperty("errors").EnumerateObject().Select(property => property.Name));
        Assert.Equal(("Kade", "Rotterdam", "daily"), await StoredAsync(jsonRows[0].GetProperty("id").GetGuid()));

        using var csv = new StringContent(
            $"fullName;postcode;houseNumber;buurtCode;preferredLanguage;preferredChannel;street;city;digestFrequency\n"
            + $"C;3011 AA;3;{buurt};nl;letter;Blaak;Rotterdam;weekly\n"
            + $"D;3011 AA;4;{buurt};nl;letter;;;\n"
            + $"E;3011 AA;5;{buurt};nl;letter;;;yearly\n",
            Encoding.UTF8,
            "text/csv");
        var csvResponse = await _client.PostAsync("/v1/residents/bulk", csv, Cancel);
        var csvRows = (await csvResponse.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["created", "created", "invalid"], csvRows.Select(row => row.GetProperty("status").GetString()));
        Assert.Equal(["digestFrequency"], csvRows[2].GetProperty("errors").EnumerateObject().Select(property => property.Name));
        Assert.Equal(("Blaak", "Rotterdam", "weekly"), await StoredAsync(csvRows[0].GetProperty("id").GetGuid()));
        Assert.Equal((null, null, "immediately"), await StoredAsync(csvRows[1].GetProperty("id").GetGuid()));
    }
}
