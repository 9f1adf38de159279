using System.Net.Http.Json;
using System.Text.Json;
using Participatie.Contracts;
using Participatie.Testing;

namespace Participatie.Notifications.FunctionalTests;

[Collection(NotificationsCollection.Name)]
public sealed class MeetingReminderNotificationsTests(NotificationsService service, PlatformContainers containers) : IAsyncLifetime
{
    private readonly string _buurtCode = $"BU{Random.Shared.Next(10_000_000, 99_999_999)}";
    private HttpClient _client = null!;
    private Guid _partnerId;
    private Guid _trajectoryId;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        service.StartObserving();
        var partner = await containers.TokenServer.RegisterPartnerAsync("municipality");
        _partnerId = partner.PartnerId;
        _trajectoryId = await containers.TokenServer.CreateTrajectoryAsync(partner, _buurtCode);
        _client = partner.Authorize(service.CreateClient());
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task A_due_reminder_reaches_each_registered_resident_once_in_their_language()
    {
        var dutch = await RegisterAsync(Languages.Dutch);
        var arabic = await RegisterAsync(Languages.Arabic);
        var notRegistered = await RegisterAsync(Languages.Dutch);
        // 17:30 UTC on a winter day is 18:30 in the Netherlands.
        var startsAt = new DateTimeOffset(2030, 1, 15, 17, 30, 0, TimeSpan.Zero);
        var due = new MeetingReminderDue(
            Guid.NewGuid(), Guid.NewGuid(), _trajectoryId, "Herinrichting Mercatorplein", "Buurthuis De Meeuw", startsAt, startsAt.AddHours(2),
            [dutch, arabic, Guid.NewGuid()]);
        var messageId = Guid.NewGuid();

        await service.PublishAsync(due, messageId);
        await service.PublishAsync(due, messageId); // redelivered: no second reminder
        var againId = Guid.NewGuid();
        await service.PublishAsync(due, againId); // published again under another id: still one reminder each

        await Eventually.MatchesAsync(
            () => Task.FromResult(service.Consumed.DeliveriesOf(messageId) + service.Consumed.DeliveriesOf(againId)),
            count => count >= 3,
            "all deliveries to be consumed");
        var notifications = await NotificationsAsync($"subjectId={due.MeetingId}");
        Assert.Equal(2, notifications.Count);
        var toDutch = Assert.Single(notifications, n => n.GetProperty("residentId").GetGuid() == dutch);
        Assert.Equal("Herinnering: bewonersavond Herinrichting Mercatorplein", toDutch.GetProperty("title").GetString());
        Assert.Contains("15-01-2030 van 18:30 tot 20:30 uur in Buurthuis De Meeuw", toDutch.GetProperty("body").GetString(), StringComparison.Ordinal);
        var toArabic = Assert.Single(notifications, n => n.GetProperty("residentId").GetGuid() == arabic);
        Assert.Equal("ar", toArabic.GetProperty("language").GetString());
        Assert.StartsWith("تذكير", toArabic.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(notifications, n => n.GetProperty("residentId").GetGuid() == notRegistered);
    }

    private async Task<Guid> RegisterAsync(string language)
    {
        var resident = new ResidentRegistered(Guid.NewGuid(), _buurtCode, language, Channels.Letter, DateTimeOffset.UtcNow, RegisteredByPartnerId: _partnerId);
        var messageId = Guid.NewGuid();
        await service.PublishAsync(resident, messageId);
        await Eventually.MatchesAsync(
            () => Task.FromResult(service.Consumed.DeliveriesOf(messageId)), count => count >= 1, "the resident to be known");
        return resident.ResidentId;
    }

    private async Task<IReadOnlyList<JsonElement>> NotificationsAsync(string query)
    {
        var page = await _client.GetFromJsonAsync<JsonElement>($"/v1/notifications?{query}&pageSize=100", Cancel);
        return [.. page.GetProperty("items").EnumerateArray()];
    }
}
