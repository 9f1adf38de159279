using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Participatie.BuildingBlocks.Time;
using Participatie.Contracts;
using Participatie.Testing;

namespace Participatie.Consultations.FunctionalTests;

/// <summary>A trajectory a test started, with the buurten it covers (each new, so no other test uses them).</summary>
internal sealed record TestTrajectory(Guid Id, IReadOnlyList<string> BuurtCodes)
{
    /// <summary>The trajectory's first buurt: where a test opens its consultations unless it says otherwise.</summary>
    public string BuurtCode => BuurtCodes[0];
}

/// <summary>The requests the tests make again and again, each with data of its own.</summary>
internal static class Requests
{
    public static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>A buurt no other test uses, so that a test can count and list what is its own.</summary>
    public static string NewBuurtCode() => $"BU{RandomNumberGenerator.GetInt32(100_000_000):D8}";

    /// <summary>Today on a calendar in the Netherlands.</summary>
    public static DateOnly DutchToday() => AmsterdamClock.Today(TimeProvider.System);

    /// <summary>The partner starts a trajectory (it becomes its lead) over the given number of new buurten.</summary>
    public static async Task<TestTrajectory> StartTrajectoryAsync(this TokenServer tokenServer, TestPartner lead, int buurten = 2)
    {
        string[] buurtCodes = [.. Enumerable.Range(0, buurten).Select(_ => NewBuurtCode())];
        return new TestTrajectory(await tokenServer.CreateTrajectoryAsync(lead, buurtCodes), buurtCodes);
    }

    /// <summary>The lead (or a co-owner) removes a partner from a trajectory.</summary>
    public static async Task RemoveMemberAsync(this TokenServer tokenServer, TestPartner manager, Guid trajectoryId, Guid partnerId)
    {
        using var client = manager.Authorize(new HttpClient(tokenServer.CreateHandler()) { BaseAddress = new Uri("http://localhost/") });
        using var response = await client.DeleteAsync(new Uri($"/v1/trajectories/{trajectoryId}/members/{partnerId}", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await tokenServer.WaitForProjectionsAsync(trajectoryId, partnerId, role: null);
    }

    public static object NewConsultation(
        Guid trajectoryId, string buurtCode, DateOnly? closesOn = null, string title = "Herinrichting van het Mercatorplein") => new
        {
            trajectoryId,
            title,
            description = "Wat vindt u van de plannen voor meer groen en minder parkeerplaatsen?",
            buurtCode,
            closesOn = closesOn ?? DutchToday().AddDays(30),
        };

    /// <summary>Opens a consultation in the trajectory, for its first buurt unless another is given.</summary>
    public static async Task<JsonElement> OpenConsultationAsync(
        this HttpClient client, TestTrajectory trajectory, string? buurtCode = null, string title = "Herinrichting van het Mercatorplein")
    {
        var response = await client.PostAsJsonAsync(
            "/v1/consultations", NewConsultation(trajectory.Id, buurtCode ?? trajectory.BuurtCode, title: title), Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Cancel));
        var consultation = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal(trajectory.Id, consultation.GetProperty("trajectoryId").GetGuid());
        return consultation;
    }

    /// <summary>
    /// Submits a reaction for the resident, or for a new resident of the consultation's audience when none is given
    /// (the service refuses an id it does not know: <see cref="NewResidentOfAsync"/>).
    /// </summary>
    public static async Task<JsonElement> SubmitReactionAsync(
        this HttpClient client, PlatformContainers containers, Guid consultationId, Guid? residentId = null, string text = "Graag meer bankjes bij de speeltuin.")
    {
        var response = await client.PostAsJsonAsync(
            $"/v1/consultations/{consultationId}/reactions",
            new { residentId = residentId ?? await containers.NewResidentOfAsync(consultationId), text },
            Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Cancel));
        return await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
    }

