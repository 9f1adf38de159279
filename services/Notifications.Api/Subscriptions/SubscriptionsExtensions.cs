using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Participatie.Notifications.Subscriptions;

public static class SubscriptionsExtensions
{
    /// <summary>Subscriptions, their events and the worker that delivers them.</summary>
    public static IHostApplicationBuilder AddSubscriptions(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SubscriptionOptions>().Bind(builder.Configuration.GetSection(SubscriptionOptions.Section));
        builder.Services.AddSingleton<SubscriptionEvents>();
        builder.Services.AddSingleton<WebhookDeliveryStore>();
        var isDevelopment = builder.Environment.IsDevelopment();
        // RemoveAllResilienceHandlers is marked experimental; the SMS client uses it alike.
#pragma warning disable EXTEXP0001
        builder.Services.AddHttpClient(WebhookDeliveryWorker.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(services =>
            {
                var options = services.GetRequiredService<IOptions<SubscriptionOptions>>().Value;
                var allowPrivate = options.AllowPrivateCallbacks ?? isDevelopment;
                return new SocketsHttpHandler
                {
                    // A redirect could lead anywhere, the partner's own network included: a delivery follows none.
                    AllowAutoRedirect = false,
                    UseCookies = false,
                    ConnectTimeout = options.AttemptTimeout,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                    // Checked again at connect: a name that resolved to a public address at subscription may not resolve to a private one now.
                    ConnectCallback = allowPrivate ? null : ConnectToPublicAddressAsync,
                };
            })
            // The worker has its own retry schedule and timeout; the default resilience handler would retry behind its back.
            .RemoveAllResilienceHandlers()
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan);
#pragma warning restore EXTEXP0001
        builder.Services.AddSingleton<WebhookDeliveryWorker>();
        builder.Services.AddHostedService(services => services.GetRequiredService<WebhookDeliveryWorker>());
        return builder;
    }

    private static async ValueTask<Stream> ConnectToPublicAddressAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(context.DnsEndPoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
        var address = addresses.FirstOrDefault(CallbackUrlPolicy.IsPublic)
            ?? throw new HttpRequestException($"'{context.DnsEndPoint.Host}' resolves to no public address; the platform calls none other.");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
