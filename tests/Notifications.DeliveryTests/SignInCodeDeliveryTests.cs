using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Participatie.Contracts;
using Participatie.Notifications.Delivery;
using Participatie.SmsStandIn;
using Participatie.Testing;

namespace Participatie.Notifications.DeliveryTests;

/// <summary>
/// A sign-in code or a contact confirmation is asked for by the resident right now: it goes first, at night too, never
/// in a digest, needs no consent, and its code does not stay in the stored message once it is sent.
/// </summary>
[Collection(DeliveryCollection.Name)]
public sealed class SignInCodeDeliveryTests(DeliveryPlatform platform) : IAsyncLifetime
{
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
    public async Task A_sign_in_code_goes_out_at_once_in_quiet_hours_first_and_never_in_a_digest_and_the_code_is_blanked_after()
    {
        platform.MoveClockTo(new TimeOnly(22, 30));
        var email = $"noor.{Guid.NewGuid():N}@example.org";
        var residentId = await RegisterAsync(email: email, channel: Channels.Email, digestFrequency: DigestFrequencies.Weekly);
        var now = platform.Clock.GetUtcNow();
        await platform.PublishAsync(new ConsultationOpened(Guid.NewGuid(), _trajectoryId, _partner.PartnerId, "Nieuwe speeltuin", _buurtCode, new DateOnly(2030, 3, 1), now));
        await platform.PublishAsync(new ReactionSubmitted(Guid.NewGuid(), Guid.NewGuid(), _trajectoryId, residentId, "Plein Kolenkit", now, new DateOnly(2030, 1, 15)));
        await platform.PublishAsync(new SignInCodeRequested(Guid.NewGuid(), residentId, Channels.Email, "482916", now.AddMinutes(10), now));
        await WaitForNotificationsAsync(residentId, 3);

        await platform.DeliverDueAsync();

        var mail = Assert.Single(await platform.Mail.WaitForMailsToAsync(email));
        Assert.Equal("Uw code om in te loggen", mail.Message.Subject);
        Assert.Contains("Uw code is: 482916", mail.Message.TextBody, StringComparison.Ordinal);
        Assert.Contains("10 minuten", mail.Message.TextBody, StringComparison.Ordinal);
        var rows = await RowsAsync(residentId);
        var code = Assert.Single(rows, row => row.Kind == "sign-in-code");
        Assert.Equal((DeliveryStatuses.Sent, (short)0), (code.Status, code.Priority));
        Assert.DoesNotContain("482916", code.Body, StringComparison.Ordinal);
        Assert.Null(code.OneTimeCode);
        // The receipt waits for the morning, the invitation for the weekly digest.
        Assert.Equal(DeliveryStatuses.Pending, Assert.Single(rows, row => row.Kind == "reaction-received").Status);
        Assert.Equal(DeliveryStatuses.Pending, Assert.Single(rows, row => row.Kind == "consultation-opened").Status);

        platform.MoveClockToMonday(new TimeOnly(8, 5));
        await Eventually.MatchesAsync(
            async () => { await platform.JoinDigestsAsync(); return await RowsAsync(residentId); },
            list => list.Any(row => row.Kind == "digest"),
            "the weekly digest");
        var afterDigest = await RowsAsync(residentId);
        Assert.Null(Assert.Single(afterDigest, row => row.Kind == "sign-in-code").DigestId);
        Assert.NotNull(Assert.Single(afterDigest, row => row.Kind == "consultation-opened").DigestId);
    }