    /// <summary>
    /// A new resident the service knows as one of the consultation's audience: stored in its projection as the
    /// ResidentRegistered consumer stores one (in the consultation's buurt), and for a consultation of some addresses
    /// also as ConsultationAudienceResolved stores its residents. Written directly rather than published, because
    /// dozens of tests need one and only a handful test the consumers (<see cref="MyRequests.ResidentAsync"/>).
    /// </summary>
    public static async Task<Guid> NewResidentOfAsync(this PlatformContainers containers, Guid consultationId)
    {
        var residentId = Guid.NewGuid();
        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        var stored = await connection.ExecuteAsync(
            """
            INSERT INTO residents_concerned (resident_id, buurt_code, language, age_band, tenure)
            SELECT @ResidentId, buurt_code, @Language, '25-44', @Tenure FROM consultations WHERE id = @ConsultationId;
            INSERT INTO consultation_audience (consultation_id, resident_id)
            SELECT id, @ResidentId FROM consultations WHERE id = @ConsultationId AND address_scoped;
            """,
            new { ResidentId = residentId, ConsultationId = consultationId, Language = Languages.Dutch, Tenure = Tenures.Tenant });
        Assert.True(stored > 0, $"Consultation {consultationId} is not in the consultations database.");
        return residentId;
    }

    /// <summary>Erases the resident as the residents service's event does and waits for the service's confirmation.</summary>
    public static async Task<Guid> EraseResidentAsync(this ConsultationsService service, PlatformContainers containers, Guid residentId)
    {
        var erasureId = Guid.NewGuid();
        await service.Services.GetRequiredService<IBus>().Publish(new ResidentErased(erasureId, residentId, DateTimeOffset.UtcNow), Cancel);
        await Eventually.MatchesAsync(() => containers.ErasureConfirmationsAsync(erasureId), count => count == 1, "the erasure to be confirmed");
        return erasureId;
    }

    /// <summary>How many confirmations of the erasure the consultations service wrote to its outbox.</summary>
    public static async Task<int> ErasureConfirmationsAsync(this PlatformContainers containers, Guid erasureId)
    {
        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        return await connection.ExecuteScalarAsync<int>(
            """
            SELECT count(*) FROM outbox_messages
            WHERE message_type LIKE 'Participatie.Contracts.ResidentErasureConfirmed,%' AND payload->>'erasureId' = @Id AND payload->>'service' = 'consultations'
            """,
            new { Id = erasureId.ToString() });
    }

    /// <summary>A new resident the service knows, living in the buurt (as <see cref="NewResidentOfAsync"/> stores one).</summary>
    public static async Task<Guid> NewResidentInAsync(this PlatformContainers containers, string buurtCode)
    {
        var residentId = Guid.NewGuid();
        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        await connection.ExecuteAsync(
            "INSERT INTO residents_concerned (resident_id, buurt_code, language, age_band, tenure) VALUES (@ResidentId, @BuurtCode, @Language, '25-44', @Tenure)",
            new { ResidentId = residentId, BuurtCode = buurtCode, Language = Languages.Dutch, Tenure = Tenures.Tenant });
        return residentId;
    }

    public static Task<HttpResponseMessage> AnswerAsync(
        this HttpClient client, Guid consultationId, Guid reactionId, string status, string explanation) =>
        client.PutAsJsonAsync(
            $"/v1/consultations/{consultationId}/reactions/{reactionId}/answer", new { status, explanation }, Cancel);

    /// <summary>The ids on one page of the caller's consultations (up to 100, newest first).</summary>
    public static async Task<List<Guid>> ListConsultationIdsAsync(this HttpClient client, string? buurtCode = null)
    {
        var list = await client.GetFromJsonAsync<JsonElement>(
            buurtCode is null ? "/v1/consultations?pageSize=100" : $"/v1/consultations?buurtCode={buurtCode}&pageSize=100", Cancel);
        return [.. list.GetProperty("items").EnumerateArray().Select(item => item.Id())];
    }

    public static Guid Id(this JsonElement resource) => resource.GetProperty("id").GetGuid();

    public static string? Value(this JsonElement resource, string property) => resource.GetProperty(property).GetString();
}
