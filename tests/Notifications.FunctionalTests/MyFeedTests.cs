using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Npgsql;
using Participatie.Contracts;
using Participatie.Testing;

namespace Participatie.Notifications.FunctionalTests;

/// <summary>The resident's own app feed at /v1/me/notifications: theirs only, newest first, in their language.</summary>
[Collection(NotificationsCollection.Name)]
public sealed class MyFeedTests : IAsyncLifetime
{
    private readonly NotificationsService _service;
    private readonly PlatformContainers _containers;
    private readonly string _buurtCode = $"BU{Random.Shared.Next(10_000_000, 99_999_999)}";
    private TestPartner _partner = null!;
    private Guid _trajectoryId;

    public MyFeedTests(NotificationsService service, PlatformContainers containers)
    {
        _service = service;
        _containers = containers;
        _service.StartObserving();
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _partner = await _containers.TokenServer.RegisterPartnerAsync("housing-corporation");
        _trajectoryId = await _containers.TokenServer.CreateTrajectoryAsync(_partner, _buurtCode);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task A_resident_reads_their_own_app_feed_newest_first_in_their_language_and_nobody_elses()
    {
        var turkish = await RegisterAsync(Languages.Turkish, Channels.App);
        var neighbour = await RegisterAsync(Languages.Dutch, Channels.App);
        var first = new ConsultationOpened(
            Guid.NewGuid(), _trajectoryId, _partner.PartnerId, "Nieuwe speeltuin", _buurtCode, new DateOnly(2030, 1, 31), DateTimeOffset.UtcNow);
        var second = first with { ConsultationId = Guid.NewGuid(), Title = "Meer groen", OpenedAt = DateTimeOffset.UtcNow.AddSeconds(1) };
        await _service.PublishAsync(first, Guid.NewGuid());
        await Eventually.MatchesAsync(() => AppItemsAsync(turkish), count => count >= 1, "the first invitation");
        await _service.PublishAsync(second, Guid.NewGuid());
        await Eventually.MatchesAsync(() => AppItemsAsync(turkish), count => count >= 2, "the second invitation");
        await Eventually.MatchesAsync(() => AppItemsAsync(neighbour), count => count >= 2, "the neighbour's invitations");
        await MarkAppItemsDeliveredAsync(turkish, neighbour);

        using var mine = TokenServer.Authorized(_service.CreateClient(), _containers.TokenServer.IssueResidentToken(turkish));
        var feed = await mine.GetFromJsonAsync<JsonElement>("/v1/me/notifications", Cancel);

        var items = feed.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, feed.GetProperty("totalCount").GetInt32());
        Assert.Equal(["Fikriniz soruluyor: Meer groen", "Fikriniz soruluyor: Nieuwe speeltuin"], items.Select(item => item.GetProperty("title").GetString()));
        Assert.All(items, item => Assert.Equal("tr", item.GetProperty("language").GetString()));
        // Nothing of the neighbour's, and no resident id or delivery detail in the items.
        Assert.DoesNotContain(neighbour.ToString(), feed.GetRawText(), StringComparison.Ordinal);
        Assert.False(items[0].TryGetProperty("residentId", out _));

        var paged = await mine.GetFromJsonAsync<JsonElement>("/v1/me/notifications?pageSize=1&page=2", Cancel);
        Assert.Equal("Fikriniz soruluyor: Nieuwe speeltuin", Assert.Single(paged.GetProperty("items").EnumerateArray()).GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_partner_token_cannot_read_a_residents_own_feed_and_a_resident_token_no_partner_feed()
    {
        var resident = await RegisterAsync(Languages.Dutch, Channels.App);
        using var partner = _partner.Authorize(_service.CreateClient());
        using var mine = TokenServer.Authorized(_service.CreateClient(), _containers.TokenServer.IssueResidentToken(resident));

        await (await partner.GetAsync("/v1/me/notifications", Cancel)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await mine.GetAsync($"/v1/notifications/residents/{resident}/feed", Cancel)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await mine.GetAsync("/v1/notifications", Cancel)).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    private async Task<Guid> RegisterAsync(string language, string channel)
    {
        var resident = new ResidentRegistered(Guid.NewGuid(), _buurtCode, language, channel, DateTimeOffset.UtcNow, RegisteredByPartnerId: _partner.PartnerId);
        var messageId = Guid.NewGuid();
        await _service.PublishAsync(resident, messageId);
        await Eventually.MatchesAsync(
            () => Task.FromResult(_service.Consumed.DeliveriesOf(messageId)), count => count >= 1, "the resident to be known");
        return resident.ResidentId;
    }

    private Task<int> AppItemsAsync(Guid residentId) => QueryAsync(connection => connection.ExecuteScalarAsync<int>(
        "SELECT count(*) FROM notifications WHERE resident_id = @ResidentId AND channel = 'app'", new { ResidentId = residentId }));

    /// <summary>
    /// What the delivery worker does when it claims app items (it is off in these tests; delivery has its own tests):
    /// the notification itself becomes the feed item.
    /// </summary>
    private Task MarkAppItemsDeliveredAsync(params Guid[] residentIds) => QueryAsync(connection => connection.ExecuteAsync(
        "UPDATE notifications SET status = 'delivered', completed_at = now() WHERE resident_id = ANY(@ResidentIds) AND channel = 'app'",
        new { ResidentIds = residentIds }));

    private async Task<T> QueryAsync<T>(Func<NpgsqlConnection, Task<T>> query)
    {
        // The service under test runs on the container's own database.
        await using var connection = new NpgsqlConnection(_containers.Postgres.GetConnectionString());
        return await query(connection);
    }
}
