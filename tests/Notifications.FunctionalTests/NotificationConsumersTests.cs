using System.Net.Http.Json;
using System.Text.Json;
using Participatie.Contracts;
using Participatie.Testing;

namespace Participatie.Notifications.FunctionalTests;

[Collection(NotificationsCollection.Name)]
public sealed class NotificationConsumersTests : IAsyncLifetime
{
    private readonly NotificationsService _service;
    private readonly PlatformContainers _containers;
    private HttpClient _client = null!;
    private Guid _partnerId;
    private Guid _trajectoryId;
    // Each test works in a buurt of its own.
    private readonly string _buurtCode = $"BU{Random.Shared.Next(10_000_000, 99_999_999)}";

    public NotificationConsumersTests(NotificationsService service, PlatformContainers containers)
    {
        _service = service;
        _containers = containers;
        _service.StartObserving();
    }

    public async ValueTask InitializeAsync()
    {
        // The partner reads the notifications of its own trajectory, which covers this test's buurt.
        var partner = await _containers.TokenServer.RegisterPartnerAsync("social-institution");
        _partnerId = partner.PartnerId;
        _trajectoryId = await _containers.TokenServer.CreateTrajectoryAsync(partner, _buurtCode);
        _client = partner.Authorize(_service.CreateClient());
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Opening_a_consultation_notifies_each_resident_of_the_buurt_once_in_their_language()
    {
        var dutch = await RegisterAsync(Languages.Dutch, Channels.Email);
        var turkish = await RegisterAsync(Languages.Turkish, Channels.Sms);
        var elsewhere = await RegisterAsync(Languages.Dutch, Channels.Email, "BU00000001");
        var consultation = new ConsultationOpened(
            Guid.NewGuid(), _trajectoryId, Guid.NewGuid(), "Renovatie Kolenkitbuurt", _buurtCode, new DateOnly(2030, 1, 31), DateTimeOffset.UtcNow);

        await _service.PublishAsync(consultation, Guid.NewGuid());

        var invitations = await Eventually.MatchesAsync(
            () => NotificationsAsync(subjectId: consultation.ConsultationId),
            list => list.Count >= 2,
            "an invitation for both residents of the buurt");
        Assert.Equal(2, invitations.Count);
        var toTurkish = Assert.Single(invitations, n => n.GetProperty("residentId").GetGuid() == turkish);
        Assert.Equal("tr", toTurkish.GetProperty("language").GetString());
        Assert.Equal("sms", toTurkish.GetProperty("channel").GetString());
        Assert.Equal("Fikriniz soruluyor: Renovatie Kolenkitbuurt", toTurkish.GetProperty("title").GetString());
        var toDutch = Assert.Single(invitations, n => n.GetProperty("residentId").GetGuid() == dutch);
        Assert.Contains("31 januari 2030", toDutch.GetProperty("body").GetString(), StringComparison.Ordinal);
        Assert.Empty(await NotificationsAsync(residentId: elsewhere));
    }

    [Fact]
    public async Task A_resident_who_registers_after_the_consultation_opened_is_still_invited_once()
    {
        var consultation = new ConsultationOpened(
            Guid.NewGuid(), _trajectoryId, Guid.NewGuid(), "Groen in de buurt", _buurtCode, new DateOnly(2030, 6, 30), DateTimeOffset.UtcNow);
        var consultationMessage = Guid.NewGuid();
        await _service.PublishAsync(consultation, consultationMessage);
        await Eventually.MatchesAsync(
            () => Task.FromResult(_service.Consumed.DeliveriesOf(consultationMessage)), count => count >= ConsumedMessages.ConsumersOf<ConsultationOpened>(), "the consultation to be recorded");

        var late = await RegisterAsync(Languages.Polish, Channels.App);

        var invitation = Assert.Single(await Eventually.MatchesAsync(
            () => NotificationsAsync(residentId: late), list => list.Count >= 1, "the late resident's invitation"));
        Assert.Equal("Prosimy o Twoją opinię: Groen in de buurt", invitation.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Residents_registered_in_bulk_are_known_and_invited_to_open_consultations_in_their_own_language()
    {
        var consultation = new ConsultationOpened(
            Guid.NewGuid(), _trajectoryId, Guid.NewGuid(), "Nieuwe entree", _buurtCode, new DateOnly(2030, 3, 31), DateTimeOffset.UtcNow);
        var consultationMessage = Guid.NewGuid();
        await _service.PublishAsync(consultation, consultationMessage);
        await Eventually.MatchesAsync(
            () => Task.FromResult(_service.Consumed.DeliveriesOf(consultationMessage)), count => count >= ConsumedMessages.ConsumersOf<ConsultationOpened>(), "the consultation to be recorded");

        var arabic = new ResidentRegistered(Guid.NewGuid(), _buurtCode, Languages.Arabic, Channels.Letter, DateTimeOffset.UtcNow, RegisteredByPartnerId: _partnerId);
        var dutch = new ResidentRegistered(Guid.NewGuid(), _buurtCode, Languages.Dutch, Channels.Email, DateTimeOffset.UtcNow, RegisteredByPartnerId: _partnerId);
        var elsewhere = new ResidentRegistered(Guid.NewGuid(), "BU00000002", Languages.Dutch, Channels.Email, DateTimeOffset.UtcNow, RegisteredByPartnerId: _partnerId);
        var bulkMessage = Guid.NewGuid();
        await _service.PublishAsync(new ResidentsRegistered([arabic, dutch, elsewhere]), bulkMessage);
        await _service.PublishAsync(new ResidentsRegistered([arabic, dutch, elsewhere]), bulkMessage);
        await Eventually.MatchesAsync(
            () => Task.FromResult(_service.Consumed.DeliveriesOf(bulkMessage)),
            count => count >= 2 * ConsumedMessages.ConsumersOf<ResidentsRegistered>(),
            "both deliveries of the bulk to be consumed");

        var invitations = await NotificationsAsync(subjectId: consultation.ConsultationId);
        Assert.Equal(2, invitations.Count);
        var toArabic = Assert.Single(invitations, n => n.GetProperty("residentId").GetGuid() == arabic.ResidentId);
        Assert.Equal("ar", toArabic.GetProperty("language").GetString());
        Assert.Equal("letter", toArabic.GetProperty("channel").GetString());
        Assert.Single(invitations, n => n.GetProperty("residentId").GetGuid() == dutch.ResidentId);

        // Known: a receipt for a bulk-registered resident needs no retry.
        var reactionId = Guid.NewGuid();
        await _service.PublishAsync(
            new ReactionSubmitted(reactionId, consultation.ConsultationId, _trajectoryId, dutch.ResidentId, "Nieuwe entree", DateTimeOffset.UtcNow, new DateOnly(2030, 4, 1)),
            Guid.NewGuid());
        var receipt = Assert.Single(await Eventually.MatchesAsync(
            () => NotificationsAsync(subjectId: reactionId), list => list.Count >= 1, "the receipt", TimeSpan.FromSeconds(5)));
        Assert.Equal("email", receipt.GetProperty("channel").GetString());
    }

    [Fact]
    public async Task A_redelivered_event_creates_no_second_notification()
    {
        var resident = await RegisterAsync(Languages.English, Channels.Email);
        var answer = new ReactionAnswered(
            Guid.NewGuid(), Guid.NewGuid(), _trajectoryId, resident, "Renovatie", ReactionStatuses.Adopted, "We add more light.", DateTimeOffset.UtcNow);
        var messageId = Guid.NewGuid();

        await _service.PublishAsync(answer, messageId);
        await _service.PublishAsync(answer, messageId);
        // Both deliveries, each taken by every consumer of the event (the answer's and the subscriptions'): counting
        // two alone was met by the subscriptions' consumer before the answer was stored (seen once in CI).
        await Eventually.MatchesAsync(
            () => Task.FromResult(_service.Consumed.DeliveriesOf(messageId)),
            count => count >= 2 * ConsumedMessages.ConsumersOf<ReactionAnswered>(),
            "both deliveries to be consumed by every consumer");

        var notification = Assert.Single(await NotificationsAsync(subjectId: answer.ReactionId));
        Assert.Equal("Answer to your reaction: adopted", notification.GetProperty("title").GetString());

        // The same answer under a new message id is a new event (the outcome was announced again): it is recorded,
        // which shows that it is the message id, and nothing else, that kept the redelivery out.
        await _service.PublishAsync(answer, Guid.NewGuid());
        await Eventually.MatchesAsync(
            () => NotificationsAsync(subjectId: answer.ReactionId), list => list.Count == 2, "the second, distinct event to be recorded");
    }

    [Fact]
    public async Task Every_status_change_of_a_reaction_reaches_the_resident()
    {
        var resident = await RegisterAsync(Languages.Dutch, Channels.Letter);
        var reactionId = Guid.NewGuid();
        await _service.PublishAsync(new ReactionSubmitted(reactionId, Guid.NewGuid(), _trajectoryId, resident, "Speeltuin", DateTimeOffset.UtcNow, new DateOnly(2030, 5, 6)), Guid.NewGuid());
        await _service.PublishAsync(
            new ReactionAnswered(reactionId, Guid.NewGuid(), _trajectoryId, resident, "Speeltuin", ReactionStatuses.UnderConsideration, "We bekijken het.", DateTimeOffset.UtcNow),
            Guid.NewGuid());
        await _service.PublishAsync(
            new ReactionAnswered(reactionId, Guid.NewGuid(), _trajectoryId, resident, "Speeltuin", ReactionStatuses.NotAdopted, "Er is geen ruimte.", DateTimeOffset.UtcNow),
            Guid.NewGuid());

        var notifications = await Eventually.MatchesAsync(
            () => NotificationsAsync(subjectId: reactionId), list => list.Count >= 3, "the receipt and both answers");
        Assert.Equal(
            ["Antwoord op uw reactie: in behandeling", "Antwoord op uw reactie: niet overgenomen", "We hebben uw reactie ontvangen"],
            notifications.Select(n => n.GetProperty("title").GetString()).Order(StringComparer.Ordinal));
        Assert.All(notifications, n => Assert.Equal("letter", n.GetProperty("channel").GetString()));
    }

    [Fact]
    public async Task A_reaction_gets_one_receipt_however_often_its_event_arrives()
    {
        // The receipt's consumer keeps no inbox: its unique index makes the one write idempotent (issue 7). Redelivered
        // under the same message id, or relayed again under a new one, a reaction's event leaves one receipt.
        var resident = await RegisterAsync(Languages.Dutch, Channels.Email);
        var submitted = new ReactionSubmitted(Guid.NewGuid(), Guid.NewGuid(), _trajectoryId, resident, "Speeltuin", DateTimeOffset.UtcNow, new DateOnly(2030, 5, 6));
        var messageId = Guid.NewGuid();
        var again = Guid.NewGuid();

        await _service.PublishAsync(submitted, messageId);
        await _service.PublishAsync(submitted, messageId);
        await _service.PublishAsync(submitted, again);
        await Eventually.MatchesAsync(
            () => Task.FromResult((_service.Consumed.DeliveriesOf(messageId), _service.Consumed.DeliveriesOf(again))),
            counts => counts.Item1 >= 2 * ConsumedMessages.ConsumersOf<ReactionSubmitted>() && counts.Item2 >= ConsumedMessages.ConsumersOf<ReactionSubmitted>(),
            "the three deliveries to be consumed");

        var receipt = Assert.Single(await NotificationsAsync(subjectId: submitted.ReactionId));
        Assert.Equal("We hebben uw reactie ontvangen", receipt.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Reactions_arriving_together_each_get_their_receipt_and_one_of_a_resident_known_later_gets_it_once_they_are()
    {
        // Several reactions at once, in two languages, one of them from a resident whose registration has not arrived
        // yet: the others are not held up by it, and it gets its receipt once the resident is known.
        var dutch = await RegisterAsync(Languages.Dutch, Channels.Email);
        var turkish = await RegisterAsync(Languages.Turkish, Channels.Sms);
        var lateResident = new ResidentRegistered(Guid.NewGuid(), _buurtCode, Languages.Polish, Channels.App, DateTimeOffset.UtcNow, RegisteredByPartnerId: _partnerId);
        var consultationId = Guid.NewGuid();
        ReactionSubmitted Submitted(Guid residentId) =>
            new(Guid.NewGuid(), consultationId, _trajectoryId, residentId, "Speeltuin", DateTimeOffset.UtcNow, new DateOnly(2030, 5, 6));
        var reactions = new[] { Submitted(dutch), Submitted(turkish), Submitted(dutch), Submitted(lateResident.ResidentId) };

        await Task.WhenAll(reactions.Select(reaction => _service.PublishAsync(reaction, Guid.NewGuid())));
        foreach (var known in reactions.Take(3))
        {
            var receipt = Assert.Single(await Eventually.MatchesAsync(
                () => NotificationsAsync(subjectId: known.ReactionId), list => list.Count >= 1, "the receipt of a known resident"));
            Assert.Equal(known.ResidentId, receipt.GetProperty("residentId").GetGuid());
        }

        var turkishReceipt = Assert.Single(await NotificationsAsync(subjectId: reactions[1].ReactionId));
        Assert.Equal("tr", turkishReceipt.GetProperty("language").GetString());
        Assert.Equal("sms", turkishReceipt.GetProperty("channel").GetString());
        Assert.Empty(await NotificationsAsync(subjectId: reactions[3].ReactionId));

        await _service.PublishAsync(lateResident, Guid.NewGuid());
        // The late receipt tries again after 1, 2, 5, 10 and 30 s: a registration that lands just after the fourth try
        // waits up to 30 s for the fifth (a loaded test run once took longer than the default 30 s wait).
        var late = Assert.Single(await Eventually.MatchesAsync(
            () => NotificationsAsync(subjectId: reactions[3].ReactionId), list => list.Count >= 1, "the late resident's receipt",
            TimeSpan.FromSeconds(75)));
        Assert.Equal("pl", late.GetProperty("language").GetString());
        Assert.Equal(2, (await NotificationsAsync(residentId: dutch)).Count);
    }

    [Fact]
    public async Task Reactions_written_together_come_as_one_event_and_each_gets_its_receipt_once_even_when_it_comes_twice()
    {
        var dutch = await RegisterAsync(Languages.Dutch, Channels.Email);
        var turkish = await RegisterAsync(Languages.Turkish, Channels.Sms);
        var consultationId = Guid.NewGuid();
        ReactionSubmitted Submitted(Guid residentId) =>
            new(Guid.NewGuid(), consultationId, _trajectoryId, residentId, "Speeltuin", DateTimeOffset.UtcNow, new DateOnly(2030, 5, 6));
        var together = new ReactionsSubmitted([Submitted(dutch), Submitted(turkish), Submitted(dutch)]);

        // The same message twice, as a relay that died before marking it sent would send it again.
        var messageId = Guid.NewGuid();
        await _service.PublishAsync(together, messageId);
        await _service.PublishAsync(together, messageId);

        foreach (var reaction in together.Reactions)
        {
            var receipt = Assert.Single(await Eventually.MatchesAsync(
                () => NotificationsAsync(subjectId: reaction.ReactionId), list => list.Count >= 1, "the receipt of each reaction"));
            Assert.Equal(reaction.ResidentId, receipt.GetProperty("residentId").GetGuid());
        }

        await Eventually.MatchesAsync(
            () => Task.FromResult(_service.Consumed.DeliveriesOf(messageId)),
            count => count >= 2 * ConsumedMessages.ConsumersOf<ReactionsSubmitted>(),
            "both deliveries to be handled");
        foreach (var reaction in together.Reactions)
        {
            Assert.Single(await NotificationsAsync(subjectId: reaction.ReactionId));
        }

        Assert.Equal("tr", Assert.Single(await NotificationsAsync(subjectId: together.Reactions[1].ReactionId)).GetProperty("language").GetString());
    }

    [Fact]
    public async Task Reactions_of_residents_never_known_do_not_hold_up_the_receipts_that_come_after_them()
    {
        // Receipts are taken in batches, two at a time. A batch that waited for its unknown resident would be tried
        // again whole for ten minutes, and two such batches would stop every receipt after them. Each of these two
        // reactions comes in a batch of its own (the next is published once the first was handled).
        var consultationId = Guid.NewGuid();
        ReactionSubmitted Submitted(Guid residentId) =>
            new(Guid.NewGuid(), consultationId, _trajectoryId, residentId, "Speeltuin", DateTimeOffset.UtcNow, new DateOnly(2030, 5, 6));
        foreach (var neverKnown in new[] { Guid.NewGuid(), Guid.NewGuid() })
        {
            var messageId = Guid.NewGuid();
            await _service.PublishAsync(Submitted(neverKnown), messageId);
            await Eventually.MatchesAsync(
                () => Task.FromResult(_service.Consumed.DeliveriesOf(messageId)), count => count >= 1, "the batch of an unknown resident's reaction to be done");
        }

        var known = Submitted(await RegisterAsync(Languages.Dutch, Channels.Email));
        await _service.PublishAsync(known, Guid.NewGuid());
        Assert.Single(await Eventually.MatchesAsync(
            () => NotificationsAsync(subjectId: known.ReactionId), list => list.Count >= 1, "the receipt of a known resident"));
    }

    [Fact]
    public async Task Partners_outside_the_trajectory_see_none_of_its_notifications()
    {
        var resident = await RegisterAsync(Languages.Dutch, Channels.Email);
        var reactionId = Guid.NewGuid();
        await _service.PublishAsync(new ReactionSubmitted(reactionId, Guid.NewGuid(), _trajectoryId, resident, "Speeltuin", DateTimeOffset.UtcNow, new DateOnly(2030, 5, 6)), Guid.NewGuid());
        var receipt = Assert.Single(await Eventually.MatchesAsync(
            () => NotificationsAsync(subjectId: reactionId), list => list.Count >= 1, "the receipt"));

        var outsider = await _containers.TokenServer.RegisterPartnerAsync("municipality");
        using var outsiderClient = outsider.Authorize(_service.CreateClient());
        var page = await outsiderClient.GetFromJsonAsync<JsonElement>($"/v1/notifications?subjectId={reactionId}", Cancel);
        Assert.Equal(0, page.GetProperty("totalCount").GetInt32());
        var single = await outsiderClient.GetAsync($"/v1/notifications/{receipt.GetProperty("id").GetGuid()}", Cancel);
        await single.AssertProblemAsync(System.Net.HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_partner_of_the_trajectory_sees_only_the_notifications_of_the_residents_it_registered()
    {
        var lead = await _containers.TokenServer.RegisterPartnerAsync("housing-corporation");
        var trajectoryId = await _containers.TokenServer.CreateTrajectoryAsync(lead, _buurtCode);
        var contributor = await _containers.TokenServer.RegisterPartnerAsync("municipality");
        await _containers.TokenServer.SetMemberAsync(lead, trajectoryId, contributor.PartnerId, "contributor");
        var resident = new ResidentRegistered(Guid.NewGuid(), _buurtCode, Languages.Turkish, Channels.Sms, DateTimeOffset.UtcNow, RegisteredByPartnerId: lead.PartnerId);
        await _service.PublishAsync(resident, Guid.NewGuid());
        var reactionId = Guid.NewGuid();
        await _service.PublishAsync(new ReactionSubmitted(reactionId, Guid.NewGuid(), trajectoryId, resident.ResidentId, "Speeltuin", DateTimeOffset.UtcNow, new DateOnly(2030, 5, 6)), Guid.NewGuid());
        using var leadClient = lead.Authorize(_service.CreateClient());
        using var contributorClient = contributor.Authorize(_service.CreateClient());
        var receipt = Assert.Single(await Eventually.MatchesAsync(
            async () => (await leadClient.GetFromJsonAsync<JsonElement>($"/v1/notifications?subjectId={reactionId}", Cancel)).GetProperty("items").EnumerateArray().ToList(),
            list => list.Count >= 1, "the receipt, for the partner that registered the resident"));
        Assert.Equal(resident.ResidentId, receipt.GetProperty("residentId").GetGuid());

        // The contributor takes part in the same trajectory, but the resident is not its own: no id, language or channel.
        var page = await contributorClient.GetFromJsonAsync<JsonElement>($"/v1/notifications?subjectId={reactionId}", Cancel);
        Assert.Equal(0, page.GetProperty("totalCount").GetInt32());
        await (await contributorClient.GetAsync($"/v1/notifications/{receipt.GetProperty("id").GetGuid()}", Cancel)).AssertProblemAsync(System.Net.HttpStatusCode.NotFound);
        await (await contributorClient.GetAsync($"/v1/notifications/residents/{resident.ResidentId}/feed", Cancel)).AssertProblemAsync(System.Net.HttpStatusCode.NotFound);

        // Once the contributor registers the same resident (the residents service links them), it sees them too.
        await _service.PublishAsync(new ResidentsLinkedToPartner([resident.ResidentId], contributor.PartnerId, DateTimeOffset.UtcNow), Guid.NewGuid());
        await Eventually.MatchesAsync(
            async () => (await contributorClient.GetFromJsonAsync<JsonElement>($"/v1/notifications?subjectId={reactionId}", Cancel)).GetProperty("totalCount").GetInt32(),
            count => count == 1, "the receipt, once the contributor is linked to the resident");
    }

    private async Task<Guid> RegisterAsync(string language, string channel, string? buurtCode = null)
    {
        var resident = new ResidentRegistered(Guid.NewGuid(), buurtCode ?? _buurtCode, language, channel, DateTimeOffset.UtcNow, RegisteredByPartnerId: _partnerId);
        var messageId = Guid.NewGuid();
        await _service.PublishAsync(resident, messageId);
        await Eventually.MatchesAsync(
            () => Task.FromResult(_service.Consumed.DeliveriesOf(messageId)), count => count >= 1, "the resident to be known");
        return resident.ResidentId;
    }

    private async Task<IReadOnlyList<JsonElement>> NotificationsAsync(Guid? residentId = null, Guid? subjectId = null)
    {
        var query = residentId is not null ? $"residentId={residentId}" : $"subjectId={subjectId}";
        var page = await _client.GetFromJsonAsync<JsonElement>($"/v1/notifications?{query}&pageSize=100", Cancel);
        return [.. page.GetProperty("items").EnumerateArray()];
    }
}
