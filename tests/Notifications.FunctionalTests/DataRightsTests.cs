using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Participatie.Contracts;
using Participatie.Notifications.Delivery;
using Participatie.Testing;

namespace Participatie.Notifications.FunctionalTests;

/// <summary>
/// Data rights in notifications: an export request is answered with every notification sent to the resident and its
/// way there; an erasure deletes them with the recipient, confirms once, and nothing about the resident comes back:
/// not from a notification that was being sent at that moment, nor from an event still on its way.
/// </summary>
[Collection(NotificationsCollection.Name)]
public sealed class DataRightsTests(NotificationsService service, PlatformContainers containers)
{
    private readonly string _buurtCode = $"BU{Random.Shared.Next(10_000_000, 99_999_999)}";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_export_part_lists_the_notifications_and_erasure_deletes_them_for_good_confirming_once()
    {
        await using var database = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        var store = service.Services.GetRequiredService<DeliveryStore>();
        var residentId = await RegisterAsync(database, Guid.NewGuid());
        var neighbourId = await RegisterAsync(database, Guid.NewGuid());
        var sent = await ReceiptAsync(database, residentId);
        var sending = await ReceiptAsync(database, residentId);
        var neighbours = await ReceiptAsync(database, neighbourId);

        // One receipt went out (the worker's record of it), the other is being sent at this moment.
        var sentClaim = await ClaimAsync(database, sent);
        await store.RecordAsync(sentClaim, "sent", "sent", DateTimeOffset.UtcNow, providerReference: $"test-{sent}", cancellationToken: Cancel);
        var inFlight = await ClaimAsync(database, sending);

        var exportId = Guid.NewGuid();
        await service.PublishAsync(new ResidentDataExportRequested(exportId, residentId, DateTimeOffset.UtcNow), Guid.NewGuid());
        var payload = await Eventually.MatchesAsync(
            () => database.QuerySingleOrDefaultAsync<string?>(
                "SELECT payload::text FROM outbox_messages WHERE message_type LIKE 'Participatie.Contracts.ResidentDataExported,%' AND payload->>'exportId' = @Id",
                new { Id = exportId.ToString() }),
            found => found is not null,
            "the export part");
        var message = JsonDocument.Parse(payload!).RootElement;
        Assert.Equal(DataHoldingServices.Notifications, message.GetProperty("service").GetString());
        var data = JsonDocument.Parse(message.GetProperty("dataJson").GetString()!).RootElement;
        var notifications = data.GetProperty("notifications").EnumerateArray().ToList();
        Assert.Equal(new[] { sent, sending }.Order(), notifications.Select(notification => notification.GetProperty("id").GetGuid()).Order());
        var sentPart = notifications.Single(notification => notification.GetProperty("id").GetGuid() == sent);
        Assert.Equal("sent", sentPart.GetProperty("status").GetString());
        Assert.Equal(["sent"], sentPart.GetProperty("deliveryEvents").EnumerateArray().Select(step => step.GetProperty("event").GetString()));
        Assert.Equal("We hebben uw reactie ontvangen", sentPart.GetProperty("title").GetString());
        Assert.Contains("Het plein", sentPart.GetProperty("body").GetString(), StringComparison.Ordinal);
        Assert.Equal(_buurtCode, Assert.Single(data.GetProperty("profile").EnumerateArray()).GetProperty("buurtCode").GetString());

        var erasureId = Guid.NewGuid();
        await service.PublishAsync(new ResidentErased(erasureId, residentId, DateTimeOffset.UtcNow), Guid.NewGuid());
        await Eventually.MatchesAsync(() => ConfirmationsAsync(database, erasureId), count => count == 1, "the erasure to be confirmed");
        Assert.Equal(0, await HeldAsync(database, residentId, sent, sending));
        // The copy of the data in the export part waiting in the outbox goes too.
        Assert.Equal(0, await database.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM outbox_messages WHERE message_type LIKE 'Participatie.Contracts.ResidentDataExported,%' AND payload->>'exportId' = @Id",
            new { Id = exportId.ToString() }));
        Assert.Equal(1, await database.ExecuteScalarAsync<int>("SELECT count(*) FROM notifications WHERE id = @Id", new { Id = neighbours }));

