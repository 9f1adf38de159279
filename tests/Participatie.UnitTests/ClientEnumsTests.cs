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

    private sealed class RecordingServer(string answer) : HttpMessageHandler
    {
        public string Body { get; private set; } = "";

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Body = await request.Content!.ReadAsStringAsync(cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.Created) { Content = new StringContent(answer, Encoding.UTF8, "application/json") };
        }
    }
}
