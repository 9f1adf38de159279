using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;

namespace Participatie.Consultations.FunctionalTests;

/// <summary>The requests the tests make again and again, each with data of its own.</summary>
internal static class Requests
{
    private static readonly TimeZoneInfo Netherlands = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    public static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>A buurt no other test uses, so that a test can count and list what is its own.</summary>
    public static string NewBuurtCode() => $"BU{RandomNumberGenerator.GetInt32(100_000_000):D8}";

    /// <summary>Today on a calendar in the Netherlands.</summary>
    public static DateOnly DutchToday() =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Netherlands).DateTime);

    public static object NewConsultation(
        string buurtCode, Guid? partnerId = null, DateOnly? closesOn = null, string title = "Herinrichting van het Mercatorplein") => new
        {
            partnerId = partnerId ?? KnownPartners.Municipality,
            title,
            description = "Wat vindt u van de plannen voor meer groen en minder parkeerplaatsen?",
            buurtCode,
            closesOn = closesOn ?? DutchToday().AddDays(30),
        };

    public static async Task<JsonElement> OpenConsultationAsync(
        this HttpClient client, string? buurtCode = null, string title = "Herinrichting van het Mercatorplein")
    {
        var response = await client.PostAsJsonAsync("/v1/consultations", NewConsultation(buurtCode ?? NewBuurtCode(), title: title), Cancel);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
    }

    public static async Task<JsonElement> SubmitReactionAsync(
        this HttpClient client, Guid consultationId, Guid? residentId = null, string text = "Graag meer bankjes bij de speeltuin.")
    {
        var response = await client.PostAsJsonAsync(
            $"/v1/consultations/{consultationId}/reactions", new { residentId = residentId ?? Guid.NewGuid(), text }, Cancel);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
    }

    public static Task<HttpResponseMessage> AnswerAsync(
        this HttpClient client, Guid consultationId, Guid reactionId, string status, string explanation) =>
        client.PutAsJsonAsync(
            $"/v1/consultations/{consultationId}/reactions/{reactionId}/answer", new { status, explanation }, Cancel);

    public static Guid Id(this JsonElement resource) => resource.GetProperty("id").GetGuid();

    public static string? Value(this JsonElement resource, string property) => resource.GetProperty(property).GetString();
}
