using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Participatie.BuildingBlocks.Time;
using Participatie.Contracts;
using Participatie.Notifications.Delivery;
using Participatie.Notifications.Delivery.Letters;
using Participatie.Testing;
using PdfSharp.Pdf.IO;

namespace Participatie.Notifications.FunctionalTests;

/// <summary>
/// Letters go out in print batches per sending partner: a PDF that PDFsharp reads back page by page and a manifest
/// naming each letter's first page. The pending letters are put in the table as the consumers and the delivery
/// lifecycle leave them; the partners, their names and their trajectories come from the real token server over the
/// broker.
/// </summary>
[Collection(ChannelsCollection.Name)]
public sealed class LetterBatchTests(ChannelsFixture channels)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly string LongBody = string.Join(
        "\n", Enumerable.Repeat(string.Join(' ', Enumerable.Repeat("De gemeente en de woningcorporatie werken samen aan een betere buurt.", 8)), 12));

    [Fact]
    public async Task A_partners_cut_prints_its_own_pending_letters_once_in_one_PDF_with_a_manifest_and_fails_those_without_an_address()
    {
        var corporation = await PartnerWithTrajectoryAsync("Woonstichting De Brief");
        var municipality = await PartnerWithTrajectoryAsync("Gemeente Postweg");
        var dutch = await LetterAsync(corporation, Languages.Dutch, "Uw mening gevraagd: het plein", "Geef uw mening over het nieuwe plein.", "1011 AB");
        var arabic = await LetterAsync(corporation, Languages.Arabic, "نطلب رأيك: الساحة", "شاركنا رأيك في الساحة الجديدة قبل 12 مايو.", "1011 AC");
        var tigrinya = await LetterAsync(corporation, "ti", "ርእይቶኹም ንሓትት", LongBody, "1011 AD");
        var unaddressed = await LetterAsync(corporation, Languages.Dutch, "Uitnodiging", "Kom naar de bewonersavond.", postcode: null);
        var email = await NotificationAsync(corporation, Channels.Email, Languages.Dutch, "Uitnodiging", "Per e-mail.");
        var othersLetter = await LetterAsync(municipality, Languages.Ukrainian, "Ваша думка", "Розкажіть нам.", "2022 AA");
        using var corporationClient = corporation.Partner.Authorize(channels.Service.CreateClient());

        var cut = await CutAsync(corporationClient);

        var batch = Assert.Single(cut.GetProperty("batches").EnumerateArray());
        Assert.Equal(1, cut.GetProperty("failed").GetInt32());
        Assert.Equal(corporation.Partner.PartnerId, batch.GetProperty("partnerId").GetGuid());
        Assert.Equal(corporation.Name, batch.GetProperty("senderName").GetString());
        Assert.Equal(AmsterdamClock.Today(channels.Clock).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), batch.GetProperty("printDate").GetString());
        Assert.Equal(LetterBatcher.OnRequest, batch.GetProperty("cutBy").GetString());
        Assert.Equal(3, batch.GetProperty("letterCount").GetInt32());
        var batchId = batch.GetProperty("id").GetGuid();

        // The PDF reads back: A4, one page for each short letter and more than one for the long one.
        var pdfResponse = await corporationClient.GetAsync($"/v1/notifications/letter-batches/{batchId}/pdf", Cancel);
        Assert.Equal(HttpStatusCode.OK, pdfResponse.StatusCode);
        Assert.Equal("application/pdf", pdfResponse.Content.Headers.ContentType?.MediaType);
        using var pdf = PdfReader.Open(new MemoryStream(await pdfResponse.Content.ReadAsByteArrayAsync(Cancel)), PdfDocumentOpenMode.Import);
        Assert.True(pdf.PageCount >= 4, $"{pdf.PageCount} pages");
        Assert.Equal(pdf.PageCount, batch.GetProperty("pageCount").GetInt32());
        Assert.All(pdf.Pages.Cast<PdfSharp.Pdf.PdfPage>(), page =>
        {
            Assert.Equal(595, page.Width.Point, 0);
            Assert.Equal(842, page.Height.Point, 0);
        });

        // The manifest: a row per printed letter in page order, with postcode, kind and language, and no names.
        var manifestResponse = await corporationClient.GetAsync($"/v1/notifications/letter-batches/{batchId}/manifest", Cancel);
        Assert.Equal("text/csv", manifestResponse.Content.Headers.ContentType?.MediaType);
        var manifest = await manifestResponse.Content.ReadAsStringAsync(Cancel);
        var rows = manifest.TrimEnd('\n').Split('\n');
        Assert.Equal(LetterRenderer.ManifestHeader, rows[0]);
        Assert.Equal(
            [
                $"{dutch.NotificationId},{dutch.ResidentId},1,1011 AB,consultation-opened,nl",
                $"{arabic.NotificationId},{arabic.ResidentId},2,1011 AC,consultation-opened,ar",
                $"{tigrinya.NotificationId},{tigrinya.ResidentId},3,1011 AD,consultation-opened,ti",
            ],
            rows[1..]);
        Assert.DoesNotContain("Bewoner", manifest, StringComparison.Ordinal);

        Assert.Equal("sent", await StatusAsync(dutch.NotificationId));
        Assert.Equal("sent", await StatusAsync(arabic.NotificationId));
        Assert.Equal("sent", await StatusAsync(tigrinya.NotificationId));
        Assert.Equal("failed", await StatusAsync(unaddressed.NotificationId));
        Assert.Equal("pending", await StatusAsync(email.NotificationId));
        Assert.Equal("pending", await StatusAsync(othersLetter.NotificationId));
        Assert.Contains(channels.Contacts.Asked, asked => asked == (dutch.ResidentId, Channels.Letter, dutch.NotificationId));

        // Claimed once: a second cut finds nothing of the partner's left to print.
        var again = await CutAsync(corporationClient);
        Assert.Empty(again.GetProperty("batches").EnumerateArray());
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM letter_batch_letters WHERE notification_id = @Id", new { Id = dutch.NotificationId }));
    }

    [Fact]
    public async Task A_partner_lists_and_fetches_only_its_own_batches_and_the_operator_cuts_and_sees_every_partners()
    {
        var corporation = await PartnerWithTrajectoryAsync("Woonstichting Eigen Post");
        var institution = await PartnerWithTrajectoryAsync("Welzijn Andere Post");
        await LetterAsync(corporation, Languages.Polish, "Zaproszenie", "Zapraszamy na spotkanie.", "3033 AA");
        await LetterAsync(institution, Languages.Turkish, "Davet", "Toplantıya davetlisiniz.", "3033 AB");
        using var corporationClient = corporation.Partner.Authorize(channels.Service.CreateClient());
        using var institutionClient = institution.Partner.Authorize(channels.Service.CreateClient());
        using var operatorClient = TokenServer.Authorized(channels.Service.CreateClient(), await channels.Containers.TokenServer.GetOperatorTokenAsync());

        var byOperator = await CutAsync(operatorClient);

        var made = byOperator.GetProperty("batches").EnumerateArray().ToList();
        var corporationBatch = Assert.Single(made, batch => batch.GetProperty("partnerId").GetGuid() == corporation.Partner.PartnerId).GetProperty("id").GetGuid();
        var institutionBatch = Assert.Single(made, batch => batch.GetProperty("partnerId").GetGuid() == institution.Partner.PartnerId).GetProperty("id").GetGuid();

        var own = await corporationClient.GetFromJsonAsync<JsonElement>("/v1/notifications/letter-batches?pageSize=100", Cancel);
        var ownIds = own.GetProperty("items").EnumerateArray().Select(batch => batch.GetProperty("id").GetGuid()).ToList();
        Assert.Equal([corporationBatch], ownIds);
        Assert.Equal(HttpStatusCode.OK, (await corporationClient.GetAsync($"/v1/notifications/letter-batches/{corporationBatch}", Cancel)).StatusCode);
        foreach (var path in new[] { "", "/pdf", "/manifest" })
        {
            var other = await corporationClient.GetAsync($"/v1/notifications/letter-batches/{institutionBatch}{path}", Cancel);
            await other.AssertProblemAsync(HttpStatusCode.NotFound);
        }

        var all = await operatorClient.GetFromJsonAsync<JsonElement>("/v1/notifications/letter-batches?pageSize=100", Cancel);
        var allIds = all.GetProperty("items").EnumerateArray().Select(batch => batch.GetProperty("id").GetGuid()).ToList();
        Assert.Contains(corporationBatch, allIds);
        Assert.Contains(institutionBatch, allIds);
        Assert.Equal(HttpStatusCode.OK, (await operatorClient.GetAsync($"/v1/notifications/letter-batches/{institutionBatch}/pdf", Cancel)).StatusCode);

        using var anonymous = channels.Service.CreateClient();
        await (await anonymous.GetAsync("/v1/notifications/letter-batches", Cancel)).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Two_cuts_at_the_same_time_never_print_a_letter_twice()
    {
        var corporation = await PartnerWithTrajectoryAsync("Woonstichting Dubbel");
        var letters = new List<(Guid NotificationId, Guid ResidentId)>();
        for (var i = 0; i < 30; i++)
        {
            letters.Add(await LetterAsync(corporation, Languages.Dutch, $"Brief {i}", "Een korte brief.", "4044 AA"));
        }

        var cuts = await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
        {
            await using var scope = channels.Service.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<LetterBatcher>().CutAsync(corporation.Partner.PartnerId, LetterBatcher.OnRequest, Cancel);
        }));

        Assert.Equal(30, cuts.SelectMany(cut => cut.Batches).Sum(batch => batch.LetterCount));
        var ids = letters.Select(letter => letter.NotificationId).ToArray();
        Assert.Equal(30, await CountAsync("SELECT count(DISTINCT notification_id) FROM letter_batch_letters WHERE notification_id = ANY(@Ids)", new { Ids = ids }));
        Assert.Equal(30, await CountAsync("SELECT count(*) FROM notifications WHERE id = ANY(@Ids) AND status = 'sent'", new { Ids = ids }));
    }

    [Fact]
    public async Task A_letter_a_dead_cut_left_claimed_is_taken_again_after_the_claim_timeout_and_not_before()
    {
        var corporation = await PartnerWithTrajectoryAsync("Woonstichting Herkansing");
        var abandoned = await LetterAsync(corporation, Languages.Dutch, "Verlaten", "Een cut die stierf liet deze brief achter.", "6066 AA");
        var inProgress = await LetterAsync(corporation, Languages.Dutch, "Bezig", "Een andere cut is hiermee bezig.", "6066 AB");
        var now = channels.Clock.GetUtcNow();
        await using (var connection = await OpenAsync())
        {
            await connection.ExecuteAsync(
                "UPDATE notifications SET status = 'sending', letter_claimed_at = @At WHERE id = @Id",
                new[]
                {
                    new { Id = abandoned.NotificationId, At = now - TimeSpan.FromMinutes(20) },
                    new { Id = inProgress.NotificationId, At = now - TimeSpan.FromMinutes(1) },
                });
        }

        using var client = corporation.Partner.Authorize(channels.Service.CreateClient());
        var cut = await CutAsync(client);

        Assert.Equal(1, Assert.Single(cut.GetProperty("batches").EnumerateArray()).GetProperty("letterCount").GetInt32());
        Assert.Equal("sent", await StatusAsync(abandoned.NotificationId));
        Assert.Equal("sending", await StatusAsync(inProgress.NotificationId));
    }

    [Fact]
    public async Task The_days_batch_is_cut_at_16_00_in_Amsterdam_once()
    {
        var corporation = await PartnerWithTrajectoryAsync("Woonstichting Dagelijks");
        var letter = await LetterAsync(corporation, Languages.Dutch, "Dagbrief", "Een brief voor de dagelijkse batch.", "5055 AA");
        var clock = channels.Clock;

        // Before the hour (the clock stands at 09:00 or later, before 16:00), nothing is cut.
        clock.Advance(TimeSpan.FromMinutes(2));
        await Task.Delay(TimeSpan.FromSeconds(1), Cancel);
        Assert.Equal("pending", await StatusAsync(letter.NotificationId));

        clock.SetUtcNow(AmsterdamTime.At(2026, 6, 2, 16, 1));
        await Eventually.MatchesAsync(() => StatusAsync(letter.NotificationId), status => status == "sent", "the daily batch to print the letter");
        var batch = await BatchOfAsync(letter.NotificationId);
        Assert.Equal(LetterBatcher.Daily, batch.CutBy);

        // A letter that arrives after the day's cut waits for the next day's.
        var late = await LetterAsync(corporation, Languages.Dutch, "Late brief", "Na de batch van vandaag.", "5055 AB");
        clock.SetUtcNow(AmsterdamTime.At(2026, 6, 2, 18, 0));
        await Task.Delay(TimeSpan.FromSeconds(1), Cancel);
        Assert.Equal("pending", await StatusAsync(late.NotificationId));
        clock.SetUtcNow(AmsterdamTime.At(2026, 6, 3, 16, 0));
        await Eventually.MatchesAsync(() => StatusAsync(late.NotificationId), status => status == "sent", "the next day's batch to print the late letter");
    }

    private sealed record Sender(TestPartner Partner, string Name, Guid TrajectoryId);

    private async Task<Sender> PartnerWithTrajectoryAsync(string name)
    {
        var tokenServer = channels.Containers.TokenServer;
        var uniqueName = $"{name} {Guid.NewGuid().ToString("N")[..6]}";
        var partner = await tokenServer.RegisterPartnerAsync("housing-corporation", uniqueName);
        var trajectoryId = await tokenServer.CreateTrajectoryAsync(partner, $"BU{Random.Shared.Next(10_000_000, 99_999_999)}");
        // Its name arrives by PartnerRegistered; the letters carry it.
        await Eventually.MatchesAsync(
            () => CountAsync("SELECT count(*) FROM letter_senders WHERE partner_id = @Id", new { Id = partner.PartnerId }),
            count => count == 1,
            "the partner's name to reach the notifications service");
        return new Sender(partner, uniqueName, trajectoryId);
    }

    private async Task<(Guid NotificationId, Guid ResidentId)> LetterAsync(Sender sender, string language, string title, string body, string? postcode)
    {
        var letter = await NotificationAsync(sender, Channels.Letter, language, title, body);
        if (postcode is not null)
        {
            channels.Contacts.Add(letter.ResidentId, Channels.Letter, new ContactDetails
            {
                PostalAddress = new PostalAddress
                {
                    Name = "Bewoner " + letter.ResidentId.ToString()[..8],
                    Street = "Brievenbuslaan",
                    HouseNumber = 12,
                    HouseNumberSuffix = "b",
                    Postcode = postcode,
                    City = "Amsterdam",
                },
            });
        }

        return letter;
    }

    private async Task<(Guid NotificationId, Guid ResidentId)> NotificationAsync(Sender sender, string channel, string language, string title, string body)
    {
        var notificationId = Guid.NewGuid();
        var residentId = Guid.NewGuid();
        await using var connection = await OpenAsync();
        // created_at in order of insertion, so that the batch's page order is the order the letters were made.
        await connection.ExecuteAsync(
            """
            INSERT INTO notifications (id, resident_id, kind, subject_id, trajectory_id, language, channel, title, body, status, created_at)
            VALUES (@NotificationId, @ResidentId, 'consultation-opened', @TrajectoryId, @TrajectoryId, @Language, @Channel, @Title, @Body, 'pending', clock_timestamp())
            """,
            new { NotificationId = notificationId, ResidentId = residentId, sender.TrajectoryId, Language = language, Channel = channel, Title = title, Body = body });
        return (notificationId, residentId);
    }

    private static async Task<JsonElement> CutAsync(HttpClient client)
    {
        var response = await client.PostAsync("/v1/notifications/letter-batches", null, Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<string> StatusAsync(Guid notificationId)
    {
        await using var connection = await OpenAsync();
        return await connection.QuerySingleAsync<string>("SELECT status FROM notifications WHERE id = @Id", new { Id = notificationId });
    }

    private async Task<LetterBatchResponse> BatchOfAsync(Guid notificationId)
    {
        await using var connection = await OpenAsync();
        return await connection.QuerySingleAsync<LetterBatchResponse>(
            """
            SELECT b.id, b.partner_id AS PartnerId, b.sender_name AS SenderName, b.print_date AS PrintDate, b.created_at AS CreatedAt,
                   b.cut_by AS CutBy, b.letter_count AS LetterCount, b.page_count AS PageCount
            FROM letter_batches b JOIN letter_batch_letters l ON l.batch_id = b.id
            WHERE l.notification_id = @Id
            """,
            new { Id = notificationId });
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
