using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Participatie.Contracts;
using Participatie.Notifications.Delivery;
using Participatie.Testing;

namespace Participatie.Notifications.DeliveryTests;

/// <summary>
/// Consent is checked when a notification goes out, not only when it is made. A notification made while the resident
/// withdrew consent can be waiting although the withdrawal was applied: the two transactions did not see each other.
/// The tests bring about that state directly (the receipt is pending, the recipient's consents are empty) and then run
/// the worker or cut the letters: nothing goes out, and the notification ends failed with the reason recorded.
/// </summary>
[Collection(DeliveryCollection.Name)]
public sealed class ConsentAtDeliveryTests(DeliveryPlatform platform) : IAsyncLifetime
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
    public async Task The_worker_sends_nothing_for_a_purpose_the_resident_withdrew_after_the_notification_was_made()
    {
        platform.MoveClockTo(Morning);
        var (withdrawnEmail, consentingEmail) = ($"sem.{Guid.NewGuid():N}@example.org", $"noor.{Guid.NewGuid():N}@example.org");
        var withdrawn = await RegisterAsync(Channels.Email, withdrawnEmail);
        var consenting = await RegisterAsync(Channels.Email, consentingEmail);
        var receipt = await ReceiptAsync(withdrawn);
        await ReceiptAsync(consenting);
        await WithdrawParticipationConsentAsync(withdrawn);

        await platform.DeliverDueAsync();

        // The worker did run: the resident who consents has their receipt.
        Assert.Single(await platform.Mail.WaitForMailsToAsync(consentingEmail));
        Assert.Empty(await platform.Mail.MailsToAsync(withdrawnEmail));
        Assert.Equal(DeliveryStatuses.Failed, Assert.Single(await platform.NotificationsOfAsync(withdrawn)).Status);
        Assert.Equal([DeliveryEvents.ConsentWithdrawn], await platform.DeliveryEventsOfAsync(receipt));
    }

    [Fact]
    public async Task No_letter_is_printed_for_a_purpose_the_resident_withdrew_after_the_letter_was_made()
    {
        var withdrawn = await RegisterAsync(Channels.Letter);
        var consenting = await RegisterAsync(Channels.Letter);
        var letter = await ReceiptAsync(withdrawn);
        var printed = await ReceiptAsync(consenting);
        await WithdrawParticipationConsentAsync(withdrawn);

        await platform.CutLettersAsync();

        Assert.Equal(DeliveryStatuses.Sent, Assert.Single(await platform.NotificationsOfAsync(consenting)).Status);
        Assert.Equal(DeliveryStatuses.Failed, Assert.Single(await platform.NotificationsOfAsync(withdrawn)).Status);
        Assert.Equal([DeliveryEvents.ConsentWithdrawn], await platform.DeliveryEventsOfAsync(letter));
        var inBatches = await platform.QueryNotificationsAsync(connection => connection.QueryAsync<Guid>(
            "SELECT notification_id FROM letter_batch_letters WHERE notification_id = ANY(@Ids)", new { Ids = new[] { letter, printed } }));
        Assert.Equal([printed], inBatches);
    }

    /// <summary>The resident's receipt for a reaction (purpose participation), waiting to go out; its id.</summary>
    private async Task<Guid> ReceiptAsync(Guid residentId)
    {
        await platform.PublishAsync(new ReactionSubmitted(
            Guid.NewGuid(), Guid.NewGuid(), _trajectoryId, residentId, "Plein Kolenkit", DateTimeOffset.UtcNow, new DateOnly(2030, 1, 15)));
        var notification = Assert.Single(await Eventually.MatchesAsync(
            () => platform.NotificationsOfAsync(residentId), list => list.Count >= 1, "the receipt"));
        Assert.Equal(DeliveryStatuses.Pending, notification.Status);
        return notification.Id;
    }

    /// <summary>
    /// The withdrawal as the snapshot consumer applies it, but after the notification was made unseen by it: so the
    /// consumer's own withholding did not find it, and only the check when it goes out can stop it.
    /// </summary>
    private Task WithdrawParticipationConsentAsync(Guid residentId) =>
        platform.QueryNotificationsAsync(connection => connection.ExecuteAsync(
            "UPDATE recipients SET consents = array_remove(consents, @Participation) WHERE resident_id = @ResidentId",
            new { ResidentId = residentId, Participation = ConsentPurposes.Participation }));

    // A new resident's participation consent is recorded at registration.
    private Task<Guid> RegisterAsync(string channel, string? email = null) =>
        platform.RegisterResidentAsync(_residents, _buurtCode, email, channel: channel);
}