    [Fact]
    public async Task A_contact_confirmation_goes_by_SMS_at_night_with_its_confirmation_and_keeps_no_code()
    {
        platform.MoveClockTo(new TimeOnly(23, 15));
        var residentId = await RegisterAsync(phoneNumber: $"06{Random.Shared.Next(10_000_000, 99_999_999)}", channel: Channels.Sms, language: Languages.English);
        var confirmationId = Guid.NewGuid();
        var now = platform.Clock.GetUtcNow();
        var newNumber = $"+316{Random.Shared.Next(10_000_000, 99_999_999)}";
        await platform.Residents.AddPendingContactAsync(confirmationId, residentId, Channels.Sms, newNumber, DateTimeOffset.UtcNow);
        await platform.PublishAsync(new ContactConfirmationRequested(confirmationId, residentId, Channels.Sms, "731904", now.AddMinutes(15), now));
        await WaitForNotificationsAsync(residentId, 1);

        await platform.DeliverDueAsync();

        var row = Assert.Single(await RowsAsync(residentId));
        Assert.Equal(("contact-confirmation", (short)0, (Guid?)confirmationId), (row.Kind, row.Priority, row.ConfirmationId));
        // Gone out at night: the stand-in's delivery report may already have followed the sending.
        Assert.Contains(row.Status, new[] { DeliveryStatuses.Sent, DeliveryStatuses.Delivered });
        Assert.DoesNotContain("731904", row.Body, StringComparison.Ordinal);
        var sms = Assert.Single(
            platform.Sms.Services.GetRequiredService<MessageLog>().All(), message => message.Body.Contains("731904", StringComparison.Ordinal));
        Assert.StartsWith("Your code to confirm your new details", sms.Body, StringComparison.Ordinal);
        // To the new number, not the one on record.
        Assert.Equal(newNumber, sms.To);
        Assert.Contains("15 minutes", sms.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_letter_code_goes_in_the_next_print_batch_and_the_stored_letter_keeps_no_code()
    {
        platform.MoveClockTo(new TimeOnly(10, 0));
        var residentId = await RegisterAsync(email: $"brief.{Guid.NewGuid():N}@example.org", channel: Channels.Email);
        var now = platform.Clock.GetUtcNow();
        await platform.PublishAsync(new SignInCodeRequested(Guid.NewGuid(), residentId, Channels.Letter, "K7QM-3XRD-9HTW", now.AddDays(30), now));
        await WaitForNotificationsAsync(residentId, 1);
        var pending = Assert.Single(await RowsAsync(residentId));
        Assert.Contains("K7QM-3XRD-9HTW", pending.Body, StringComparison.Ordinal);
        Assert.Equal(("sign-in-code", "letter"), (pending.Kind, pending.Channel));

        await platform.CutLettersAsync();

        var printed = Assert.Single(await RowsAsync(residentId));
        Assert.Equal(DeliveryStatuses.Sent, printed.Status);
        Assert.DoesNotContain("K7QM-3XRD-9HTW", printed.Body, StringComparison.Ordinal);
        Assert.Null(printed.OneTimeCode);
    }

    private async Task<List<Row>> RowsAsync(Guid residentId) =>
        await platform.QueryNotificationsAsync(async connection => (await connection.QueryAsync<Row>(
            """
            SELECT kind, channel, status, priority, body, one_time_code AS OneTimeCode, confirmation_id AS ConfirmationId, digest_id AS DigestId
            FROM notifications WHERE resident_id = @ResidentId ORDER BY created_at, id
            """,
            new { ResidentId = residentId })).ToList());

    private Task<Guid> RegisterAsync(
        string? email = null, string? phoneNumber = null, string language = Languages.Dutch, string channel = Channels.Email, string digestFrequency = DigestFrequencies.Immediately) =>
        platform.RegisterResidentAsync(_residents, _buurtCode, email, phoneNumber, language, channel, digestFrequency);

    private Task WaitForNotificationsAsync(Guid residentId, int count) =>
        Eventually.MatchesAsync(() => RowsAsync(residentId), list => list.Count >= count, $"{count} notifications for the resident");

    private sealed record Row
    {
        public required string Kind { get; init; }

        public required string Channel { get; init; }

        public required string Status { get; init; }

        public required short Priority { get; init; }

        public required string Body { get; init; }

        public string? OneTimeCode { get; init; }

        public Guid? ConfirmationId { get; init; }

        public Guid? DigestId { get; init; }
    }
}
