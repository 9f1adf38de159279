using System.Net;
using System.Text;
using Participatie.Client;
using Participatie.Client.Notifications;

namespace Participatie.UnitTests;

/// <summary>
/// The generated client sends and reads vocabulary values as their text, lists of them included (NSwag converts only
/// single enum properties; a list of event types went out as numbers and the platform refused it with 400).
/// </summary>
public sealed class ClientEnumsTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_list_of_event_types_is_sent_and_read_as_their_text()
    {
        var server = new RecordingServer("""
            {"id":"3fa85f64-5717-4562-b3fc-2c963f66afa6","trajectoryId":"3fa85f64-5717-4562-b3fc-2c963f66afa6",
             "callbackUrl":"https://woonstichting.example.org/callback","eventTypes":["nl.participatie.task.overdue"],
             "hasAuth":false,"createdAt":"2027-03-03T09:30:00+01:00","previousSecretExpiresAt":null,"secret":"whsec_x"}
            """);
        using var http = new HttpClient(server) { BaseAddress = new Uri("https://api.participatie.example.org/v1/") };
        var api = new ParticipatieClient(http);

        var subscription = await api.Notifications.CreateSubscriptionAsync(new CreateSubscriptionRequest
        {
            CallbackUrl = "https://woonstichting.example.org/callback",
            TrajectoryId = Guid.NewGuid(),
            EventTypes = [EventTypes.Nl_participatie_reaction_submitted],
        }, Cancel);

        Assert.Contains("\"eventTypes\":[\"nl.participatie.reaction.submitted\"]", server.Body, StringComparison.Ordinal);
        Assert.Equal([EventTypes2.Nl_participatie_task_overdue], subscription.EventTypes);
    }

    /// <summary>
    /// A vocabulary field may be null in an answer (a theme not answered yet): the document lists null in its enum and
    /// the client reads it as null, and a value as its member; a count per status is read by the status's text.
    /// </summary>
    [Fact]
    public async Task A_null_vocabulary_value_and_a_count_per_status_are_read()
    {
        const string Theme = """
            {"id":"3fa85f64-5717-4562-b3fc-2c963f66afa6","consultationId":"3fa85f64-5717-4562-b3fc-2c963f66afa6",
             "title":"Groen","description":null,"status":null,"explanation":null,"answeredAt":null,
             "createdAt":"2027-03-03T09:30:00+01:00","reactionCount":3,"reactionIds":[]}
            """;
        using var unanswered = new HttpClient(new RecordingServer(Theme, HttpStatusCode.OK)) { BaseAddress = new Uri("https://api.participatie.example.org/v1/") };
        Assert.Null((await new ParticipatieClient(unanswered).Consultations.GetThemeAsync(Guid.NewGuid(), Guid.NewGuid(), Cancel)).Status);

        using var answered = new HttpClient(new RecordingServer(Theme.Replace("\"status\":null", "\"status\":\"partly-adopted\"", StringComparison.Ordinal), HttpStatusCode.OK))
        {
            BaseAddress = new Uri("https://api.participatie.example.org/v1/"),
        };
        Assert.Equal(
            Participatie.Client.Consultations.ThemeResponseStatus.PartlyAdopted,
            (await new ParticipatieClient(answered).Consultations.GetThemeAsync(Guid.NewGuid(), Guid.NewGuid(), Cancel)).Status);

        using var summary = new HttpClient(new RecordingServer("""
            {"consultationId":"3fa85f64-5717-4562-b3fc-2c963f66afa6","title":"Speeltuin","buurtCode":"BU03630000","closesOn":"2027-03-03",
             "reactionCount":{"count":12,"fewerThanFive":false,"display":"12"},
             "reactionsPerStatus":{"received":{"count":7,"fewerThanFive":false,"display":"7"},"not-adopted":{"count":5,"fewerThanFive":false,"display":"5"}},
             "unthemedReactionCount":{"count":12,"fewerThanFive":false,"display":"12"},"themes":[]}
            """, HttpStatusCode.OK))
        {
            BaseAddress = new Uri("https://api.participatie.example.org/v1/"),
        };
        var perStatus = (await new ParticipatieClient(summary).Consultations.GetConsultationSummaryAsync(Guid.NewGuid(), Cancel)).ReactionsPerStatus;
        Assert.Equal(["received", "not-adopted"], perStatus.Keys);
    }

    private sealed class RecordingServer(string answer, HttpStatusCode status = HttpStatusCode.Created) : HttpMessageHandler
    {
        public string Body { get; private set; } = "";

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
            return new HttpResponseMessage(status) { Content = new StringContent(answer, Encoding.UTF8, "application/json") };
        }
    }
}
