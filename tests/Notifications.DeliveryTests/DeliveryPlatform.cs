using System.Net;
using System.Net.Http.Json;
using Dapper;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Time;
using Participatie.Contracts;
using Participatie.Notifications.Delivery;
using Participatie.Notifications.Delivery.Contacts;
using Participatie.Notifications.Delivery.Email;
using Participatie.Notifications.Delivery.Letters;
using Participatie.Notifications.Digests;
using Participatie.Testing;

[assembly: AssemblyFixture(typeof(PlatformContainers))]

namespace Participatie.Notifications.DeliveryTests;

/// <summary>
/// The notifications service as it delivers: the real residents service discloses the addresses, a real mail server
/// (smtp4dev) takes the e-mail and the SMS stand-in the text messages and posts its reports back to the service's
/// real port. The service runs on a clock the tests move (forward only; it starts now), with the delivery worker,
/// digests, bounces and letters driven by the tests, so that every step happens when a test says so.
/// </summary>
public sealed class DeliveryPlatform(PlatformContainers containers) : IAsyncLifetime
{
    public MailServer Mail { get; } = new();

    public SmsStandInHost Sms { get; } = new();

    public ResidentsHost Residents { get; private set; } = null!;

    public NotificationsHost Notifications { get; private set; } = null!;

    public PlatformContainers Containers => containers;

    public FakeTimeProvider Clock => Notifications.Clock!;

    public async ValueTask InitializeAsync()
    {
        await Mail.InitializeAsync();
        Sms.StartServer();
        Residents = await ResidentsHost.StartAsync(containers);
        Notifications = new NotificationsHost(containers, Mail, Sms, Residents);
        Notifications.StartServer();
    }

    public async ValueTask DisposeAsync()
    {
        // After a failed start some hosts were never made; the start's error is the one worth reading.
        if (Notifications is not null)
        {
            await Notifications.DisposeAsync();
        }

        if (Residents is not null)
        {
            await Residents.DisposeAsync();
        }

        await Sms.DisposeAsync();
        await Mail.DisposeAsync();
    }

    /// <summary>Moves the service's clock forward to the next moment this time of day strikes in Amsterdam.</summary>
    public void MoveClockTo(TimeOnly timeOfDay)
    {
        var now = AmsterdamClock.ToAmsterdam(Clock.GetUtcNow());
        var day = DateOnly.FromDateTime(now.DateTime);
        var moment = AmsterdamMoment(day, timeOfDay);
        if (moment <= Clock.GetUtcNow())
        {
            moment = AmsterdamMoment(day.AddDays(1), timeOfDay);
        }

        Clock.SetUtcNow(moment);
    }

    private static DateTimeOffset AmsterdamMoment(DateOnly day, TimeOnly time)
    {
        var wallClock = day.ToDateTime(time, DateTimeKind.Unspecified);
        return new DateTimeOffset(wallClock, AmsterdamClock.Zone.GetUtcOffset(wallClock)).ToUniversalTime();
    }

    /// <summary>Moves the clock to the next Monday at this time of day in Amsterdam.</summary>
    public void MoveClockToMonday(TimeOnly timeOfDay)
    {
        do
        {
            MoveClockTo(timeOfDay);
        }
        while (AmsterdamClock.ToAmsterdam(Clock.GetUtcNow()).DayOfWeek != DayOfWeek.Monday);
    }

    /// <summary>Sends everything due now, as the worker does in a loop, until nothing is left.</summary>
    public async Task DeliverDueAsync()
    {
        var worker = Notifications.Services.GetRequiredService<DeliveryWorker>();
        while (await worker.RunOnceAsync(TestContext.Current.CancellationToken) > 0)
        {
        }
    }

    public Task<int> JoinDigestsAsync() => Notifications.Services.GetRequiredService<DigestJob>().JoinDueAsync(TestContext.Current.CancellationToken);

    public Task<int> ProcessBouncesAsync() => Notifications.Services.GetRequiredService<EmailBounceJob>().ProcessBouncesAsync(TestContext.Current.CancellationToken);

    public Task<LetterCutResponse> CutLettersAsync() =>
        Notifications.Services.GetRequiredService<LetterBatcher>().CutAsync(null, "test", TestContext.Current.CancellationToken);

    public Task PublishAsync<T>(T message) where T : class =>
        Notifications.Services.GetRequiredService<IBus>().Publish(message, TestContext.Current.CancellationToken);

