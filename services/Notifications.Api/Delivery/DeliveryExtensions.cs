using Participatie.Notifications.Digests;

namespace Participatie.Notifications.Delivery;

public static class DeliveryExtensions
{
    /// <summary>The delivery core: the worker, digests, late reports, metrics; the app feed needs no sender (its items are delivered as they are claimed).</summary>
    public static IHostApplicationBuilder AddDelivery(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DeliveryOptions>().Bind(builder.Configuration.GetSection(DeliveryOptions.Section));
        builder.Services.AddSingleton<DeliveryStore>();
        builder.Services.AddSingleton<DeliveryMetrics>();
        builder.Services.AddSingleton<IDeliveryReports, DeliveryReports>();
        builder.Services.AddSingleton<DeliveryWorker>();
        builder.Services.AddHostedService(services => services.GetRequiredService<DeliveryWorker>());
        builder.Services.AddHostedService<DeliveryMetricsJob>();
        builder.Services.AddSingleton<DigestJob>();
        builder.Services.AddHostedService(services => services.GetRequiredService<DigestJob>());
        return builder;
    }
}
