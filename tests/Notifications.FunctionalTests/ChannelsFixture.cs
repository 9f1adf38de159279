using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Participatie.Contracts;
using Participatie.Notifications.Delivery;
using Participatie.Testing;

namespace Participatie.Notifications.FunctionalTests;

/// <summary>
/// The notifications service with the SMS and letter channels: on a real port (the stand-in posts its reports back to
/// it), on a clock that starts Tuesday 2 June 2026 at 09:00 in Amsterdam, before the daily letter batch, and that only
/// the tests move. The residents service's contact endpoint and the delivery lifecycle are not part of these channels:
/// the addresses come from <see cref="TestContacts"/>, and what the report endpoint passes on is recorded by
/// <see cref="RecordedDeliveryReports"/>.
/// </summary>
public sealed class ChannelsService : ServiceFactory<EntryPoint>
{
    private readonly Uri _standIn;

    public ChannelsService(PlatformContainers containers, Uri standIn, TestContacts contacts, RecordedDeliveryReports reports)
        : base(
            "notificationsdb",
            containers,
            containers.TokenServer,
            services =>
            {
                services.RemoveAll<IContactDirectory>().AddSingleton<IContactDirectory>(contacts);
                services.RemoveAll<IDeliveryReports>().AddSingleton<IDeliveryReports>(reports);
            },
            new FakeTimeProvider(AmsterdamTime.At(2026, 6, 2, 9, 0)))
    {
        _standIn = standIn;
        Port = FreeTcpPorts.Next();
        UseKestrel(LoopbackKestrel.On(Port));
    }

    public int Port { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        // The channels are tested on their own here; the delivery worker has its own tests.
        builder.UseSetting("Delivery:WorkerEnabled", "false");
        builder.UseSetting("Sms:ProviderUrl", _standIn.ToString());
        builder.UseSetting("Sms:ApiKey", SmsStandInHost.ApiKey);
        builder.UseSetting("Sms:ReportSecret", SmsStandInHost.ReportSecret);
        builder.UseSetting("Sms:StatusCallbackUrl", $"http://localhost:{Port}/v1/notifications/delivery-reports/sms");
    }
}

/// <summary>The stand-in and the service, started once for the channel tests.</summary>
public sealed class ChannelsFixture(PlatformContainers containers) : IAsyncLifetime
{
    public SmsStandInHost StandIn { get; } = new();

    public TestContacts Contacts { get; } = new();

    public RecordedDeliveryReports Reports { get; } = new();

    public ChannelsService Service { get; private set; } = null!;

    public PlatformContainers Containers => containers;

    public FakeTimeProvider Clock => Service.Clock!;

    public ValueTask InitializeAsync()
    {
        StandIn.StartServer();
        Service = new ChannelsService(containers, StandIn.Address, Contacts, Reports);
        Service.StartServer();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await Service.DisposeAsync();
        await StandIn.DisposeAsync();
    }
}

/// <summary>
/// The channel tests run a second instance of the service, which would take messages off the queues the other test
/// classes wait on: they run on their own, after the others.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ChannelsCollection : ICollectionFixture<ChannelsFixture>
{
    public const string Name = "channels";
}

/// <summary>The addresses the residents service would disclose, per resident and channel; and every question asked.</summary>
public sealed class TestContacts : IContactDirectory
{
    private readonly ConcurrentDictionary<(Guid ResidentId, string Channel), ContactDetails> _contacts = new();

    public ConcurrentQueue<(Guid ResidentId, string Channel, Guid NotificationId)> Asked { get; } = new();

    public void Add(Guid residentId, string channel, ContactDetails contact) => _contacts[(residentId, channel)] = contact;

    public Task<ContactDetails?> FindAsync(Guid residentId, string channel, Guid notificationId, CancellationToken cancellationToken)
    {
        Asked.Enqueue((residentId, channel, notificationId));
        return Task.FromResult(_contacts.GetValueOrDefault((residentId, channel)));
    }
}

/// <summary>
/// What reached the delivery lifecycle through the report endpoint. A report about a reference no SMS was sent as is
/// refused, as the lifecycle refuses it.
/// </summary>
public sealed class RecordedDeliveryReports : IDeliveryReports
{
    private readonly ConcurrentDictionary<string, bool> _sent = new(StringComparer.Ordinal);

    public ConcurrentQueue<(string Channel, string Reference, DeliveryReport Report, string? Detail)> Received { get; } = new();

    /// <summary>An SMS went out for this notification (or under this provider reference); its report will be taken.</summary>
    public void Sent(string reference) => _sent[reference] = true;

    /// <summary>The report endpoint finds the notification by the reference the platform gave the provider: its id.</summary>
    public Task<bool> ReportAsync(Guid notificationId, DeliveryReport report, string? detail, CancellationToken cancellationToken) =>
        ReportByProviderReferenceAsync(Channels.Sms, notificationId.ToString(), report, detail, cancellationToken);

    public Task<bool> ReportByProviderReferenceAsync(
        string channel, string providerReference, DeliveryReport report, string? detail, CancellationToken cancellationToken)
    {
        if (!_sent.ContainsKey(providerReference))
        {
            return Task.FromResult(false);
        }

        Received.Enqueue((channel, providerReference, report, detail));
        return Task.FromResult(true);
    }
}

/// <summary>Moments on a clock in Amsterdam, as the service's clock is set.</summary>
internal static class AmsterdamTime
{
    private static readonly TimeZoneInfo Netherlands = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    public static DateTimeOffset At(int year, int month, int day, int hour, int minute)
    {
        var local = new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, Netherlands.GetUtcOffset(local)).ToUniversalTime();
    }
}
