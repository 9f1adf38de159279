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
