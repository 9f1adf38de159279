using System.Net.Http.Json;
using System.Text.Json;
using Participatie.Contracts;
using Participatie.Testing;

namespace Participatie.Notifications.FunctionalTests;

/// <summary>
/// A consultation's title and an answer's explanation given per language reach each resident in their language; a
/// language the partner left out gets the Dutch text, marked as not translated in the resident's own words.
/// </summary>
[Collection(NotificationsCollection.Name)]
public sealed class PartnerTextTranslationsTests(NotificationsService service, PlatformContainers containers) : IAsyncLifetime
{
    private const string DutchTitle = "Nieuwe speeltuin";
    private const string TurkishTitle = "Yeni oyun parkı";
    private const string PolishNotTranslated = "(jeszcze nieprzetłumaczone)";

    private static readonly Dictionary<string, string> TitleTranslations = new() { [Languages.Turkish] = TurkishTitle };

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

    private ConsultationOpened Opened(IReadOnlyList<string>? addressKeys = null) => new(
        Guid.NewGuid(), _trajectoryId, Guid.NewGuid(), DutchTitle, _buurtCode, new DateOnly(2030, 1, 31), DateTimeOffset.UtcNow,
        addressKeys, TitleTranslations);

    [Fact]
    public async Task The_invitation_gives_the_title_in_the_residents_language_or_the_dutch_one_marked_not_translated()
    {
        var turkish = await RegisterAsync(Languages.Turkish);
        var polish = await RegisterAsync(Languages.Polish);
        var dutch = await RegisterAsync(Languages.Dutch);
        var opened = Opened();

        await PublishAndWaitAsync(opened);

        var invitations = await NotificationsAsync($"subjectId={opened.ConsultationId}");
        Assert.Equal($"Fikriniz soruluyor: {TurkishTitle}", TitleOf(invitations, turkish));
        Assert.Equal($"Prosimy o Twoją opinię: {DutchTitle} {PolishNotTranslated}", TitleOf(invitations, polish));
        Assert.Equal($"Uw mening gevraagd: {DutchTitle}", TitleOf(invitations, dutch));
        Assert.DoesNotContain(DutchTitle, BodyOf(invitations, turkish), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_resident_who_registers_later_gets_the_translated_title_too()
    {
        var opened = Opened();
        await PublishAndWaitAsync(opened);

        var turkish = await RegisterAsync(Languages.Turkish);
        var polish = await RegisterAsync(Languages.Polish);

        var invitations = await NotificationsAsync($"subjectId={opened.ConsultationId}");
        Assert.Equal($"Fikriniz soruluyor: {TurkishTitle}", TitleOf(invitations, turkish));
        Assert.Equal($"Prosimy o Twoją opinię: {DutchTitle} {PolishNotTranslated}", TitleOf(invitations, polish));
    }

    [Fact]
    public async Task The_residents_at_the_addresses_of_a_consultation_get_the_translated_title()
    {
        var turkish = await RegisterAsync(Languages.Turkish);
        var opened = Opened(["1021AB 9"]);
        await PublishAndWaitAsync(opened);

        await PublishAndWaitAsync(new ConsultationAudienceResolved(opened.ConsultationId, _trajectoryId, [turkish]));

        var invitation = Assert.Single(await NotificationsAsync($"subjectId={opened.ConsultationId}"));
        Assert.Equal($"Fikriniz soruluyor: {TurkishTitle}", invitation.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Receipt_and_answer_quote_the_title_and_explanation_in_the_residents_language()
    {
        var turkish = await RegisterAsync(Languages.Turkish);
        var polish = await RegisterAsync(Languages.Polish);
        const string DutchExplanation = "We leggen in het voorjaar een nieuw grasveld aan.";
        const string TurkishExplanation = "İlkbaharda yeni bir çim alan yapıyoruz.";
        var consultationId = Guid.NewGuid();
        var explanations = new Dictionary<string, string> { [Languages.Turkish] = TurkishExplanation };
        var toTurkish = Guid.NewGuid();
        var toPolish = Guid.NewGuid();

        foreach (var (reactionId, resident) in new[] { (toTurkish, turkish), (toPolish, polish) })
        {
            await PublishAndWaitAsync(new ReactionSubmitted(
                reactionId, consultationId, _trajectoryId, resident, DutchTitle, DateTimeOffset.UtcNow, new DateOnly(2030, 2, 14), TitleTranslations));
            await PublishAndWaitAsync(new ReactionAnswered(
                reactionId, consultationId, _trajectoryId, resident, DutchTitle, ReactionStatuses.Adopted, DutchExplanation, DateTimeOffset.UtcNow,
                TitleTranslations, explanations));
        }

        var turkishBodies = (await NotificationsAsync($"subjectId={toTurkish}")).Select(n => n.GetProperty("body").GetString()!).ToList();
        Assert.Equal(2, turkishBodies.Count);
        Assert.All(turkishBodies, body => Assert.StartsWith(TurkishTitle, body, StringComparison.Ordinal));
        Assert.Contains(turkishBodies, body => body.EndsWith($"Açıklama: {TurkishExplanation}", StringComparison.Ordinal));
        Assert.DoesNotContain(turkishBodies, body => body.Contains(DutchExplanation, StringComparison.Ordinal));

        var polishBodies = (await NotificationsAsync($"subjectId={toPolish}")).Select(n => n.GetProperty("body").GetString()!).ToList();
        Assert.Equal(2, polishBodies.Count);
        Assert.Contains(polishBodies, body => body.StartsWith($"Dziękujemy za reakcję na: {DutchTitle} {PolishNotTranslated}.", StringComparison.Ordinal));
        Assert.Contains(polishBodies, body => body.EndsWith($"Dlaczego: {DutchExplanation} {PolishNotTranslated}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_meeting_reminder_gives_the_translated_title()
    {
        var turkish = await RegisterAsync(Languages.Turkish);
        var polish = await RegisterAsync(Languages.Polish);
        var startsAt = new DateTimeOffset(2030, 1, 15, 17, 30, 0, TimeSpan.Zero);
        var due = new MeetingReminderDue(
            Guid.NewGuid(), Guid.NewGuid(), _trajectoryId, DutchTitle, "Buurthuis De Meeuw", startsAt, startsAt.AddHours(2), [turkish, polish],
            TitleTranslations);

        await PublishAndWaitAsync(due);

        var reminders = await NotificationsAsync($"subjectId={due.MeetingId}");
        Assert.Equal($"Hatırlatma: sakinler toplantısı {TurkishTitle}", TitleOf(reminders, turkish));
        Assert.Equal($"Przypomnienie: spotkanie mieszkańców {DutchTitle} {PolishNotTranslated}", TitleOf(reminders, polish));
    }

    private static string? TitleOf(IReadOnlyList<JsonElement> notifications, Guid residentId) =>
        Assert.Single(notifications, n => n.GetProperty("residentId").GetGuid() == residentId).GetProperty("title").GetString();

    private static string BodyOf(IReadOnlyList<JsonElement> notifications, Guid residentId) =>
        Assert.Single(notifications, n => n.GetProperty("residentId").GetGuid() == residentId).GetProperty("body").GetString()!;

    private async Task<Guid> RegisterAsync(string language)
    {
        var resident = new ResidentRegistered(Guid.NewGuid(), _buurtCode, language, Channels.App, DateTimeOffset.UtcNow, RegisteredByPartnerId: _partnerId);
        await PublishAndWaitAsync(resident);
        return resident.ResidentId;
    }

    private async Task PublishAndWaitAsync<TMessage>(TMessage message)
        where TMessage : class
    {
        var messageId = Guid.NewGuid();
        await service.PublishAsync(message, messageId);
        await Eventually.MatchesAsync(
            () => Task.FromResult(service.Consumed.DeliveriesOf(messageId)), count => count >= ConsumedMessages.ConsumersOf<TMessage>(), $"the {typeof(TMessage).Name} to be consumed");
    }

    private async Task<IReadOnlyList<JsonElement>> NotificationsAsync(string query)
    {
        var page = await _client.GetFromJsonAsync<JsonElement>($"/v1/notifications?{query}&pageSize=100", Cancel);
        return [.. page.GetProperty("items").EnumerateArray()];
    }
}
