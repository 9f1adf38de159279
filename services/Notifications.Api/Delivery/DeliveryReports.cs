namespace Participatie.Notifications.Delivery;

/// <summary>Late reports from the channels (an SMS provider's delivery report, a bounced e-mail) move a sent notification on.</summary>
public sealed class DeliveryReports(DeliveryStore store, TimeProvider clock) : IDeliveryReports
{
    public Task<bool> ReportAsync(Guid notificationId, DeliveryReport report, string? detail, CancellationToken cancellationToken) =>
        store.ApplyReportAsync(notificationId, report, detail, clock.GetUtcNow(), cancellationToken);

    public async Task<bool> ReportByProviderReferenceAsync(
        string channel, string providerReference, DeliveryReport report, string? detail, CancellationToken cancellationToken) =>
        await store.FindByProviderReferenceAsync(channel, providerReference, cancellationToken) is { } notificationId
        && await ReportAsync(notificationId, report, detail, cancellationToken);
}

/// <summary>The app feed: the notification itself is the feed item a partner's app or the resident portal reads.</summary>
public sealed class AppFeedSender : IChannelSender
{
    public string Channel => Contracts.Channels.App;

    public Task<SendOutcome> SendAsync(OutgoingMessage message, CancellationToken cancellationToken) => Task.FromResult(SendOutcome.Done());
}
