using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Npgsql;
using Participatie.Testing;
using static Participatie.Consultations.FunctionalTests.Requests;

namespace Participatie.Consultations.FunctionalTests;

/// <summary>The requests and database looks the answer-workflow tests (deadlines, assignment, notes, themes, summaries) share.</summary>
internal static class AnswerWorkflowRequests
{
    public static Task<HttpResponseMessage> SetAnswerWorkingDaysAsync(this HttpClient client, Guid trajectoryId, int? answerWorkingDays) =>
        client.PutAsJsonAsync($"/v1/consultations/trajectories/{trajectoryId}/settings", new { answerWorkingDays }, Cancel);

    public static async Task<JsonElement> CreateThemeAsync(this HttpClient client, Guid consultationId, string title, string? description = null)
    {
        var response = await client.PostAsJsonAsync($"/v1/consultations/{consultationId}/themes", new { title, description }, Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Cancel));
        return await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
    }

    public static Task<HttpResponseMessage> AddToThemeAsync(this HttpClient client, Guid consultationId, Guid themeId, params Guid[] reactionIds) =>
        client.PostAsJsonAsync($"/v1/consultations/{consultationId}/themes/{themeId}/reactions", new { reactionIds }, Cancel);

    public static Task<HttpResponseMessage> AnswerThemeAsync(this HttpClient client, Guid consultationId, Guid themeId, string status, string explanation) =>
        client.PutAsJsonAsync($"/v1/consultations/{consultationId}/themes/{themeId}/answer", new { status, explanation }, Cancel);

    public static Task<JsonElement> GetReactionAsync(this HttpClient client, Guid consultationId, Guid reactionId) =>
        client.GetFromJsonAsync<JsonElement>($"/v1/consultations/{consultationId}/reactions/{reactionId}", Cancel);

    public static List<(string? Status, string? Explanation)> History(JsonElement reaction) =>
        [.. reaction.GetProperty("history").EnumerateArray().Select(change => (change.Value("status"), change.Value("explanation")))];

    public static List<Guid> Ids(JsonElement array) => [.. array.EnumerateArray().Select(item => item.GetGuid())];

    public static DateOnly Date(this JsonElement resource, string property) => DateOnly.Parse(resource.Value(property)!, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The payloads of the ReactionAnswered events recorded for a reaction, oldest first.</summary>
    public static async Task<List<string>> AnsweredEventsAsync(this PlatformContainers containers, Guid reactionId)
    {
        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        return (await connection.QueryAsync<string>(
            """
            SELECT payload::text FROM outbox_messages
            WHERE message_type LIKE 'Participatie.Contracts.ReactionAnswered%' AND payload->>'reactionId' = @ReactionId
            ORDER BY sequence
            """,
            new { ReactionId = reactionId.ToString() })).AsList();
    }

    /// <summary>Moves a reaction's answer deadline, as if it had been received long ago.</summary>
    public static async Task SetAnswerDueOnAsync(this PlatformContainers containers, Guid reactionId, DateOnly answerDueOn)
    {
        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        Assert.Equal(1, await connection.ExecuteAsync(
            "UPDATE reactions SET answer_due_on = @AnswerDueOn, submitted_at = submitted_at - interval '60 days' WHERE id = @Id",
            new { AnswerDueOn = answerDueOn, Id = reactionId }));
    }
}
