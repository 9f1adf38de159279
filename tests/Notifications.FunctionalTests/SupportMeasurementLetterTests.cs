using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Participatie.Contracts;
using Participatie.Notifications.SupportMeasurements;
using Participatie.Testing;

namespace Participatie.Notifications.FunctionalTests;

/// <summary>
/// The draagvlakmeting's letters to homes, from its events on the real broker into print batches in the real
/// database: each home's voting code reaches its letter in a batch that only the platform operator can fetch, and the
/// written notice of the result reaches every tenant's home. The partners and their trajectory come from the real
/// token server. The PDFs are read back as text.
/// </summary>
[Collection(ChannelsCollection.Name)]
public sealed class SupportMeasurementLetterTests(ChannelsFixture channels)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Each_home_gets_its_voting_code_in_a_batch_only_the_operator_can_fetch_and_the_code_is_gone_once_printed()
    {
        var (lead, leadName, trajectoryId) = await LeadWithTrajectoryAsync("Woonstichting Stembrief");
        var measurementId = Guid.NewGuid();
        HomeVotingCode[] homes = [new("1011AB 1", "K7Q2-M9XD"), new("1011AB 3-A", "P4WR-8HZN"), new("1011AB 5", "B2CT-6YLF")];
        var issued = new SupportVotingCodesIssued(
            measurementId, trajectoryId, "Nieuwe kozijnen en isolatie", new DateTimeOffset(2026, 7, 1, 22, 0, 0, TimeSpan.Zero), homes, channels.Clock.GetUtcNow());
        var messageId = Guid.NewGuid();

        // Delivered twice, and once more under another message id (relayed again): one letter per home all the same.
        await PublishAsync(issued, messageId);
        await PublishAsync(issued, messageId);
        await PublishAsync(issued, Guid.NewGuid());
        await Eventually.MatchesAsync(
            () => CountAsync("SELECT count(*) FROM inbox_messages WHERE consumer = @Consumer AND message_id = ANY(@Ids)",
                new { Consumer = typeof(SupportVotingCodesIssuedConsumer).FullName, Ids = new[] { messageId } }),
            count => count == 1,
            "the voting codes to be consumed");
        await Eventually.MatchesAsync(() => LettersAsync(measurementId), letters => letters.Count == 3, "a letter for each home");
        await Task.Delay(TimeSpan.FromMilliseconds(500), Cancel);
        var pending = await LettersAsync(measurementId);
        Assert.Equal(3, pending.Count);
        // Until it is printed the code is kept apart from the body.
        Assert.All(pending, letter => Assert.DoesNotContain(letter.VotingCode!, letter.Body, StringComparison.Ordinal));

        // The lead's own cut never takes voting-code letters.
        using var leadClient = lead.Authorize(channels.Service.CreateClient());
        var leadCut = await CutAsync(leadClient);
        Assert.DoesNotContain(leadCut.GetProperty("batches").EnumerateArray(), batch => batch.GetProperty("votingCodes").GetBoolean());
        Assert.All(await LettersAsync(measurementId), letter => Assert.Null(letter.BatchId));

        using var operatorClient = TokenServer.Authorized(channels.Service.CreateClient(), await channels.Containers.TokenServer.GetOperatorTokenAsync());
        await CutAsync(operatorClient);
        var printed = await LettersAsync(measurementId);
        var batchId = Assert.Single(printed.Select(letter => letter.BatchId).Distinct())!.Value;
        // Once in a batch the code is nowhere in the table any more.
        Assert.All(printed, letter => Assert.Null(letter.VotingCode));

        // The operator reads each home's own code in its letter, addressed to whoever lives there.
        var batch = await operatorClient.GetFromJsonAsync<JsonElement>($"/v1/notifications/letter-batches/{batchId}", Cancel);
        Assert.True(batch.GetProperty("votingCodes").GetBoolean());
        Assert.Equal(JsonValueKind.Null, batch.GetProperty("partnerId").ValueKind);
        Assert.Equal(leadName, batch.GetProperty("senderName").GetString());
        var pages = await PdfPagesAsync(operatorClient, batchId);
        Assert.Equal(3, pages.Count);
        foreach (var (home, page) in homes.Zip(pages))
        {
            Assert.Contains($"Uw stemcode is: {home.Code}", page, StringComparison.Ordinal);
            Assert.Contains(HomeLetterBatcher.Addressee, page, StringComparison.Ordinal);
            Assert.Contains("Nieuwe kozijnen en isolatie", page, StringComparison.Ordinal);
            Assert.Contains("2 juli 2026 om 00:00 uur", page, StringComparison.Ordinal);
            Assert.Contains("bewonersportaal", page, StringComparison.Ordinal);
            Assert.DoesNotContain(homes.Where(other => other != home), other => page.Contains(other.Code, StringComparison.Ordinal));
        }

        Assert.Contains("Huisnummer 3-A", pages[1], StringComparison.Ordinal);
        Assert.Contains("1011 AB", pages[1], StringComparison.Ordinal);
        var manifest = await (await operatorClient.GetAsync($"/v1/notifications/letter-batches/{batchId}/manifest", Cancel)).Content.ReadAsStringAsync(Cancel);
        Assert.DoesNotContain(homes, home => manifest.Contains(home.Code, StringComparison.Ordinal));

        // The lead (and so any partner) neither lists nor fetches it.
        var leadsBatches = await leadClient.GetFromJsonAsync<JsonElement>("/v1/notifications/letter-batches?pageSize=100", Cancel);
        Assert.DoesNotContain(leadsBatches.GetProperty("items").EnumerateArray(), listed => listed.GetProperty("id").GetGuid() == batchId);
        foreach (var path in new[] { "", "/pdf", "/manifest" })
        {
            await (await leadClient.GetAsync($"/v1/notifications/letter-batches/{batchId}{path}", Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
        }

        await (await leadClient.PostAsync($"/v1/notifications/letter-batches/{batchId}/printed", null, Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);

        // Reported printed, the batch loses its PDF: the codes' last copy.
        var marked = await operatorClient.PostAsync($"/v1/notifications/letter-batches/{batchId}/printed", null, Cancel);
        Assert.Equal(HttpStatusCode.OK, marked.StatusCode);
        Assert.NotEqual(JsonValueKind.Null, (await marked.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("printedAt").ValueKind);
        await (await operatorClient.GetAsync($"/v1/notifications/letter-batches/{batchId}/pdf", Cancel)).AssertProblemAsync(HttpStatusCode.Gone);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM letter_batches WHERE id = @Id AND pdf IS NOT NULL", new { Id = batchId }));
    }

    [Fact]
    public async Task The_notice_of_the_result_reaches_every_tenant_home_with_the_court_period_in_the_leads_batch()
    {
        var (lead, _, trajectoryId) = await LeadWithTrajectoryAsync("Woonstichting Uitslag");
        var outsider = await channels.Containers.TokenServer.RegisterPartnerAsync("municipality", $"Gemeente Elders {Guid.NewGuid().ToString("N")[..6]}");
        var measurementId = Guid.NewGuid();
        string[] tenantHomes = [.. Enumerable.Range(1, 10).Select(number => $"2022CD {number}")];
        var closed = new SupportMeasurementClosed(
            measurementId, trajectoryId, "Nieuwe kozijnen en isolatie", TenantHomes: 10, Agreeing: 8, Disagreeing: 1, ThresholdMet: true,
            ClosedAt: new DateTimeOffset(2026, 7, 2, 8, 0, 0, TimeSpan.Zero), CourtPeriodEndsOn: new DateOnly(2026, 8, 27), tenantHomes);
        var messageId = Guid.NewGuid();

        await PublishAsync(closed, messageId);
        await PublishAsync(closed, messageId);
        await Eventually.MatchesAsync(() => LettersAsync(measurementId), letters => letters.Count == 10, "a notice for each tenant home");

        // The notice carries no code, so the lead prints it with its other letters; another partner cannot see it.
        using var leadClient = lead.Authorize(channels.Service.CreateClient());
        var cut = await CutAsync(leadClient);
        var letters = await LettersAsync(measurementId);
        Assert.Equal(tenantHomes.Order(StringComparer.Ordinal), letters.Select(letter => letter.HomeKey).Order(StringComparer.Ordinal));
        var batchId = Assert.Single(letters.Select(letter => letter.BatchId).Distinct())!.Value;
        var batch = Assert.Single(cut.GetProperty("batches").EnumerateArray(), made => made.GetProperty("id").GetGuid() == batchId);
        Assert.False(batch.GetProperty("votingCodes").GetBoolean());
        Assert.Equal(lead.PartnerId, batch.GetProperty("partnerId").GetGuid());
        using var outsiderClient = outsider.Authorize(channels.Service.CreateClient());
        await (await outsiderClient.GetAsync($"/v1/notifications/letter-batches/{batchId}/pdf", Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);

        var pages = await PdfPagesAsync(leadClient, batchId);
        Assert.Equal(10, pages.Count);
        Assert.All(pages, page =>
        {
            Assert.Contains(HomeLetterBatcher.Addressee, page, StringComparison.Ordinal);
            Assert.Contains("8 huurwoningen zijn het eens", page, StringComparison.Ordinal);
            Assert.Contains("1 huurwoning is het niet eens", page, StringComparison.Ordinal);
            Assert.Contains("1 huurwoning heeft niet gestemd", page, StringComparison.Ordinal);
            Assert.Contains("70 procent of meer", page, StringComparison.Ordinal);
            Assert.Contains("tot en met 27 augustus 2026", page, StringComparison.Ordinal);
        });
        // Every tenant home by its own address: postcode and house number 1 to 10.
        foreach (var number in Enumerable.Range(1, 10))
        {
            Assert.Single(pages, page => page.Contains($"Huisnummer {number} ", StringComparison.Ordinal));
        }

        // The lead may not report it printed; the operator may, and a batch without codes keeps its PDF.
        await (await leadClient.PostAsync($"/v1/notifications/letter-batches/{batchId}/printed", null, Cancel)).AssertProblemAsync(HttpStatusCode.Forbidden);
        using var operatorClient = TokenServer.Authorized(channels.Service.CreateClient(), await channels.Containers.TokenServer.GetOperatorTokenAsync());
        Assert.Equal(HttpStatusCode.OK, (await operatorClient.PostAsync($"/v1/notifications/letter-batches/{batchId}/printed", null, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await leadClient.GetAsync($"/v1/notifications/letter-batches/{batchId}/pdf", Cancel)).StatusCode);
    }

    [Fact]
    public void A_notice_without_70_percent_says_so_and_names_no_court_period()
    {
        var (_, body) = SupportMeasurementLetterTexts.Result(
            "Nieuwe kozijnen", 10, 6, 3, thresholdMet: false, new DateTimeOffset(2026, 7, 2, 8, 0, 0, TimeSpan.Zero), new DateOnly(2026, 8, 27));

        Assert.Contains("minder dan 70 procent", body, StringComparison.Ordinal);
        Assert.DoesNotContain("27 augustus", body, StringComparison.Ordinal);
    }

    private sealed record HomeLetter(string HomeKey, string Body, string? VotingCode, Guid? BatchId);

    private async Task<(TestPartner Lead, string Name, Guid TrajectoryId)> LeadWithTrajectoryAsync(string name)
    {
        var tokenServer = channels.Containers.TokenServer;
        var uniqueName = $"{name} {Guid.NewGuid().ToString("N")[..6]}";
        var lead = await tokenServer.RegisterPartnerAsync("housing-corporation", uniqueName);
        var trajectoryId = await tokenServer.CreateTrajectoryAsync(lead, $"BU{Random.Shared.Next(10_000_000, 99_999_999)}");
        // The sender's name and the trajectory's lead arrive by their events.
        await Eventually.MatchesAsync(
            () => CountAsync(
                """
                SELECT (SELECT count(*) FROM letter_senders WHERE partner_id = @PartnerId)
                     + (SELECT count(*) FROM trajectory_member_projection WHERE trajectory_id = @TrajectoryId AND partner_id = @PartnerId AND role = 'lead')
                """,
                new { lead.PartnerId, TrajectoryId = trajectoryId }),
            count => count == 2,
            "the partner's name and its trajectory to reach the notifications service");
        return (lead, uniqueName, trajectoryId);
    }

    private Task PublishAsync<T>(T message, Guid messageId) where T : class =>
        channels.Service.Services.GetRequiredService<IBus>().Publish(message, context => context.MessageId = messageId, Cancel);

    private static async Task<JsonElement> CutAsync(HttpClient client)
    {
        var response = await client.PostAsync("/v1/notifications/letter-batches", null, Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<List<string>> PdfPagesAsync(HttpClient client, Guid batchId)
    {
        var response = await client.GetAsync($"/v1/notifications/letter-batches/{batchId}/pdf", Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var pdf = UglyToad.PdfPig.PdfDocument.Open(await response.Content.ReadAsByteArrayAsync(Cancel));
        return [.. pdf.GetPages().Select(page => string.Join(" ", page.GetWords().Select(word => word.Text)) + " ")];
    }

    private async Task<List<HomeLetter>> LettersAsync(Guid measurementId)
    {
        await using var connection = await OpenAsync();
        return (await connection.QueryAsync<HomeLetter>(
            """
            SELECT home_key AS HomeKey, body AS Body, voting_code AS VotingCode, batch_id AS BatchId
            FROM home_letters WHERE measurement_id = @MeasurementId ORDER BY home_key
            """,
            new { MeasurementId = measurementId })).AsList();
    }

    private async Task<int> CountAsync(string sql, object parameters)
    {
        await using var connection = await OpenAsync();
        return await connection.QuerySingleAsync<int>(sql, parameters);
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(channels.Containers.Postgres.GetConnectionString());
        await connection.OpenAsync(Cancel);
        return connection;
    }
}
