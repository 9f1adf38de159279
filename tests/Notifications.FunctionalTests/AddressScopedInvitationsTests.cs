using System.Net.Http.Json;
using System.Text.Json;
using Participatie.Contracts;
using Participatie.Testing;

namespace Participatie.Notifications.FunctionalTests;

/// <summary>A consultation meant for some addresses only invites the residents the residents service names, not the buurt.</summary>
[Collection(NotificationsCollection.Name)]
public sealed class AddressScopedInvitationsTests(NotificationsService service, PlatformContainers containers) : IAsyncLifetime
{
    private readonly string _buurtCode = $"BU{Random.Shared.Next(10_000_000, 99_999_999)}";
    private HttpClient _client = null!;
    private Guid _partnerId;
    private Guid _trajectoryId;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        service.StartObserving();
        var partner = await containers.TokenServer.RegisterPartnerAsync("housing-corporation");
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
    public async Task Only_the_residents_at_the_addresses_are_invited()
    {
        var atTheAddress = await RegisterAsync(Languages.Turkish);
        var elsewhereInTheBuurt = await RegisterAsync(Languages.Dutch);
        var opened = new ConsultationOpened(
            Guid.NewGuid(), _trajectoryId, Guid.NewGuid(), "Nieuwe kozijnen blok 3", _buurtCode, new DateOnly(2030, 3, 1), DateTimeOffset.UtcNow,
            ["1021AB 9", "1021AB 11"]);
        await PublishAndWaitAsync(opened);

        // Nobody in the buurt is invited for it as a whole.
        Assert.Empty(await NotificationsAsync(opened.ConsultationId));

        await PublishAndWaitAsync(new ConsultationAudienceResolved(opened.ConsultationId, _trajectoryId, [atTheAddress]));

        var invitation = Assert.Single(await NotificationsAsync(opened.ConsultationId));
        Assert.Equal(atTheAddress, invitation.GetProperty("residentId").GetGuid());
        Assert.Equal("Fikriniz soruluyor: Nieuwe kozijnen blok 3", invitation.GetProperty("title").GetString());

        // A resident who registers in the buurt later is not invited to it either.
        var later = await RegisterAsync(Languages.Dutch);
        Assert.DoesNotContain(await NotificationsAsync(opened.ConsultationId), n => n.GetProperty("residentId").GetGuid() == later);
        Assert.DoesNotContain(await NotificationsAsync(opened.ConsultationId), n => n.GetProperty("residentId").GetGuid() == elsewhereInTheBuurt);
    }

    private async Task<Guid> RegisterAsync(string language)
    {
        var resident = new ResidentRegistered(Guid.NewGuid(), _buurtCode, language, Channels.Letter, DateTimeOffset.UtcNow, RegisteredByPartnerId: _partnerId);
        await PublishAndWaitAsync(resident);
        return resident.ResidentId;
    }

    private async Task PublishAndWaitAsync<T>(T message) where T : class
    {
        var messageId = Guid.NewGuid();
        await service.PublishAsync(message, messageId);
        await Eventually.MatchesAsync(
            () => Task.FromResult(service.Consumed.DeliveriesOf(messageId)), count => count >= ConsumedMessages.ConsumersOf<T>(), $"the {typeof(T).Name} to be consumed");
    }

    private async Task<IReadOnlyList<JsonElement>> NotificationsAsync(Guid consultationId)
    {
        var page = await _client.GetFromJsonAsync<JsonElement>($"/v1/notifications?subjectId={consultationId}&pageSize=100", Cancel);
        return [.. page.GetProperty("items").EnumerateArray()];
    }
}
