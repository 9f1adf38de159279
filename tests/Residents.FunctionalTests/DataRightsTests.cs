using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Participatie.Contracts;
using Participatie.Testing;
using UglyToad.PdfPig;

namespace Participatie.Residents.FunctionalTests;

/// <summary>
/// The residents service on a database and a broker virtual host of its own: the parts and confirmations these tests
/// publish are consumed by this service and no other test's.
/// </summary>
public sealed class DataRightsService(PlatformContainers containers) : IAsyncLifetime
{
    public ServiceFactory<EntryPoint> Service { get; private set; } = null!;

    public string ConnectionString { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        ConnectionString = await TestDatabases.CreateAsync(containers, "residents_data_rights");
        var broker = await BrokerVirtualHosts.CreateAsync(containers.RabbitMq, "residents-data-rights");
        Service = new ServiceFactory<EntryPoint>("residentsdb", ConnectionString, broker, containers.TokenServer);
    }

    public async ValueTask DisposeAsync() => await Service.DisposeAsync();
}

/// <summary>
/// Export (AVG art. 15, 20) and erasure (art. 17) in the residents service. The other services' parts and
/// confirmations are published by the test, as those services would (partner coordination's too, until its consumer
/// is merged).
/// </summary>
public sealed class DataRightsTests(DataRightsService fixture, PlatformContainers containers) : IClassFixture<DataRightsService>, IAsyncLifetime
{
    private TestPartner _partner = null!;
    private HttpClient _partnerClient = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _partner = await containers.TokenServer.RegisterPartnerAsync();
        _partnerClient = _partner.Authorize(fixture.Service.CreateClient());
        await fixture.Service.WaitUntilHealthyAsync(_partnerClient);
    }

    public ValueTask DisposeAsync()
    {
        _partnerClient.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task An_export_collects_every_service_s_part_and_is_delivered_as_json_and_pdf_each_delivery_logged()
    {
        var residentId = await RegisterAsync("Sanne Bakker");
        using var resident = ResidentClient(residentId);

        var requested = await resident.PostAsync("/v1/me/data-exports", null, Cancel);
        Assert.Equal(HttpStatusCode.Accepted, requested.StatusCode);
        var export = await requested.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        var exportId = export.GetProperty("id").GetGuid();
        Assert.Equal($"/v1/me/data-exports/{exportId}", requested.Headers.Location?.OriginalString);
        Assert.Equal("collecting", export.GetProperty("status").GetString());
        Assert.Equal("resident", export.GetProperty("requestedBy").GetString());
        Assert.Equal([DataHoldingServices.Residents], Services(export.GetProperty("partsReceived")));
        Assert.Equal(
            new[] { DataHoldingServices.Consultations, DataHoldingServices.PartnerCoordination, DataHoldingServices.Notifications }.Order(),
            export.GetProperty("partsMissing").EnumerateArray().Select(service => service.GetString()!).Order());

        // Every other service is asked, through the outbox.
        await Eventually.MatchesAsync(() => OutboxCountAsync(nameof(ResidentDataExportRequested), "exportId", exportId), count => count == 1, "the export request in the outbox");

        // Not ready: the file is refused, naming the export.
        var early = await resident.GetAsync($"/v1/me/data-exports/{exportId}/data.json", Cancel);
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Equal("application/problem+json", early.Content.Headers.ContentType?.MediaType);
        Assert.True((await early.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("errors").TryGetProperty("exportId", out _));

        await AnswerAsync(exportId, residentId, DataHoldingServices.Consultations,
            """{"reactions":[{"text":"Meer groen op het plein","status":"partly-adopted","statusHistory":[{"status":"received"},{"status":"partly-adopted","explanation":"Er komen vier bomen."}]}]}""");
        await AnswerAsync(exportId, residentId, DataHoldingServices.Notifications, """{"notifications":[{"title":"Uw mening gevraagd: het plein","deliveryEvents":[{"event":"delivered"}]}]}""");
        await AnswerAsync(exportId, residentId, DataHoldingServices.PartnerCoordination, """{"contactMoments":[]}""");

        var ready = await Eventually.MatchesAsync(
            async () => await resident.GetFromJsonAsync<JsonElement>($"/v1/me/data-exports/{exportId}", Cancel),
            status => status.GetProperty("status").GetString() == "ready",
            "the export to be ready");
        Assert.Equal(DataHoldingServices.All.Order(), Services(ready.GetProperty("partsReceived")));
        Assert.Empty(ready.GetProperty("partsMissing").EnumerateArray());
        Assert.NotEqual(JsonValueKind.Null, ready.GetProperty("readyAt").ValueKind);

        // One JSON file with every part.
        var jsonResponse = await resident.GetAsync($"/v1/me/data-exports/{exportId}/data.json", Cancel);
        Assert.Equal(HttpStatusCode.OK, jsonResponse.StatusCode);
        Assert.Equal("application/json", jsonResponse.Content.Headers.ContentType?.MediaType);
        var file = await jsonResponse.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal(exportId, file.GetProperty("exportId").GetGuid());
        var services = file.GetProperty("services");
        var own = services.GetProperty(DataHoldingServices.Residents).GetProperty("data");
        var personalData = Assert.Single(own.GetProperty("personalData").EnumerateArray());
        Assert.Equal("Sanne Bakker", personalData.GetProperty("fullName").GetString());
        Assert.Equal("sanne@example.org", personalData.GetProperty("email").GetString());
        Assert.Contains(own.GetProperty("accessLog").EnumerateArray(), entry => entry.GetProperty("action").GetString() == "export-requested");
        Assert.Equal(
            "Meer groen op het plein",
            services.GetProperty(DataHoldingServices.Consultations).GetProperty("data").GetProperty("reactions")[0].GetProperty("text").GetString());
        Assert.True(services.GetProperty(DataHoldingServices.Notifications).GetProperty("data").TryGetProperty("notifications", out _));
        Assert.True(services.TryGetProperty(DataHoldingServices.PartnerCoordination, out _));

        // One readable PDF, in Dutch, with the same data.
        var pdfResponse = await resident.GetAsync($"/v1/me/data-exports/{exportId}/data.pdf", Cancel);
        Assert.Equal(HttpStatusCode.OK, pdfResponse.StatusCode);
        Assert.Equal("application/pdf", pdfResponse.Content.Headers.ContentType?.MediaType);
        using (var pdf = PdfDocument.Open(await pdfResponse.Content.ReadAsByteArrayAsync(Cancel)))
        {
            var text = string.Join("\n", pdf.GetPages().Select(page => string.Join(" ", page.GetWords().Select(word => word.Text))));
            Assert.Contains("Uw gegevens bij Participatie", text, StringComparison.Ordinal);
            Assert.Contains("Naam: Sanne Bakker", text, StringComparison.Ordinal);
            Assert.Contains("Uw reacties, aanmeldingen en antwoorden", text, StringComparison.Ordinal);
            Assert.Contains("Tekst: Meer groen op het plein", text, StringComparison.Ordinal);
            Assert.Contains("Er komen vier bomen.", text, StringComparison.Ordinal);
            Assert.Contains("Uw mening gevraagd: het plein", text, StringComparison.Ordinal);
        }

        // The request and both deliveries are in the access log, naming the resident's client.
        var log = await _partnerClient.GetFromJsonAsync<JsonElement>($"/v1/residents/{residentId}/access-log?pageSize=50", Cancel);
        var entries = log.GetProperty("items").EnumerateArray().ToList();
        Assert.Single(entries, entry => entry.GetProperty("action").GetString() == "export-requested");
        var delivered = entries.Where(entry => entry.GetProperty("action").GetString() == "export-delivered").ToList();
        Assert.Equal(2, delivered.Count);
        Assert.All(delivered, entry => Assert.StartsWith($"resident {residentId}", entry.GetProperty("accessedBy").GetString(), StringComparison.Ordinal));
        Assert.Equal(
            [$"data export {exportId} (json)", $"data export {exportId} (pdf)"],
            delivered.Select(entry => entry.GetProperty("purpose").GetString()).Order());
    }

    [Fact]
    public async Task A_linked_partner_asks_for_an_export_on_the_resident_s_behalf_and_nobody_else_reaches_it()
    {
        var residentId = await RegisterAsync("Karel Jansen");
        var other = await containers.TokenServer.RegisterPartnerAsync();
        using var otherClient = other.Authorize(fixture.Service.CreateClient());
        using var resident = ResidentClient(residentId);
        using var stranger = ResidentClient((await RegisterAsync("Iemand Anders")));

        Assert.Equal(HttpStatusCode.NotFound, (await otherClient.PostAsync($"/v1/residents/{residentId}/data-exports", null, Cancel)).StatusCode);
        // A resident token on the partner route: not a partner.
        Assert.Equal(HttpStatusCode.Forbidden, (await resident.PostAsync($"/v1/residents/{residentId}/data-exports", null, Cancel)).StatusCode);

        var requested = await _partnerClient.PostAsync($"/v1/residents/{residentId}/data-exports", null, Cancel);
        Assert.Equal(HttpStatusCode.Accepted, requested.StatusCode);
        var export = await requested.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        var exportId = export.GetProperty("id").GetGuid();
        Assert.Equal("partner", export.GetProperty("requestedBy").GetString());
        Assert.Equal($"/v1/residents/{residentId}/data-exports/{exportId}", requested.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await _partnerClient.GetAsync($"/v1/residents/{residentId}/data-exports/{exportId}", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherClient.GetAsync($"/v1/residents/{residentId}/data-exports/{exportId}", Cancel)).StatusCode);
        // The resident sees what was asked for them; another resident does not.
        Assert.Equal(HttpStatusCode.OK, (await resident.GetAsync($"/v1/me/data-exports/{exportId}", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/v1/me/data-exports/{exportId}", Cancel)).StatusCode);

        // The resident's own export is theirs: the partner does not fetch it.
        var own = await (await resident.PostAsync("/v1/me/data-exports", null, Cancel)).Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal(HttpStatusCode.NotFound, (await _partnerClient.GetAsync($"/v1/residents/{residentId}/data-exports/{own.GetProperty("id").GetGuid()}", Cancel)).StatusCode);
    }

    [Fact]
    public async Task Erasure_deletes_the_personal_data_once_and_its_proof_is_complete_when_every_service_confirmed()
    {
        var name = $"Fatima {Guid.NewGuid():N}";
        var residentId = await RegisterAsync(name);
        using var resident = ResidentClient(residentId);
        var exportId = (await (await resident.PostAsync("/v1/me/data-exports", null, Cancel)).Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetGuid();
        var other = await containers.TokenServer.RegisterPartnerAsync();
        using var otherClient = other.Authorize(fixture.Service.CreateClient());
        Assert.Equal(HttpStatusCode.NotFound, (await _partnerClient.GetAsync($"/v1/residents/{residentId}/erasure", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherClient.PostAsync($"/v1/residents/{residentId}/erasure", null, Cancel)).StatusCode);

        var erased = await _partnerClient.PostAsync($"/v1/residents/{residentId}/erasure", null, Cancel);
        Assert.Equal(HttpStatusCode.Accepted, erased.StatusCode);
        var proof = await erased.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        var erasureId = proof.GetProperty("id").GetGuid();
        Assert.Equal("partner", proof.GetProperty("requestedBy").GetString());
        Assert.False(proof.GetProperty("complete").GetBoolean());
        Assert.Equal([DataHoldingServices.Residents], Confirmed(proof));

        // The personal data is gone, with the export's copy of it; a tombstone without personal data stays.
        await using (var database = new NpgsqlConnection(fixture.ConnectionString))
        {
            Assert.Equal(0, await database.ExecuteScalarAsync<int>("SELECT count(*) FROM residents WHERE id = @Id OR full_name = @Name", new { Id = residentId, Name = name }));
            Assert.Equal(0, await database.ExecuteScalarAsync<int>("SELECT count(*) FROM data_exports WHERE resident_id = @Id", new { Id = residentId }));
            Assert.Equal(0, await database.ExecuteScalarAsync<int>("SELECT count(*) FROM data_export_parts WHERE export_id = @Id", new { Id = exportId }));
            Assert.Equal(erasureId, await database.ExecuteScalarAsync<Guid>("SELECT id FROM resident_erasures WHERE resident_id = @Id", new { Id = residentId }));
            Assert.Equal(1, await database.ExecuteScalarAsync<int>(
                "SELECT count(*) FROM personal_data_access_log WHERE resident_id = @Id AND action = 'erased'", new { Id = residentId }));
            // The id is never used again, whatever inserts it.
            var reuse = await Assert.ThrowsAsync<PostgresException>(() => database.ExecuteAsync(
                """
                INSERT INTO residents (id, full_name, postcode, house_number, buurt_code, preferred_language, preferred_channel)
                VALUES (@Id, 'Nieuw', '1234AB', 1, 'BU91630001', 'nl', 'email')
                """,
                new { Id = residentId }));
            Assert.Contains("never used again", reuse.MessageText, StringComparison.Ordinal);
        }

        await Eventually.MatchesAsync(() => OutboxCountAsync(nameof(ResidentErased), "erasureId", erasureId), count => count == 1, "ResidentErased in the outbox");
        // The partner's link outlives the resident: to it an erased resident is no resident (404), not a failure.
        Assert.Equal(HttpStatusCode.NotFound, (await _partnerClient.GetAsync($"/v1/residents/{residentId}", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _partnerClient.PatchAsJsonAsync($"/v1/residents/{residentId}", new { fullName = "Nieuw" }, Cancel)).StatusCode);

        // Asking again, by the partner or by the resident whose token still runs, gives the same erasure.
        var again = await _partnerClient.PostAsync($"/v1/residents/{residentId}/erasure", null, Cancel);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(erasureId, (await again.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetGuid());
        var byResident = await resident.PostAsync("/v1/me/erasure", null, Cancel);
        Assert.Equal(HttpStatusCode.OK, byResident.StatusCode);
        Assert.Equal(erasureId, (await byResident.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetGuid());
        Assert.Equal(1, await OutboxCountAsync(nameof(ResidentErased), "residentId", residentId));

        // Nothing personal is read any more.
        Assert.Equal(HttpStatusCode.NotFound, (await _partnerClient.GetAsync($"/v1/residents/{residentId}", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _partnerClient.PostAsync($"/v1/residents/{residentId}/data-exports", null, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await resident.PostAsync("/v1/me/data-exports", null, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await resident.GetAsync($"/v1/me/data-exports/{exportId}", Cancel)).StatusCode);

        // The other services confirm (consultations twice, under two message ids): the proof completes.
        var bus = fixture.Service.Services.GetRequiredService<IBus>();
        var firstConfirmation = DateTimeOffset.UtcNow.AddSeconds(-5);
        await bus.Publish(new ResidentErasureConfirmed(erasureId, residentId, DataHoldingServices.Consultations, firstConfirmation), Cancel);
        await bus.Publish(new ResidentErasureConfirmed(erasureId, residentId, DataHoldingServices.Notifications, DateTimeOffset.UtcNow), Cancel);
        var partial = await Eventually.MatchesAsync(
            async () => await _partnerClient.GetFromJsonAsync<JsonElement>($"/v1/residents/{residentId}/erasure", Cancel),
            current => Confirmed(current).Count == 3,
            "three confirmations");
        Assert.False(partial.GetProperty("complete").GetBoolean());
        await bus.Publish(new ResidentErasureConfirmed(erasureId, residentId, DataHoldingServices.Consultations, DateTimeOffset.UtcNow), Cancel);
        await bus.Publish(new ResidentErasureConfirmed(erasureId, residentId, DataHoldingServices.PartnerCoordination, DateTimeOffset.UtcNow), Cancel);
        var complete = await Eventually.MatchesAsync(
            async () => await _partnerClient.GetFromJsonAsync<JsonElement>($"/v1/residents/{residentId}/erasure", Cancel),
            current => current.GetProperty("complete").GetBoolean(),
            "the proof to be complete");
        Assert.Equal(DataHoldingServices.All.Order(), Confirmed(complete));
        var consultations = complete.GetProperty("confirmations").EnumerateArray().Single(entry => entry.GetProperty("service").GetString() == DataHoldingServices.Consultations);
        Assert.Equal(firstConfirmation.ToUnixTimeMilliseconds(), consultations.GetProperty("confirmedAt").GetDateTimeOffset().ToUnixTimeMilliseconds());

        // The operator reads the same proof; another partner and the resident do not.
        using var operatorClient = TokenServer.Authorized(fixture.Service.CreateClient(), await containers.TokenServer.GetOperatorTokenAsync());
        var byOperator = await operatorClient.GetFromJsonAsync<JsonElement>($"/v1/erasures/{erasureId}", Cancel);
        Assert.True(byOperator.GetProperty("complete").GetBoolean());
        Assert.Equal(residentId, byOperator.GetProperty("residentId").GetGuid());
        Assert.Equal(HttpStatusCode.NotFound, (await operatorClient.GetAsync($"/v1/erasures/{Guid.NewGuid()}", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherClient.GetAsync($"/v1/residents/{residentId}/erasure", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _partnerClient.GetAsync($"/v1/erasures/{erasureId}", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await resident.GetAsync($"/v1/erasures/{erasureId}", Cancel)).StatusCode);
    }

    [Fact]
    public async Task Reported_activity_in_consultations_counts_as_the_resident_s_activity()
    {
        var residentId = await RegisterAsync("Piet Actief");
        var submittedAt = DateTimeOffset.UtcNow.AddDays(3);
        await fixture.Service.Services.GetRequiredService<IBus>().Publish(
            new ResidentsWereActive(Guid.NewGuid(), [Guid.NewGuid(), residentId], submittedAt), Cancel);

        await using var database = new NpgsqlConnection(fixture.ConnectionString);
        await Eventually.MatchesAsync(
            () => database.ExecuteScalarAsync<DateTime>("SELECT last_activity_at FROM residents WHERE id = @Id", new { Id = residentId }),
            lastActivity => Math.Abs((lastActivity - submittedAt.UtcDateTime).TotalMilliseconds) < 1,
            "the reported activity to count");
    }

    private async Task<Guid> RegisterAsync(string fullName)
    {
        var response = await _partnerClient.PostAsJsonAsync("/v1/residents", new
        {
            fullName,
            postcode = "3011 AA",
            houseNumber = Random.Shared.Next(1, 500),
            buurtCode = "BU91990110",
            email = "sanne@example.org",
            preferredLanguage = "nl",
            preferredChannel = "email",
        }, Cancel);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetGuid();
    }

    private HttpClient ResidentClient(Guid residentId) =>
        TokenServer.Authorized(fixture.Service.CreateClient(), containers.TokenServer.IssueResidentToken(residentId));

    private Task AnswerAsync(Guid exportId, Guid residentId, string service, string data) =>
        fixture.Service.Services.GetRequiredService<IBus>().Publish(new ResidentDataExported(exportId, residentId, service, data, DateTimeOffset.UtcNow), Cancel);

    private async Task<int> OutboxCountAsync(string messageType, string property, Guid id)
    {
        await using var database = new NpgsqlConnection(fixture.ConnectionString);
        return await database.ExecuteScalarAsync<int>(
            $"SELECT count(*) FROM outbox_messages WHERE message_type LIKE 'Participatie.Contracts.{messageType},%' AND payload->>'{property}' = @Id",
            new { Id = id.ToString() });
    }

    private static IReadOnlyList<string> Services(JsonElement parts) =>
        [.. parts.EnumerateArray().Select(part => part.GetProperty("service").GetString()!).Order()];

    private static IReadOnlyList<string> Confirmed(JsonElement proof) =>
        [.. proof.GetProperty("confirmations").EnumerateArray()
            .Where(entry => entry.GetProperty("confirmedAt").ValueKind != JsonValueKind.Null)
            .Select(entry => entry.GetProperty("service").GetString()!)
            .Order()];
}
