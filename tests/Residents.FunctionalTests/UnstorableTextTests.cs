using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Participatie.Testing;

namespace Participatie.Residents.FunctionalTests;

/// <summary>
/// Issue 13: text PostgreSQL refuses (the NUL character, a lone UTF-16 surrogate) is the caller's mistake wherever it
/// is in the request: a bulk row's problem (the other rows are registered), a 400 naming a query parameter. Before,
/// a NUL in a bulk row failed the whole batched insert with a 500.
/// </summary>
public sealed class UnstorableTextTests(ResidentsService service, PlatformContainers containers)
    : IClassFixture<ResidentsService>, IAsyncLifetime
{
    private HttpClient _client = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var partner = await containers.TokenServer.RegisterPartnerAsync("housing-corporation");
        _client = partner.Authorize(service.CreateClient());
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private static object Resident(string buurtCode, int houseNumber, string fullName, string? city = null) => new
    {
        fullName,
        postcode = "3011 AA",
        houseNumber,
        buurtCode,
        email = $"bewoner{houseNumber}.{buurtCode.ToLowerInvariant()}@example.org",
        preferredLanguage = "nl",
        preferredChannel = "email",
        city,
    };

    [Fact]
    public async Task A_json_row_with_a_nul_character_is_that_rows_problem_and_the_others_are_registered()
    {
        var buurt = TestData.NewBuurtCode();
        var response = await _client.PostAsJsonAsync("/v1/residents/bulk", new
        {
            residents = new[]
            {
                Resident(buurt, 1, "Bewoner een"),
                Resident(buurt, 2, "Bewoner\u0000twee"),
                Resident(buurt, 3, "Bewoner drie", city: "Rotter\u0000dam"),
                Resident(buurt, 4, "Bewoner vier"),
            },
        }, Cancel);

        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var result = JsonDocument.Parse(body).RootElement;
        var rows = result.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["created", "invalid", "invalid", "created"], rows.Select(row => row.GetProperty("status").GetString()));
        Assert.Equal(["fullName"], rows[1].GetProperty("errors").EnumerateObject().Select(property => property.Name));
        Assert.Contains("NUL", rows[1].GetProperty("errors").GetProperty("fullName")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(["city"], rows[2].GetProperty("errors").EnumerateObject().Select(property => property.Name));
        Assert.Equal(2, result.GetProperty("created").GetInt32());
    }

    [Fact]
    public async Task A_json_row_with_a_lone_surrogate_is_that_rows_problem()
    {
        var buurt = TestData.NewBuurtCode();
        // Written by hand: a serializer would not write a lone surrogate as an escape.
        var json = $$"""
            {"residents":[
              {"fullName":"Bewoner een","postcode":"3011 AA","houseNumber":1,"buurtCode":"{{buurt}}","preferredLanguage":"nl","preferredChannel":"letter"},
              {"fullName":"Bewoner \ud800 twee","postcode":"3011 AA","houseNumber":2,"buurtCode":"{{buurt}}","preferredLanguage":"nl","preferredChannel":"letter"}
            ]}
            """;
        using var content = new StringContent(json, Encoding.UTF8, "application/json");

        var response = await _client.PostAsync("/v1/residents/bulk", content, Cancel);

        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var rows = JsonDocument.Parse(body).RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["created", "invalid"], rows.Select(row => row.GetProperty("status").GetString()));
        Assert.Equal(["fullName"], rows[1].GetProperty("errors").EnumerateObject().Select(property => property.Name));
    }

    [Fact]
    public async Task A_csv_row_with_a_nul_character_is_that_rows_problem_and_the_others_are_registered()
    {
        var buurt = TestData.NewBuurtCode();
        var csv = $"fullName;postcode;houseNumber;buurtCode;preferredLanguage;preferredChannel\r\n" +
            $"Bewoner een;3011 AA;1;{buurt};nl;letter\r\n" +
            $"Bewoner\0twee;3011 AA;2;{buurt};nl;letter\r\n" +
            $"Bewoner drie;3011 AA;3;{buurt};nl;letter\r\n";
        using var content = new StringContent(csv, Encoding.UTF8, "text/csv");

        var response = await _client.PostAsync("/v1/residents/bulk", content, Cancel);

        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var rows = JsonDocument.Parse(body).RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["created", "invalid", "created"], rows.Select(row => row.GetProperty("status").GetString()));
        Assert.Equal(["fullName"], rows[1].GetProperty("errors").EnumerateObject().Select(property => property.Name));
    }

    [Fact]
    public async Task A_nul_character_in_a_query_parameter_is_a_400_naming_it()
    {
        var buurt = TestData.NewBuurtCode();
        var registered = await _client.PostAsJsonAsync("/v1/residents", Resident(buurt, 1, "Bewoner een"), Cancel);
        Assert.True(registered.IsSuccessStatusCode, await registered.Content.ReadAsStringAsync(Cancel));
        var id = (await registered.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetGuid();

        var response = await _client.GetAsync($"/v1/residents/{id}?purpose=bel%00len", Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal(["purpose"], problem.GetProperty("errors").EnumerateObject().Select(property => property.Name));
        // The read itself still works without it.
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync($"/v1/residents/{id}?purpose=bellen", Cancel)).StatusCode);
    }
}
