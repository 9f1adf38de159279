using System.Net.Http.Json;
using System.Text.Json;
using Participatie.Contracts;
using Participatie.Testing;

namespace Participatie.Notifications.FunctionalTests;

[Collection(NotificationsCollection.Name)]
public sealed class PhaseNotificationsTests(NotificationsService service, PlatformContainers containers) : IAsyncLifetime
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
    public async Task A_new_phase_reaches_every_resident_of_the_trajectorys_buurten_once_in_their_language()
    {
        var dutch = await RegisterAsync(Languages.Dutch, _buurtCode);
        var ukrainian = await RegisterAsync(Languages.Ukrainian, _buurtCode);
        var elsewhere = await RegisterAsync(Languages.Dutch, "BU00000003");
        var changed = new TrajectoryPhaseChanged(
            _trajectoryId, "Renovatie Kolenkitbuurt", TrajectoryPhases.PlanMaking, TrajectoryPhases.Orientation, [_buurtCode], DateTimeOffset.UtcNow);
        var messageId = Guid.NewGuid();

        await service.PublishAsync(changed, messageId);
        await service.PublishAsync(changed, messageId); // redelivered: no second notification

        await Eventually.MatchesAsync(
            () => Task.FromResult(service.Consumed.DeliveriesOf(messageId)),
            count => count >= 2 * ConsumedMessages.ConsumersOf<TrajectoryPhaseChanged>(),
            "both deliveries to be consumed by every consumer");
        var notifications = await NotificationsAsync($"subjectId={_trajectoryId}");
        Assert.Equal(2, notifications.Count);
        var toDutch = Assert.Single(notifications, n => n.GetProperty("residentId").GetGuid() == dutch);
        Assert.Equal("Renovatie Kolenkitbuurt: een nieuwe fase", toDutch.GetProperty("title").GetString());
        Assert.Contains("het plan maken", toDutch.GetProperty("body").GetString(), StringComparison.Ordinal);
        var toUkrainian = Assert.Single(notifications, n => n.GetProperty("residentId").GetGuid() == ukrainian);
        Assert.Equal("uk", toUkrainian.GetProperty("language").GetString());
        Assert.Contains("складання плану", toUkrainian.GetProperty("body").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(notifications, n => n.GetProperty("residentId").GetGuid() == elsewhere);
    }

    [Fact]
    public async Task Toggling_the_phase_ten_times_in_a_day_sends_a_resident_one_message_and_the_next_day_one_more()
    {
        var resident = await RegisterAsync(Languages.Dutch, _buurtCode);
        // The day is Amsterdam's: 22:30 UTC on 1 March is 23:30 there (CET), still 1 March; 23:30 UTC is 2 March there.
        var noon = new DateTimeOffset(2027, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var messageIds = new List<Guid>();
        for (var toggle = 0; toggle < 10; toggle++)
        {
            var (phase, previous) = toggle % 2 == 0
                ? (TrajectoryPhases.PlanMaking, TrajectoryPhases.Orientation)
                : (TrajectoryPhases.Orientation, TrajectoryPhases.PlanMaking);
            var changedAt = toggle == 9 ? noon.AddHours(10.5) : noon.AddMinutes(toggle);
            messageIds.Add(Guid.NewGuid());
            await service.PublishAsync(new TrajectoryPhaseChanged(_trajectoryId, "Renovatie Wipbuurt", phase, previous, [_buurtCode], changedAt), messageIds[^1]);
        }

        var nextDayMessage = Guid.NewGuid();
        await service.PublishAsync(
            new TrajectoryPhaseChanged(
                _trajectoryId, "Renovatie Wipbuurt", TrajectoryPhases.Decision, TrajectoryPhases.PlanMaking, [_buurtCode], noon.AddHours(11.5)),
            nextDayMessage);

        await Eventually.MatchesAsync(
            () => Task.FromResult(messageIds.Append(nextDayMessage).All(id => service.Consumed.DeliveriesOf(id) >= 1)),
            all => all, "every phase change to be consumed");
        var toResident = (await NotificationsAsync($"subjectId={_trajectoryId}")).Where(n => n.GetProperty("residentId").GetGuid() == resident).ToList();
        Assert.Equal(2, toResident.Count);
        // The first day's one message is of whichever toggle was handled first: consumers take them concurrently.
        Assert.Single(toResident, n => n.GetProperty("body").GetString()!.Contains("het plan maken", StringComparison.Ordinal)
            || n.GetProperty("body").GetString()!.Contains("kijken wat er nodig is", StringComparison.Ordinal));
    }

    private async Task<Guid> RegisterAsync(string language, string buurtCode)
    {
        var resident = new ResidentRegistered(Guid.NewGuid(), buurtCode, language, Channels.Letter, DateTimeOffset.UtcNow, RegisteredByPartnerId: _partnerId);
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
