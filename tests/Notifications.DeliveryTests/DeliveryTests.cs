using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Participatie.Contracts;
using Participatie.Notifications.Delivery;
using Participatie.Notifications.Texts;
using Participatie.Testing;

namespace Participatie.Notifications.DeliveryTests;

/// <summary>
/// "You said, we did" reaches the resident: each notification leaves the platform once, over the resident's channel,
/// in their language, and what fails on one channel arrives by letter. Against the real residents service, a real mail
/// server and the SMS stand-in; the tests move the service's clock and run its delivery steps.
/// </summary>
[Collection(DeliveryCollection.Name)]
public sealed class DeliveryTests(DeliveryPlatform platform) : IAsyncLifetime
{
    private static readonly TimeOnly Morning = new(10, 0);
    private readonly string _buurtCode = $"BU{Random.Shared.Next(10_000_000, 99_999_999)}";
    private TestPartner _partner = null!;
    private HttpClient _residents = null!;
    private Guid _trajectoryId;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _partner = await platform.Containers.TokenServer.RegisterPartnerAsync("housing-corporation");
        _trajectoryId = await platform.Containers.TokenServer.CreateTrajectoryAsync(_partner, _buurtCode);
        _residents = _partner.Authorize(platform.Residents.CreateClient());
    }

    public ValueTask DisposeAsync()
    {
        _residents.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task A_receipt_and_each_answer_reach_the_residents_mailbox_exactly_once_in_their_language()
    {
        platform.MoveClockTo(Morning);
        var email = $"ayse.{Guid.NewGuid():N}@example.org";
        var residentId = await RegisterAsync(email: email, language: Languages.Turkish, channel: Channels.Email);
        var reactionId = Guid.NewGuid();

        await platform.PublishAsync(Submitted(residentId, reactionId));
        await WaitForNotificationsAsync(residentId, 1);
        await platform.DeliverDueAsync();
        await platform.PublishAsync(Answered(residentId, reactionId, ReactionStatuses.UnderConsideration, "We kijken ernaar."));
        await WaitForNotificationsAsync(residentId, 2);
        await platform.DeliverDueAsync();
        await platform.PublishAsync(Answered(residentId, reactionId, ReactionStatuses.Adopted, "Er komen bankjes op het plein."));
        await WaitForNotificationsAsync(residentId, 3);
        await platform.DeliverDueAsync();

        var mails = await platform.Mail.WaitForMailsToAsync(email, 3);
        // Once more: nothing is sent twice.
        await platform.DeliverDueAsync();
        Assert.Equal(3, (await platform.Mail.MailsToAsync(email)).Count);
        Assert.Equal(3, mails.Count);
        var expected = new[]
        {
            NotificationTexts.Receipt(Languages.Turkish, "Plein Kolenkit", new DateOnly(2030, 1, 15)).Title,
            NotificationTexts.Answer(Languages.Turkish, "Plein Kolenkit", ReactionStatuses.UnderConsideration, "We kijken ernaar.").Title,
            NotificationTexts.Answer(Languages.Turkish, "Plein Kolenkit", ReactionStatuses.Adopted, "Er komen bankjes op het plein.").Title,
        };
        Assert.Equal(expected.Order(StringComparer.Ordinal), mails.Select(mail => mail.Message.Subject).Order(StringComparer.Ordinal));
        Assert.All(mails, mail =>
        {
            Assert.Equal(email, Assert.Single(mail.Message.To.Mailboxes).Address);
            Assert.Contains("lang=\"tr\"", mail.Message.HtmlBody, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(mail.Message.TextBody));
        });
        Assert.Contains("Er komen bankjes op het plein.", mails.Single(mail => mail.Message.Subject == expected[2]).Message.TextBody, StringComparison.Ordinal);

        var notifications = await platform.NotificationsOfAsync(residentId);
        Assert.All(notifications, notification => Assert.Equal(DeliveryStatuses.Sent, notification.Status));
        Assert.All(notifications, notification => Assert.Equal(1, notification.Attempts));
        Assert.Equal([DeliveryEvents.Sent], await platform.DeliveryEventsOfAsync(notifications[0].Id));
    }

    [Fact]
    public async Task A_bounce_marks_the_address_undeliverable_and_the_next_message_goes_by_letter()
    {
        platform.MoveClockTo(Morning);
        var email = $"bram.{Guid.NewGuid():N}@example.org";
        var residentId = await RegisterAsync(email: email, language: Languages.Dutch, channel: Channels.Email);
        var reactionId = Guid.NewGuid();
        await platform.PublishAsync(Submitted(residentId, reactionId));
        await WaitForNotificationsAsync(residentId, 1);
        await platform.DeliverDueAsync();
        var receipt = Assert.Single(await platform.Mail.WaitForMailsToAsync(email));

        // The recipient's server gives up on the address and reports it to the envelope sender (the VERP bounce address).
        await platform.Mail.SendBounceReportAsync(receipt.EnvelopeSender, receipt.Message, email);
        await Eventually.MatchesAsync(
            async () => { await platform.ProcessBouncesAsync(); return await platform.NotificationsOfAsync(residentId); },
            list => list.Any(notification => notification.Status == DeliveryStatuses.Bounced),
            "the bounce to be read");
        var bounced = (await platform.NotificationsOfAsync(residentId)).Single(notification => notification.Status == DeliveryStatuses.Bounced);
        var fallback = (await platform.NotificationsOfAsync(residentId)).Single(notification => notification.FallbackFor == bounced.Id);
        Assert.Equal(Channels.Letter, fallback.Channel);
        Assert.Equal(DeliveryStatuses.Pending, fallback.Status);

        // The residents service learns that the address bounced, and gives it out no more.
        var contacts = platform.Notifications.Services.GetRequiredService<IContactDirectory>();
        await Eventually.MatchesAsync(
            () => contacts.FindAsync(residentId, Channels.Email, Guid.NewGuid(), Cancel),
            contact => contact is null,
            "the residents service to mark the e-mail address undeliverable");

        await platform.PublishAsync(Answered(residentId, reactionId, ReactionStatuses.NotAdopted, "Het plein blijft zoals het is."));
        await WaitForNotificationsAsync(residentId, 3);
        await platform.DeliverDueAsync();
        var answer = (await platform.NotificationsOfAsync(residentId)).Single(notification => notification.Kind == "reaction-answered" && notification.FallbackFor is null);
        Assert.Equal(DeliveryStatuses.Failed, answer.Status);
        var letters = (await platform.NotificationsOfAsync(residentId)).Where(notification => notification.Channel == Channels.Letter).ToList();
        Assert.Equal(2, letters.Count);
        Assert.Single(await platform.Mail.MailsToAsync(email));

        var cut = await platform.CutLettersAsync();
        Assert.Contains(cut.Batches, batch => batch.PartnerId == _partner.PartnerId);
        Assert.All(await platform.NotificationsOfAsync(residentId), notification =>
            Assert.Equal(notification.Channel == Channels.Letter ? DeliveryStatuses.Sent : notification.Status, notification.Status));
        Assert.Equal([DeliveryEvents.Sent], await platform.DeliveryEventsOfAsync(fallback.Id));
    }

    [Fact]
    public async Task A_failed_SMS_falls_back_to_a_letter()
    {
        platform.MoveClockTo(Morning);
        // The stand-in's failing test range: taken, then reported failed.
        var residentId = await RegisterAsync(phoneNumber: $"+31970000{Random.Shared.Next(1_000, 9_999)}", language: Languages.Polish, channel: Channels.Sms);
        await platform.PublishAsync(Submitted(residentId, Guid.NewGuid()));
        await WaitForNotificationsAsync(residentId, 1);
        await platform.DeliverDueAsync();

        var notifications = await Eventually.MatchesAsync(
            () => platform.NotificationsOfAsync(residentId),
            list => list.Count == 2,
            "the provider's failure report and a letter in its place");
        var sms = notifications.Single(notification => notification.Channel == Channels.Sms);
        Assert.Equal(DeliveryStatuses.Failed, sms.Status);
        var letter = notifications.Single(notification => notification.Channel == Channels.Letter);
        Assert.Equal(sms.Id, letter.FallbackFor);
        Assert.Equal(Languages.Polish, letter.Language);
        Assert.Equal([DeliveryEvents.Sent, DeliveryEvents.Failed, DeliveryEvents.FallbackCreated], await platform.DeliveryEventsOfAsync(sms.Id));
    }

    [Fact]
    public async Task A_message_in_quiet_hours_waits_until_eight_in_the_morning()
    {
        platform.MoveClockTo(new TimeOnly(22, 30));
        var email = $"chen.{Guid.NewGuid():N}@example.org";
        var residentId = await RegisterAsync(email: email, language: Languages.English, channel: Channels.Email);
        await platform.PublishAsync(Submitted(residentId, Guid.NewGuid()));
        await WaitForNotificationsAsync(residentId, 1);

        await platform.DeliverDueAsync();
        var held = Assert.Single(await platform.NotificationsOfAsync(residentId));
        Assert.Equal(DeliveryStatuses.Pending, held.Status);
        Assert.Equal(new TimeOnly(8, 0), TimeOnly.FromDateTime(BuildingBlocks.Time.AmsterdamClock.ToAmsterdam(held.NextAttemptAt!.Value).DateTime));
        Assert.Equal([DeliveryEvents.HeldForQuietHours], await platform.DeliveryEventsOfAsync(held.Id));

        platform.MoveClockTo(new TimeOnly(7, 59));
        await platform.DeliverDueAsync();
        Assert.Empty(await platform.Mail.MailsToAsync(email));

        platform.MoveClockTo(new TimeOnly(8, 0));
        await platform.DeliverDueAsync();
        Assert.Single(await platform.Mail.WaitForMailsToAsync(email));
        Assert.Equal(DeliveryStatuses.Sent, Assert.Single(await platform.NotificationsOfAsync(residentId)).Status);
    }

    [Fact]
    public async Task A_whole_buurt_due_in_quiet_hours_is_held_in_chunks_each_message_once()
    {
        platform.MoveClockTo(new TimeOnly(23, 15));
        var residentId = await RegisterAsync(email: $"noor.{Guid.NewGuid():N}@example.org", language: Languages.Dutch, channel: Channels.Email);
        await platform.PublishAsync(Submitted(residentId, Guid.NewGuid()));
        await WaitForNotificationsAsync(residentId, 1);
        // More than two chunks of the hold: copies of the receipt under new ids, each for a reaction of its own (a
        // reaction has one receipt), a buurt's invitations in effect.
        const int Count = 4500;
        await platform.QueryNotificationsAsync(async connection =>
        {
            var columns = (await connection.QueryAsync<string>(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'notifications' AND is_generated = 'NEVER' AND column_name <> 'id'")).ToList();
            var values = columns.Select(column => column == "subject_id" ? "gen_random_uuid()" : column);
            return await connection.ExecuteAsync(
                $"INSERT INTO notifications (id, {string.Join(", ", columns)}) SELECT gen_random_uuid(), {string.Join(", ", values)} FROM notifications, generate_series(2, @Count) WHERE resident_id = @ResidentId",
                new { ResidentId = residentId, Count });
        });

        await platform.DeliverDueAsync();

        var (held, events, notificationsWithEvents) = await platform.QueryNotificationsAsync(connection => connection.QuerySingleAsync<(long, long, long)>(
            """
            SELECT (SELECT count(*) FROM notifications WHERE resident_id = @ResidentId AND status = 'pending' AND next_attempt_at > @Now),
                   count(*), count(DISTINCT e.notification_id)
            FROM delivery_events e JOIN notifications n ON n.id = e.notification_id
            WHERE n.resident_id = @ResidentId AND e.event = @Event
            """,
            new { ResidentId = residentId, Now = platform.Clock.GetUtcNow(), Event = DeliveryEvents.HeldForQuietHours }));
        Assert.Equal((Count, Count, Count), (held, events, notificationsWithEvents));
    }

    [Fact]
    public async Task A_weekly_digest_joins_the_weeks_news_into_one_mail()
    {
        platform.MoveClockTo(Morning);
        var email = $"dana.{Guid.NewGuid():N}@example.org";
        var residentId = await RegisterAsync(email: email, language: Languages.Dutch, channel: Channels.Email, digestFrequency: DigestFrequencies.Weekly);
        await platform.PublishAsync(new ConsultationOpened(Guid.NewGuid(), _trajectoryId, _partner.PartnerId, "Nieuwe speeltuin", _buurtCode, new DateOnly(2030, 3, 1), DateTimeOffset.UtcNow));
        await platform.PublishAsync(new ConsultationOpened(Guid.NewGuid(), _trajectoryId, _partner.PartnerId, "Groen in de straat", _buurtCode, new DateOnly(2030, 3, 1), DateTimeOffset.UtcNow));
        await platform.PublishAsync(new TrajectoryPhaseChanged(_trajectoryId, "Vernieuwing Kolenkit", TrajectoryPhases.PlanMaking, TrajectoryPhases.Orientation, [_buurtCode], DateTimeOffset.UtcNow));
        await WaitForNotificationsAsync(residentId, 3);

        await platform.DeliverDueAsync();
        Assert.Empty(await platform.Mail.MailsToAsync(email));
        Assert.All(await platform.NotificationsOfAsync(residentId), notification => Assert.Equal(DeliveryStatuses.Pending, notification.Status));

        platform.MoveClockToMonday(new TimeOnly(8, 5));
        // The digest job's own round may be at it already (moving the clock wakes it): wait for the digest either way.
        await Eventually.MatchesAsync(
            async () => { await platform.JoinDigestsAsync(); return await platform.NotificationsOfAsync(residentId); },
            list => list.Any(notification => notification.Kind == "digest"),
            "the weekly digest");
        await platform.DeliverDueAsync();
        var digest = Assert.Single(await platform.Mail.WaitForMailsToAsync(email));
        Assert.Contains("Nieuwe speeltuin", digest.Message.TextBody, StringComparison.Ordinal);
        Assert.Contains("Groen in de straat", digest.Message.TextBody, StringComparison.Ordinal);
        var notifications = await platform.NotificationsOfAsync(residentId);
        var digestRow = Assert.Single(notifications, notification => notification.Kind == "digest");
        Assert.Equal(DeliveryStatuses.Sent, digestRow.Status);
        Assert.Equal(3, notifications.Count(notification => notification.DigestId == digestRow.Id));
    }

    [Fact]
    public async Task An_app_resident_finds_the_message_in_the_feed_and_partners_read_its_way_and_the_counts()
    {
        platform.MoveClockTo(Morning);
        var residentId = await RegisterAsync(email: null, language: Languages.Ukrainian, channel: Channels.App);
        var consultationId = Guid.NewGuid();
        await platform.PublishAsync(new ConsultationOpened(consultationId, _trajectoryId, _partner.PartnerId, "Nieuwe speeltuin", _buurtCode, new DateOnly(2030, 3, 1), DateTimeOffset.UtcNow));
        await WaitForNotificationsAsync(residentId, 1);
        await platform.DeliverDueAsync();

        using var partner = _partner.Authorize(platform.Notifications.CreateClient());
        var feed = await partner.GetFromJsonAsync<JsonElement>($"/v1/notifications/residents/{residentId}/feed", Cancel);
        var item = Assert.Single(feed.GetProperty("items").EnumerateArray());
        Assert.Equal("delivered", item.GetProperty("status").GetString());
        Assert.Equal("uk", item.GetProperty("language").GetString());

        var events = await partner.GetFromJsonAsync<JsonElement>($"/v1/notifications/{item.GetProperty("id").GetGuid()}/delivery-events", Cancel);
        Assert.Equal("delivered", Assert.Single(events.EnumerateArray()).GetProperty("event").GetString());

        var counts = await partner.GetFromJsonAsync<JsonElement>($"/v1/notifications/consultations/{consultationId}/delivery-counts", Cancel);
        var count = Assert.Single(counts.GetProperty("counts").EnumerateArray());
        // One notification is one resident: shown as "< 5", never as 1.
        Assert.Equal(("app", "delivered"), (count.GetProperty("channel").GetString(), count.GetProperty("status").GetString()));
        Assert.Equal(JsonValueKind.Null, count.GetProperty("count").GetProperty("count").ValueKind);
        Assert.Equal("< 5", count.GetProperty("count").GetProperty("display").GetString());
        Assert.True(counts.GetProperty("total").GetProperty("fewerThanFive").GetBoolean());

        using var outsider = (await platform.Containers.TokenServer.RegisterPartnerAsync("social-institution")).Authorize(platform.Notifications.CreateClient());
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/v1/notifications/consultations/{consultationId}/delivery-counts", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/v1/notifications/residents/{residentId}/feed", Cancel)).StatusCode);
    }

    [Fact]
    public async Task A_receipt_is_in_the_app_residents_feed_as_it_is_recorded_and_an_email_receipt_waits_for_the_worker()
    {
        platform.MoveClockTo(Morning);
        var appResident = await RegisterAsync(email: null, channel: Channels.App);
        var emailResident = await RegisterAsync(email: $"bram.{Guid.NewGuid():N}@example.org", channel: Channels.Email);

        // Published together, so that one batch records both; the worker is not asked to deliver anything.
        await platform.PublishAsync(Submitted(appResident, Guid.NewGuid()));
        await platform.PublishAsync(Submitted(emailResident, Guid.NewGuid()));
        await WaitForNotificationsAsync(appResident, 1);
        await WaitForNotificationsAsync(emailResident, 1);

        var inFeed = Assert.Single(await platform.NotificationsOfAsync(appResident));
        Assert.Equal((DeliveryStatuses.Delivered, 1), (inFeed.Status, inFeed.Attempts));
        Assert.Equal([DeliveryEvents.Delivered], await platform.DeliveryEventsOfAsync(inFeed.Id));
        var email = Assert.Single(await platform.NotificationsOfAsync(emailResident));
        Assert.Equal((DeliveryStatuses.Pending, 0), (email.Status, email.Attempts));
        Assert.Empty(await platform.DeliveryEventsOfAsync(email.Id));

        // The worker's claim leaves the delivered one alone: still one attempt and one event.
        await platform.DeliverDueAsync();
        Assert.Equal(1, Assert.Single(await platform.NotificationsOfAsync(appResident)).Attempts);
        Assert.Equal([DeliveryEvents.Delivered], await platform.DeliveryEventsOfAsync(inFeed.Id));
        Assert.Equal(DeliveryStatuses.Sent, Assert.Single(await platform.NotificationsOfAsync(emailResident)).Status);
    }

    private ReactionSubmitted Submitted(Guid residentId, Guid reactionId) =>
        new(reactionId, Guid.NewGuid(), _trajectoryId, residentId, "Plein Kolenkit", DateTimeOffset.UtcNow, new DateOnly(2030, 1, 15));

    private ReactionAnswered Answered(Guid residentId, Guid reactionId, string status, string explanation) =>
        new(reactionId, Guid.NewGuid(), _trajectoryId, residentId, "Plein Kolenkit", status, explanation, DateTimeOffset.UtcNow);

    private Task<Guid> RegisterAsync(
        string? email = null, string? phoneNumber = null, string language = Languages.Dutch, string channel = Channels.Email, string digestFrequency = DigestFrequencies.Immediately) =>
        platform.RegisterResidentAsync(_residents, _buurtCode, email, phoneNumber, language, channel, digestFrequency);

    private Task WaitForNotificationsAsync(Guid residentId, int count) =>
        Eventually.MatchesAsync(() => platform.NotificationsOfAsync(residentId), list => list.Count >= count, $"{count} notifications for the resident");
}
