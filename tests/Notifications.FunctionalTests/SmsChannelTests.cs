using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Participatie.Contracts;
using Participatie.Notifications.Delivery;
using Participatie.Notifications.Delivery.Sms;
using Participatie.Testing;

namespace Participatie.Notifications.FunctionalTests;

/// <summary>
/// The SMS channel end to end over real HTTP: the adapter posts to the stand-in provider, the stand-in records the
/// message and posts a signed delivery report back to the service's report endpoint, which hands it to the delivery
/// lifecycle.
/// </summary>
[Collection(ChannelsCollection.Name)]
public sealed class SmsChannelTests(ChannelsFixture channels)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private IChannelSender Sender => channels.Service.Services.GetServices<IChannelSender>().Single(sender => sender.Channel == Channels.Sms);

    [Fact]
    public async Task An_SMS_reaches_the_stand_in_in_two_segments_and_its_delivery_report_comes_back_signed()
    {
        var message = Message("+31612345678", "Uw reactie is beantwoord", string.Join(' ', Enumerable.Repeat("Wij nemen uw idee mee in het plan voor de buurt.", 10)));

        var outcome = await Sender.SendAsync(message, Cancel);

        Assert.Equal(SendResult.Sent, outcome.Result);
        Assert.StartsWith("SM", outcome.ProviderReference, StringComparison.Ordinal);
        var reference = message.NotificationId.ToString();
        channels.Reports.Sent(reference);
        var recorded = await StandInMessageAsync(outcome.ProviderReference!);
        Assert.Equal("+31612345678", recorded.GetProperty("to").GetString());
        Assert.Equal(message.NotificationId.ToString(), recorded.GetProperty("reference").GetString());
        Assert.Equal(2, recorded.GetProperty("segments").GetInt32());
        Assert.Equal("gsm-7", recorded.GetProperty("encoding").GetString());
        var body = recorded.GetProperty("body").GetString()!;
        Assert.StartsWith("Uw reactie is beantwoord\nWij nemen uw idee mee", body, StringComparison.Ordinal);
        Assert.EndsWith("...", body, StringComparison.Ordinal);

        var report = await Eventually.MatchesAsync(
            () => Task.FromResult(channels.Reports.Received.Where(received => received.Reference == reference).ToList()),
            received => received.Count > 0,
            "the stand-in's delivery report to reach the lifecycle");
        Assert.Equal((Channels.Sms, reference, DeliveryReport.Delivered, (string?)null), Assert.Single(report));
    }

    [Fact]
    public async Task A_number_in_the_stand_ins_failing_range_is_taken_and_reported_failed()
    {
        var message = Message("+319700000042", "Uitnodiging", "Geef uw mening over het plein.");
        channels.Reports.Sent(message.NotificationId.ToString());
        var outcome = await Sender.SendAsync(message, Cancel);

        Assert.Equal(SendResult.Sent, outcome.Result);
        var report = await Eventually.MatchesAsync(
            () => Task.FromResult(channels.Reports.Received.Where(received => received.Reference == message.NotificationId.ToString()).ToList()),
            received => received.Count > 0,
            "the failure report to reach the lifecycle");
        var (_, _, result, detail) = Assert.Single(report);
        Assert.Equal(DeliveryReport.Failed, result);
        Assert.Contains("test number", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_report_that_overtakes_the_record_of_its_send_is_refused_and_taken_when_the_provider_posts_it_again()
    {
        var message = Message("+31687654321", "Bewonersavond", "Morgen om 19:30 in het buurthuis.");
        var outcome = await Sender.SendAsync(message, Cancel);
        var reference = outcome.ProviderReference!;
        var notification = message.NotificationId.ToString();

        // The stand-in posts the report 0.2 s later; the lifecycle does not know the reference yet and refuses it (404).
        var refused = await Eventually.MatchesAsync(
            () => StandInMessageAsync(reference),
            recorded => recorded.GetProperty("reportStatus").GetString()!.Contains("404", StringComparison.Ordinal),
            "the first report to be refused");
        Assert.DoesNotContain(channels.Reports.Received, received => received.Reference == notification);

        channels.Reports.Sent(notification);
        await Eventually.MatchesAsync(
            () => Task.FromResult(channels.Reports.Received.Count(received => received.Reference == notification)),
            count => count == 1,
            "the stand-in's second post of the report to be taken",
            TimeSpan.FromSeconds(20));
        // The stand-in records the answer once it has it, a moment after this service took the report.
        await Eventually.MatchesAsync(
            () => StandInMessageAsync(reference),
            recorded => recorded.GetProperty("reportStatus").GetString() == "posted (204)",
            "the stand-in to record the report as taken");
        Assert.Contains("404", refused.GetProperty("reportStatus").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("06123")]
    [InlineData("12345678")]
    [InlineData(null)]
    public async Task A_number_the_provider_refuses_or_none_at_all_is_a_permanent_failure(string? phoneNumber)
    {
        var outcome = await Sender.SendAsync(Message(phoneNumber, "Uitnodiging", "Geef uw mening."), Cancel);

        Assert.Equal(SendResult.PermanentFailure, outcome.Result);
        Assert.Null(outcome.ProviderReference);
        if (phoneNumber is not null)
        {
            Assert.Contains("400", outcome.Error, StringComparison.Ordinal);
            Assert.Contains("\"to\"", outcome.Error, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("0612345678")]
    [InlineData("+31 6 1234 5678")]
    public async Task A_Dutch_number_registered_nationally_or_with_spaces_goes_out_in_international_notation(string phoneNumber)
    {
        var outcome = await Sender.SendAsync(Message(phoneNumber, "Uitnodiging", "Geef uw mening."), Cancel);

        Assert.Equal(SendResult.Sent, outcome.Result);
        Assert.Equal("+31612345678", (await StandInMessageAsync(outcome.ProviderReference!)).GetProperty("to").GetString());
    }

    [Fact]
    public async Task A_provider_that_is_down_or_refuses_the_platforms_key_is_tried_again_later()
    {
        using var closed = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var down = SenderFor(new SmsOptions { ProviderUrl = new Uri($"http://127.0.0.1:{port}/"), ApiKey = SmsStandInHost.ApiKey });
        var wrongKey = SenderFor(new SmsOptions { ProviderUrl = channels.StandIn.Address, ApiKey = "not-the-key" });

        var unreachable = await down.SendAsync(Message("+31612345678", "Titel", "Tekst"), Cancel);
        var refused = await wrongKey.SendAsync(Message("+31612345678", "Titel", "Tekst"), Cancel);

        Assert.Equal(SendResult.TransientFailure, unreachable.Result);
        Assert.Equal(SendResult.TransientFailure, refused.Result);
        Assert.Contains("401", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_stand_in_refuses_a_message_without_its_key_or_of_more_than_two_segments()
    {
        using var client = new HttpClient { BaseAddress = channels.StandIn.Address };
        var withoutKey = await client.PostAsJsonAsync("/v1/messages", new { to = "+31612345678", body = "Hallo" }, Cancel);
        await withoutKey.AssertProblemAsync(HttpStatusCode.Unauthorized);

        client.DefaultRequestHeaders.Authorization = new("Bearer", SmsStandInHost.ApiKey);
        var tooLong = await client.PostAsJsonAsync("/v1/messages", new { to = "+31612345678", body = new string('a', 307) }, Cancel);
        await tooLong.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("\"body\"", await tooLong.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);

        var twoSegments = await client.PostAsJsonAsync("/v1/messages", new { to = "+31612345678", body = new string('a', 306) }, Cancel);
        Assert.Equal(HttpStatusCode.Created, twoSegments.StatusCode);
        Assert.Equal(2, (await twoSegments.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("segments").GetInt32());
    }

    [Fact]
    public async Task A_report_without_the_providers_signature_is_a_401_problem_and_reaches_nothing()
    {
        using var client = channels.Service.CreateClient();
        var body = """{"id":"SMforged","reference":null,"status":"failed","error":"forged"}""";
        channels.Reports.Sent("SMforged");

        var unsigned = await PostReportAsync(client, body, signature: null);
        var wronglySigned = await PostReportAsync(client, body, SmsDeliveryReportsApi.Sign(Encoding.UTF8.GetBytes(body), "another-secret"));
        var signedOtherBody = await PostReportAsync(client, body, SmsDeliveryReportsApi.Sign(Encoding.UTF8.GetBytes(body + " "), SmsStandInHost.ReportSecret));

        await unsigned.AssertProblemAsync(HttpStatusCode.Unauthorized);
        await wronglySigned.AssertProblemAsync(HttpStatusCode.Unauthorized);
        await signedOtherBody.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.DoesNotContain(channels.Reports.Received, received => received.Reference == "SMforged");
    }

    [Fact]
    public async Task A_signed_report_is_checked_field_by_field_and_one_about_an_unknown_SMS_is_a_404()
    {
        using var client = channels.Service.CreateClient();

        var badStatus = await PostSignedAsync(client, """{"id":"SMx","status":"read"}""");
        var unknown = await PostSignedAsync(client, """{"id":"SMnever-sent","status":"delivered"}""");

        await badStatus.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("\"status\"", await badStatus.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        await unknown.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    private HttpSmsSender SenderFor(SmsOptions options) =>
        new(new HttpClient { Timeout = TimeSpan.FromSeconds(5) }, Options.Create(options), NullLogger<HttpSmsSender>.Instance);

    private static OutgoingMessage Message(string? phoneNumber, string title, string body) => new()
    {
        NotificationId = Guid.NewGuid(),
        ResidentId = Guid.NewGuid(),
        Kind = "reaction-answered",
        Channel = Channels.Sms,
        Language = Languages.Dutch,
        Title = title,
        Body = body,
        Contact = new ContactDetails { PhoneNumber = phoneNumber },
    };

    private async Task<JsonElement> StandInMessageAsync(string id)
    {
        using var client = new HttpClient { BaseAddress = channels.StandIn.Address };
        return await client.GetFromJsonAsync<JsonElement>($"/v1/messages/{id}", Cancel);
    }

    private static Task<HttpResponseMessage> PostSignedAsync(HttpClient client, string body) =>
        PostReportAsync(client, body, SmsDeliveryReportsApi.Sign(Encoding.UTF8.GetBytes(body), SmsStandInHost.ReportSecret));

    private static async Task<HttpResponseMessage> PostReportAsync(HttpClient client, string body, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, SmsDeliveryReportsApi.Path)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (signature is not null)
        {
            request.Headers.Add(SmsDeliveryReportsApi.SignatureHeader, signature);
        }

        return await client.SendAsync(request, Cancel);
    }
}
