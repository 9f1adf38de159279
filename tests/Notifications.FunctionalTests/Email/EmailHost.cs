using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Participatie.Notifications.Delivery;
using Participatie.Notifications.Delivery.Email;
using Participatie.Testing;

namespace Participatie.Notifications.FunctionalTests.Email;

/// <summary>The mail server every e-mail test of this collection sends to and reads back from.</summary>
[CollectionDefinition(Name)]
public sealed class MailCollection : ICollectionFixture<MailServer>
{
    public const string Name = "mail";
}

/// <summary>
/// The e-mail channel as <see cref="EmailDeliveryExtensions.AddEmailDelivery"/> wires it, pointed at the test's real
/// mail server. The delivery core is the lead's part of the service: its bounce reports are recorded here instead.
/// </summary>
public sealed class EmailHost : IAsyncDisposable
{
    public const string Domain = "participatie.test";
    public const string UnsubscribeBase = "https://participatie.test/v1/unsubscribe";

    private readonly IHost _host;

    public EmailHost(MailServer mailServer, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(mailServer.EmailSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Delivery:Email:From"] = $"Gemeente Demostad <noreply@{Domain}>",
            ["Delivery:Email:UnsubscribeBaseUrl"] = UnsubscribeBase,
            ["Delivery:Email:Bounces:PollInterval"] = "00:00:00.200",
        });
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.AddEmailDelivery();
        builder.Services.AddSingleton<IDeliveryReports>(Reports);
        _host = builder.Build();
    }

    public RecordingDeliveryReports Reports { get; } = new();

    public IChannelSender Sender => _host.Services.GetServices<IChannelSender>().Single(sender => sender.Channel == Contracts.Channels.Email);

    public SmtpConnectionPool Pool => _host.Services.GetRequiredService<SmtpConnectionPool>();

    public EmailBounceJob BounceJob => _host.Services.GetRequiredService<EmailBounceJob>();

    /// <summary>Starts the background jobs (the bounce job polls the mailbox).</summary>
    public Task StartAsync() => _host.StartAsync(TestContext.Current.CancellationToken);

    public static OutgoingMessage Message(string emailAddress, string language = "nl", string title = "Uw reactie is ontvangen", string body = "Dank u voor uw reactie.") => new()
    {
        NotificationId = Guid.NewGuid(),
        ResidentId = Guid.NewGuid(),
        Kind = "reaction-received",
        Channel = Contracts.Channels.Email,
        Language = language,
        Title = title,
        Body = body,
        Contact = new ContactDetails { EmailAddress = emailAddress },
    };

    public static string NewAddress(string domain = "example.org") => $"resident-{Guid.NewGuid():N}@{domain}";

    public static string BounceAddress(Guid notificationId) => $"bounces+{notificationId:N}@{Domain}";

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
    }
}

/// <summary>Records every report the bounce job makes, in order.</summary>
public sealed class RecordingDeliveryReports : IDeliveryReports
{
    public ConcurrentQueue<(Guid NotificationId, DeliveryReport Report, string? Detail)> Reports { get; } = new();

    public Task<bool> ReportAsync(Guid notificationId, DeliveryReport report, string? detail, CancellationToken cancellationToken)
    {
        Reports.Enqueue((notificationId, report, detail));
        return Task.FromResult(true);
    }

    public Task<bool> ReportByProviderReferenceAsync(string channel, string providerReference, DeliveryReport report, string? detail, CancellationToken cancellationToken) =>
        throw new NotSupportedException("E-mail bounces name the notification itself.");
}
