using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Participatie.BuildingBlocks.Time;
using Participatie.Contracts;
using Participatie.Notifications.Delivery;
using Participatie.Testing;

namespace Participatie.Notifications.FunctionalTests;

/// <summary>
/// Residents' snapshots (ResidentProfileChanged) keep the recipients up to date, and consent decides what is
/// created and sent (issue 9, part 3); a resident's own quiet hours hold their e-mail and SMS.
/// </summary>
[Collection(NotificationsCollection.Name)]
public sealed class ResidentProfileNotificationsTests : IAsyncLifetime
{
    private readonly NotificationsService _service;
    private readonly PlatformContainers _containers;
    private readonly string _buurtCode = TestData.NewBuurtCode();
    private HttpClient _client = null!;
    private Guid _partnerId;
    private Guid _trajectoryId;

    public ResidentProfileNotificationsTests(NotificationsService service, PlatformContainers containers)
    {
        _service = service;
        _containers = containers;
        _service.StartObserving();
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var partner = await _containers.TokenServer.RegisterPartnerAsync("housing-corporation");
        _partnerId = partner.PartnerId;
        _trajectoryId = await _containers.TokenServer.CreateTrajectoryAsync(partner, _buurtCode);
        _client = partner.Authorize(_service.CreateClient());
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task No_notification_is_created_for_a_resident_without_participation_consent()
    {
        var consenting = await RegisterAsync(Languages.Dutch);
        var withdrawn = await RegisterAsync(Languages.Dutch);
        await SnapshotAsync(withdrawn, 2, Languages.Dutch, consents: []);

        var consultation = new ConsultationOpened(
            Guid.NewGuid(), _trajectoryId, Guid.NewGuid(), "Nieuwe bankjes", _buurtCode, new DateOnly(2030, 3, 31), DateTimeOffset.UtcNow);
        var consultationMessage = Guid.NewGuid();
        await _service.PublishAsync(consultation, consultationMessage);
        await Eventually.MatchesAsync(
            () => Task.FromResult(_service.Consumed.DeliveriesOf(consultationMessage)), count => count >= ConsumedMessages.ConsumersOf<ConsultationOpened>(), "the consultation to be handled");
        var receiptMessage = Guid.NewGuid();
        await _service.PublishAsync(
            new ReactionSubmitted(Guid.NewGuid(), consultation.ConsultationId, _trajectoryId, withdrawn, "Nieuwe bankjes", DateTimeOffset.UtcNow, new DateOnly(2030, 4, 1)),
            receiptMessage);
        await Eventually.MatchesAsync(
            () => Task.FromResult(_service.Consumed.DeliveriesOf(receiptMessage)), count => count >= ConsumedMessages.ConsumersOf<ReactionSubmitted>(), "the reaction to be handled");

        Assert.Single(await NotificationsAsync(consenting));
        Assert.Empty(await NotificationsAsync(withdrawn));

        // Consent given again: from then on the resident is told, in the language of the newest snapshot.
        await SnapshotAsync(withdrawn, 3, Languages.Turkish, consents: [ConsentPurposes.Participation]);
        var invitation = Assert.Single(await Eventually.MatchesAsync(() => NotificationsAsync(withdrawn), list => list.Count >= 1, "the invitation once consent is given"));
        Assert.Equal("tr", invitation.GetProperty("language").GetString());
    }

    [Fact]
    public async Task A_waiting_notification_is_not_sent_once_consent_is_withdrawn_and_an_older_snapshot_changes_nothing()
    {
        // By e-mail, which waits for the worker; an app feed receipt is delivered as it is recorded.
        var resident = await RegisterAsync(Languages.Dutch, Channels.Email);
        var reactionId = Guid.NewGuid();
        await _service.PublishAsync(
            new ReactionSubmitted(reactionId, Guid.NewGuid(), _trajectoryId, resident, "Speeltuin", DateTimeOffset.UtcNow, new DateOnly(2030, 5, 6)), Guid.NewGuid());
        var receipt = Assert.Single(await Eventually.MatchesAsync(() => NotificationsAsync(resident), list => list.Count >= 1, "the receipt"));
        Assert.Equal("pending", receipt.GetProperty("status").GetString());

        await SnapshotAsync(resident, 5, Languages.Dutch, consents: [ConsentPurposes.Research], channel: Channels.Email);
        await Eventually.MatchesAsync(
            async () => Assert.Single(await NotificationsAsync(resident)).GetProperty("status").GetString(),
            status => status == "failed",
            "the receipt to be withheld");

        // A late snapshot of an earlier version (with consent) does not give it back.
        await SnapshotAsync(resident, 4, Languages.Arabic, consents: [ConsentPurposes.Participation]);
        await using var connection = new NpgsqlConnection(_containers.Postgres.GetConnectionString());
        var recipient = await connection.QuerySingleAsync<(string Language, string[] Consents, long Version)>(
            "SELECT preferred_language, consents, profile_version FROM recipients WHERE resident_id = @Id", new { Id = resident });
        Assert.Equal((Languages.Dutch, 5L), (recipient.Language, recipient.Version));
        Assert.Equal([ConsentPurposes.Research], recipient.Consents);
    }

    [Fact]
    public async Task A_resident_in_their_own_quiet_hours_has_their_e_mail_held_until_those_end()
    {
        var now = DateTimeOffset.UtcNow;
        var local = AmsterdamClock.ToAmsterdam(now);
        // Quiet hours of their own around this moment (across midnight when it is late): the platform's say nothing here.
        var start = new TimeOnly(local.Hour, local.Minute).AddHours(-1);
        var end = new TimeOnly(local.Hour, local.Minute).AddHours(1);
        var quiet = await RegisterAsync(Languages.Dutch, Channels.Email);
        await SnapshotAsync(quiet, 2, Languages.Dutch, [ConsentPurposes.Participation], Channels.Email, start, end);
        await _service.PublishAsync(
            new ReactionSubmitted(Guid.NewGuid(), Guid.NewGuid(), _trajectoryId, quiet, "Speeltuin", now, new DateOnly(2030, 5, 6)), Guid.NewGuid());
        var receipt = Assert.Single(await Eventually.MatchesAsync(() => NotificationsAsync(quiet), list => list.Count >= 1, "the receipt"));

        var held = await _service.Services.GetRequiredService<DeliveryStore>()
            .HoldForOwnQuietHoursAsync([Channels.Email, Channels.Sms], DateTimeOffset.UtcNow, Cancel);

        Assert.True(held >= 1);
        await using var connection = new NpgsqlConnection(_containers.Postgres.GetConnectionString());
        var nextAttempt = await connection.QuerySingleAsync<DateTime>(
            "SELECT next_attempt_at FROM notifications WHERE id = @Id", new { Id = receipt.GetProperty("id").GetGuid() });
        var endsLocal = AmsterdamClock.ToAmsterdam(new DateTimeOffset(nextAttempt, TimeSpan.Zero));
        Assert.Equal(end, TimeOnly.FromDateTime(endsLocal.DateTime));
        Assert.InRange(endsLocal - local, TimeSpan.FromMinutes(58), TimeSpan.FromMinutes(61));
        Assert.Equal("held-for-quiet-hours", await connection.QuerySingleAsync<string>(
            "SELECT event FROM delivery_events WHERE notification_id = @Id", new { Id = receipt.GetProperty("id").GetGuid() }));
    }

    private async Task<Guid> RegisterAsync(string language, string channel = Channels.App)
    {
        var resident = new ResidentRegistered(Guid.NewGuid(), _buurtCode, language, channel, DateTimeOffset.UtcNow, RegisteredByPartnerId: _partnerId);
        var messageId = Guid.NewGuid();
        await _service.PublishAsync(resident, messageId);
        await Eventually.MatchesAsync(() => Task.FromResult(_service.Consumed.DeliveriesOf(messageId)), count => count >= 1, "the resident to be known");
        return resident.ResidentId;
    }

    private async Task SnapshotAsync(
        Guid residentId, long version, string language, IReadOnlyList<string> consents, string channel = Channels.App,
        TimeOnly? quietHoursStart = null, TimeOnly? quietHoursEnd = null)
    {
        var messageId = Guid.NewGuid();
        await _service.PublishAsync(
            new ResidentProfileChanged(
                residentId, version, _buurtCode, language, channel, DigestFrequencies.Immediately, 1970, Tenures.Tenant, consents,
                quietHoursStart, quietHoursEnd, DateTimeOffset.UtcNow),
            messageId);
        await Eventually.MatchesAsync(() => Task.FromResult(_service.Consumed.DeliveriesOf(messageId)), count => count >= 1, "the snapshot to be applied");
    }

    private async Task<IReadOnlyList<JsonElement>> NotificationsAsync(Guid residentId)
    {
        var page = await _client.GetFromJsonAsync<JsonElement>($"/v1/notifications?residentId={residentId}&pageSize=100", Cancel);
        return [.. page.GetProperty("items").EnumerateArray()];
    }
}
