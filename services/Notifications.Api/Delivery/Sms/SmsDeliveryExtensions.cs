using Microsoft.Extensions.Options;

namespace Participatie.Notifications.Delivery.Sms;

public static class SmsDeliveryExtensions
{
    /// <summary>
    /// The SMS channel: the provider's settings and the sender the delivery worker finds among the channel senders.
    /// The delivery-report endpoint is mapped by <see cref="SmsDeliveryReportsApi.MapSmsDeliveryReports"/>.
    /// </summary>
    public static IHostApplicationBuilder AddSmsDelivery(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SmsOptions>().BindConfiguration(SmsOptions.Section);
        // No automatic retry: a POST repeated after a lost answer would send the resident the SMS twice. The delivery
        // worker tries again itself, with backoff, when the outcome says so. (Marked experimental, but it is the
        // documented way to take the service defaults' standard handler off one client.)
#pragma warning disable EXTEXP0001
        builder.Services
            .AddHttpClient<HttpSmsSender>((services, http) => http.Timeout = services.GetRequiredService<IOptions<SmsOptions>>().Value.Timeout)
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        builder.Services.AddTransient<IChannelSender>(services => services.GetRequiredService<HttpSmsSender>());
        return builder;
    }
}