        // The worker that was sending finishes after the erasure: neither its record nor its failure (with a letter
        // as fallback) brings anything back.
        await store.RecordAsync(inFlight, "sent", "sent", DateTimeOffset.UtcNow, cancellationToken: Cancel);
        await store.FailAsync(inFlight, "bounced", "mailbox unknown", addressRefused: false, DateTimeOffset.UtcNow, Cancel);
        // Nor does an event still on its way (a late registration), a second delivery of the erasure under another
        // message id, or any statement that inserts a notification for the resident.
        var (lateRegistration, repeat) = (Guid.NewGuid(), Guid.NewGuid());
        await service.PublishAsync(new ResidentRegistered(residentId, _buurtCode, Languages.Dutch, Channels.Email, DateTimeOffset.UtcNow), lateRegistration);
        await service.PublishAsync(new ResidentErased(erasureId, residentId, DateTimeOffset.UtcNow), repeat);
        await Eventually.MatchesAsync(
            () => database.ExecuteScalarAsync<int>("SELECT count(*) FROM inbox_messages WHERE message_id = ANY(@Ids)", new { Ids = new[] { lateRegistration, repeat } }),
            count => count == 2,
            "the late events to be handled");
        Assert.Equal(0, await database.ExecuteAsync(
            """
            INSERT INTO notifications (id, resident_id, kind, subject_id, language, channel, title, body)
            VALUES (gen_random_uuid(), @ResidentId, 'reaction-received', gen_random_uuid(), 'nl', 'email', 'Bedankt', 'Bedankt')
            """,
            new { ResidentId = residentId }));
        Assert.Equal(0, await HeldAsync(database, residentId, sent, sending));
        Assert.Equal(1, await ConfirmationsAsync(database, erasureId));
    }

    /// <summary>Rows about the resident or their notifications, in every table that held them.</summary>
    private static Task<int> HeldAsync(NpgsqlConnection database, Guid residentId, params Guid[] notificationIds) =>
        database.ExecuteScalarAsync<int>(
            """
            SELECT (SELECT count(*) FROM notifications WHERE resident_id = @ResidentId OR id = ANY(@Ids) OR fallback_for = ANY(@Ids))
                 + (SELECT count(*) FROM delivery_events WHERE notification_id = ANY(@Ids))
                 + (SELECT count(*) FROM recipients WHERE resident_id = @ResidentId)
            """,
            new { ResidentId = residentId, Ids = notificationIds });

    private static Task<int> ConfirmationsAsync(NpgsqlConnection database, Guid erasureId) =>
        database.ExecuteScalarAsync<int>(
            """
            SELECT count(*) FROM outbox_messages
            WHERE message_type LIKE 'Participatie.Contracts.ResidentErasureConfirmed,%' AND payload->>'erasureId' = @Id AND payload->>'service' = 'notifications'
            """,
            new { Id = erasureId.ToString() });

    private async Task<Guid> RegisterAsync(NpgsqlConnection database, Guid residentId)
    {
        await service.PublishAsync(new ResidentRegistered(residentId, _buurtCode, Languages.Dutch, Channels.Email, DateTimeOffset.UtcNow), Guid.NewGuid());
        await Eventually.MatchesAsync(
            () => database.ExecuteScalarAsync<int>("SELECT count(*) FROM recipients WHERE resident_id = @Id", new { Id = residentId }),
            count => count == 1,
            "the resident to be known");
        return residentId;
    }

    /// <summary>A reaction of the resident: the service records a receipt; returns its id.</summary>
    private async Task<Guid> ReceiptAsync(NpgsqlConnection database, Guid residentId)
    {
        var reactionId = Guid.NewGuid();
        await service.PublishAsync(
            new ReactionSubmitted(reactionId, Guid.NewGuid(), Guid.NewGuid(), residentId, "Het plein", DateTimeOffset.UtcNow, new DateOnly(2030, 1, 31)),
            Guid.NewGuid());
        return await Eventually.MatchesAsync(
            () => database.ExecuteScalarAsync<Guid>("SELECT id FROM notifications WHERE subject_id = @Id", new { Id = reactionId }),
            id => id != Guid.Empty,
            "the receipt");
    }

    /// <summary>Claims this one notification as the delivery worker does (only it: other tests' notifications stay as they are).</summary>
    private static async Task<ClaimedNotification> ClaimAsync(NpgsqlConnection database, Guid notificationId) =>
        await database.QuerySingleAsync<ClaimedNotification>(
            """
            UPDATE notifications SET status = 'sending', attempts = attempts + 1, claimed_until = now() + interval '5 minutes'
            WHERE id = @Id
            RETURNING id, resident_id AS ResidentId, kind, channel, language, title, body, attempts, priority
            """,
            new { Id = notificationId });
}