    public async Task<T> QueryNotificationsAsync<T>(Func<NpgsqlConnection, Task<T>> query)
    {
        await using var connection = new NpgsqlConnection(Notifications.DatabaseConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        return await query(connection);
    }

    /// <summary>
    /// A partner registers a resident of the buurt at a home of their own; returns once the notifications service knows
    /// them (it learns of the resident from the residents service's event).
    /// </summary>
    public async Task<Guid> RegisterResidentAsync(
        HttpClient residents, string buurtCode, string? email = null, string? phoneNumber = null, string language = Languages.Dutch,
        string channel = Channels.Email, string digestFrequency = DigestFrequencies.Immediately)
    {
        var cancel = TestContext.Current.CancellationToken;
        using var response = await residents.PostAsJsonAsync("/v1/residents", new
        {
            fullName = "Test Bewoner",
            postcode = "1234 AB",
            houseNumber = Random.Shared.Next(1, 999),
            street = "Kolenkitstraat",
            city = "Amsterdam",
            buurtCode,
            email,
            phoneNumber,
            preferredLanguage = language,
            preferredChannel = channel,
            digestFrequency,
        }, cancel);
        var body = await response.Content.ReadAsStringAsync(cancel);
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        var residentId = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
        await Eventually.MatchesAsync(
            () => QueryNotificationsAsync(connection => connection.ExecuteScalarAsync<bool>(
                "SELECT EXISTS (SELECT 1 FROM recipients WHERE resident_id = @ResidentId)", new { ResidentId = residentId })),
            known => known,
            "the notifications service to know the resident");
        return residentId;
    }

    /// <summary>The notifications recorded for a resident, oldest first.</summary>
    public Task<List<NotificationRow>> NotificationsOfAsync(Guid residentId) =>
        QueryNotificationsAsync(async connection => (await connection.QueryAsync<NotificationRow>(
            """
            SELECT id, kind, channel, status, language, title, body, attempts, next_attempt_at AS NextAttemptAt,
                   fallback_for AS FallbackFor, digest_id AS DigestId
            FROM notifications WHERE resident_id = @ResidentId ORDER BY created_at, id
            """,
            new { ResidentId = residentId })).ToList());

    public Task<List<string>> DeliveryEventsOfAsync(Guid notificationId) =>
        QueryNotificationsAsync(async connection => (await connection.QueryAsync<string>(
            "SELECT event FROM delivery_events WHERE notification_id = @NotificationId ORDER BY id",
            new { NotificationId = notificationId })).ToList());
}

public sealed record NotificationRow
{
    public required Guid Id { get; init; }

    public required string Kind { get; init; }

    public required string Channel { get; init; }

    public required string Status { get; init; }

    public required string Language { get; init; }

    public required string Title { get; init; }

    public required string Body { get; init; }

    public required int Attempts { get; init; }

    public DateTimeOffset? NextAttemptAt { get; init; }

    public Guid? FallbackFor { get; init; }

    public Guid? DigestId { get; init; }
}

/// <summary>The notifications service on a real port (the SMS stand-in posts its reports to it), on a clock that starts now.</summary>
public sealed class NotificationsHost : ServiceFactory<EntryPoint>
{
    private readonly MailServer _mail;
    private readonly SmsStandInHost _sms;

    public NotificationsHost(PlatformContainers containers, MailServer mail, SmsStandInHost sms, ResidentsHost residents)
        : base(
            "notificationsdb",
            containers,
            containers.TokenServer,
            services =>
            {
                // Addresses come from the real residents service, in memory.
                services.AddHttpClient(ResidentContactDirectory.HttpClientName).ConfigurePrimaryHttpMessageHandler(residents.Server.CreateHandler);
                // Partners' tokens are checked against the real time: the token server issues them now, whatever
                // time the service's own clock says.
                services.RemoveAll<CachingTokenHandler>().AddSingleton(new CachingTokenHandler(TimeProvider.System) { MapInboundClaims = false });
            },
            new FakeTimeProvider(DateTimeOffset.UtcNow))
    {
        _mail = mail;
        _sms = sms;
        Port = FreeTcpPorts.Next();
        DatabaseConnectionString = containers.Postgres.GetConnectionString();
        UseKestrel(LoopbackKestrel.On(Port));
    }

    public int Port { get; }

    public string DatabaseConnectionString { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        // The tests send, join digests, read bounces and cut letter batches themselves.
        builder.UseSetting("Delivery:WorkerEnabled", "false");
        builder.UseSetting("Residents:BaseAddress", "http://residents");
        foreach (var (key, value) in _mail.EmailSettings())
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("Sms:ProviderUrl", _sms.Address.ToString());
        builder.UseSetting("Sms:ApiKey", SmsStandInHost.ApiKey);
        builder.UseSetting("Sms:ReportSecret", SmsStandInHost.ReportSecret);
        builder.UseSetting("Sms:StatusCallbackUrl", $"http://localhost:{Port}/v1/notifications/delivery-reports/sms");
    }
}

[CollectionDefinition(Name)]
public sealed class DeliveryCollection : ICollectionFixture<DeliveryPlatform>
{
    public const string Name = "delivery";
}
