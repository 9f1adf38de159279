using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using static Participatie.Consultations.FunctionalTests.Requests;

namespace Participatie.Consultations.FunctionalTests;

/// <summary>A measurement a test created, with the codes that went out by letter (home key → code).</summary>
internal sealed record TestMeasurement(Guid Id, JsonElement Created, IReadOnlyList<(string HomeKey, string Code)> Codes)
{
    public string Path => $"/v1/support-measurements/{Id}";

    public string CodeOf(int home) => Codes[home].Code;
}

/// <summary>The support-measurement requests the tests make again and again, each with homes of its own.</summary>
internal static class SupportMeasurementRequests
{
    /// <summary>A street of the given number of homes at a postcode no other test uses, numbered 1, 2, ...</summary>
    public static object[] NewHomes(int count, string? postcode = null)
    {
        postcode ??= NewPostcode();
        return [.. Enumerable.Range(1, count).Select(number => new { postcode, houseNumber = number, houseNumberSuffix = (string?)null })];
    }

    /// <summary>A postcode such as "4821 KL" (four digits not starting with 0, and letters that are always allowed).</summary>
    public static string NewPostcode() => $"{RandomNumberGenerator.GetInt32(1000, 10_000)} KL";

    public static object NewMeasurement(Guid trajectoryId, object[] homes, DateTimeOffset? deadline = null) => new
    {
        trajectoryId,
        title = "Renovatie Kolenkitbuurt, blok 3",
        proposal = "Nieuwe kozijnen met HR++-glas, dakisolatie en mechanische ventilatie; de huur stijgt met 25 euro per maand.",
        deadline = deadline ?? DateTimeOffset.UtcNow.AddDays(21),
        homes,
    };

    public static async Task<TestMeasurement> CreateMeasurementAsync(this HttpClient client, Guid trajectoryId, int homes = 10)
    {
        using var response = await client.PostAsJsonAsync("/v1/support-measurements", NewMeasurement(trajectoryId, NewHomes(homes)), Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Cancel));
        var created = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        var codes = created.GetProperty("votingCodes").EnumerateArray()
            .Select(code => (code.Value("homeKey")!, code.Value("code")!))
            .ToList();
        return new TestMeasurement(created.Id(), created, codes);
    }

    public static Task<HttpResponseMessage> VoteAsync(
        this HttpClient client, TestMeasurement measurement, string code, string choice, string? channel = null) =>
        client.PostAsJsonAsync($"{measurement.Path}/votes", new { code, choice, channel }, Cancel);

    /// <summary>Votes that must be taken: one per home, from the first home on, agreeing first.</summary>
    public static async Task VoteManyAsync(this HttpClient client, TestMeasurement measurement, int agreeing, int disagreeing)
    {
        for (var home = 0; home < agreeing + disagreeing; home++)
        {
            using var response = await client.VoteAsync(measurement, measurement.CodeOf(home), home < agreeing ? "agree" : "disagree");
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Cancel));
        }
    }

    public static Task<JsonElement> ResultAsync(this HttpClient client, TestMeasurement measurement) =>
        client.GetFromJsonAsync<JsonElement>($"{measurement.Path}/result", Cancel);

    public static Task<HttpResponseMessage> CloseAsync(this HttpClient client, TestMeasurement measurement) =>
        client.PostAsync(new Uri($"{measurement.Path}/close", UriKind.Relative), null, Cancel);

    /// <summary>The counts of a result, to compare one result with another.</summary>
    public static (int Homes, int Votes, int Agreeing, int Disagreeing, bool ThresholdMet) Counts(this JsonElement result) => (
        result.GetProperty("homes").GetInt32(),
        result.GetProperty("votes").GetInt32(),
        result.GetProperty("agreeing").GetInt32(),
        result.GetProperty("disagreeing").GetInt32(),
        result.GetProperty("thresholdMet").GetBoolean());
}
