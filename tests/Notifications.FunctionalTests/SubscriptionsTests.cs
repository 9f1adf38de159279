using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Participatie.Contracts;
using Participatie.Notifications.Subscriptions;
using Participatie.Testing;

namespace Participatie.Notifications.FunctionalTests;

/// <summary>
/// Partners' subscriptions against the real database and broker, with a real HTTP receiver on a loopback port: the
/// events are published on the bus as their owning services publish them, and arrive at the receiver as signed
/// CloudEvents.
/// </summary>
[Collection(NotificationsCollection.Name)]
public sealed class SubscriptionsTests : IAsyncLifetime
{
    public const string PlatformOin = "00000001234567890000";

    private readonly NotificationsService _service;
    private readonly PlatformContainers _containers;
    private readonly WebhookReceiver _receiver = new();
    private readonly string _buurtCode = $"BU{Random.Shared.Next(10_000_000, 99_999_999)}";
    private HttpClient _client = null!;
    private TestPartner _partner = null!;
    private Guid _trajectoryId;

    public SubscriptionsTests(NotificationsService service, PlatformContainers containers)
    {
        _service = service;
        _containers = containers;
        _service.StartObserving();
    }

    public async ValueTask InitializeAsync()
    {
        await _receiver.StartAsync();
        _partner = await _containers.TokenServer.RegisterPartnerAsync("housing-corporation");
        _trajectoryId = await _containers.TokenServer.CreateTrajectoryAsync(_partner, _buurtCode);
        _client = _partner.Authorize(_service.CreateClient());
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _receiver.DisposeAsync();
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_subscription_receives_a_signed_cloud_event_for_each_kind_with_ids_and_links_only()
    {
        var channels = await _client.GetFromJsonAsync<JsonElement>("/v1/channels", Cancel);
        var types = channels.GetProperty("items").EnumerateArray().Select(channel => channel.GetProperty("type").GetString()!).ToList();
        Assert.Equal(9, types.Count);
        var subscription = await SubscribeAsync("all", types);
        var secret = subscription.GetProperty("secret").GetString()!;
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(secret["whsec_".Length..]).Length);

        // A resident of the trajectory's buurt, so that the erasure concerns this trajectory.
        var residentId = Guid.NewGuid();
        var registration = Guid.NewGuid();
        await _service.PublishAsync(new ResidentRegistered(residentId, _buurtCode, Languages.Dutch, Channels.Email, DateTimeOffset.UtcNow), registration);
        await Eventually.MatchesAsync(() => Task.FromResult(_service.Consumed.DeliveriesOf(registration)), count => count >= 1, "the resident to be recorded");

        const string personalText = "Mijn buurman Jan de Vries aan de Dorpsstraat 1";
        var now = DateTimeOffset.UtcNow;
        var consultationId = Guid.NewGuid();
        var reactionId = Guid.NewGuid();
        object[] events =
        [
            new ReactionSubmitted(reactionId, consultationId, _trajectoryId, residentId, personalText, now, new DateOnly(2030, 3, 1)),
            new ReactionAnswered(reactionId, consultationId, _trajectoryId, residentId, personalText, "adopted", personalText, now),
            new ReactionOverdue(reactionId, consultationId, _trajectoryId, new DateOnly(2030, 3, 1), now),
            new ConsultationOpened(consultationId, _trajectoryId, _partner.PartnerId, personalText, _buurtCode, new DateOnly(2030, 1, 31), now),
            new ConsultationClosed(consultationId, _trajectoryId, new DateOnly(2030, 1, 31), now),
            // No homes: the notice letters to tenants are the residents' side and have tests of their own.
            new SupportMeasurementClosed(Guid.NewGuid(), _trajectoryId, personalText, 12, 9, 2, true, now, new DateOnly(2030, 4, 1), []),
            new AdviceDeadlineApproaching(Guid.NewGuid(), _trajectoryId, "advice", new DateOnly(2030, 2, 1), _partner.PartnerId, now),
            new TaskOverdue(Guid.NewGuid(), _trajectoryId, _partner.PartnerId, new DateOnly(2030, 2, 1), now),
            new ResidentErased(Guid.NewGuid(), residentId, now),
        ];
        foreach (var message in events)
        {
            await PublishAsync(message);
        }

        var received = await Eventually.MatchesAsync(
            () => Task.FromResult(_receiver.Calls("all")), calls => calls.Count >= events.Length, "an event of each kind");
        Assert.Equal(types.Order(StringComparer.Ordinal), received.Select(call => call.Event.GetProperty("type").GetString()!).Order(StringComparer.Ordinal));
        foreach (var call in received)
        {
            Assert.True(call.Verify(secret), $"The signature of {call.Body} does not verify.");
            Assert.Equal("application/cloudevents+json", call.ContentType);
            Assert.Equal("Bearer partner-token", call.Authorization);
            Assert.InRange(DateTimeOffset.FromUnixTimeSeconds(call.Timestamp), DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
            var cloudEvent = call.Event;
            Assert.Equal("1.0", cloudEvent.GetProperty("specversion").GetString());
            Assert.Equal($"urn:nld:oin:{PlatformOin}:systeem:participatie", cloudEvent.GetProperty("source").GetString());
            Assert.Equal("application/json", cloudEvent.GetProperty("datacontenttype").GetString());
            Assert.True(Guid.TryParse(cloudEvent.GetProperty("id").GetString(), out _));
            Assert.True(Guid.TryParse(cloudEvent.GetProperty("subject").GetString(), out _));
            Assert.True(DateTimeOffset.TryParse(cloudEvent.GetProperty("time").GetString(), out _));
            Assert.StartsWith("nl.participatie.", cloudEvent.GetProperty("type").GetString(), StringComparison.Ordinal);
            // Information-poor: no title, explanation or buurt travels, only ids, dates, outcomes and links.
            Assert.DoesNotContain("Jan de Vries", call.Body, StringComparison.Ordinal);
            Assert.DoesNotContain(_buurtCode, call.Body, StringComparison.Ordinal);
        }

        var submitted = Assert.Single(received, call => call.Event.GetProperty("type").GetString() == EventKinds.ReactionSubmitted.Type).Event;
        Assert.Equal(reactionId.ToString(), submitted.GetProperty("subject").GetString());
        Assert.Equal(reactionId, submitted.GetProperty("data").GetProperty("reactionId").GetGuid());
        Assert.EndsWith($"/v1/consultations/{consultationId}/reactions/{reactionId}",
            submitted.GetProperty("data").GetProperty("links").GetProperty("reaction").GetString(), StringComparison.Ordinal);
        var erased = Assert.Single(received, call => call.Event.GetProperty("type").GetString() == EventKinds.ResidentErased.Type).Event;
        Assert.Equal(residentId, erased.GetProperty("data").GetProperty("residentId").GetGuid());
    }

    [Fact]
    public async Task The_signature_verifies_with_the_secret_and_fails_when_one_byte_of_the_body_changes()
    {
        var subscription = await SubscribeAsync("sign", [EventKinds.ConsultationClosed.Type]);
        var secret = subscription.GetProperty("secret").GetString()!;

        await PublishAsync(new ConsultationClosed(Guid.NewGuid(), _trajectoryId, new DateOnly(2030, 1, 31), DateTimeOffset.UtcNow));

        var call = Assert.Single(await Eventually.MatchesAsync(() => Task.FromResult(_receiver.Calls("sign")), calls => calls.Count >= 1, "the event"));
        Assert.True(StandardWebhooks.Verify(secret, call.MessageId, call.Timestamp, call.Body, call.Signature));
        var bytes = Encoding.UTF8.GetBytes(call.Body);
        bytes[bytes.Length / 2] ^= 0x01;
        Assert.False(StandardWebhooks.Verify(secret, call.MessageId, call.Timestamp, Encoding.UTF8.GetString(bytes), call.Signature));
        Assert.False(StandardWebhooks.Verify(secret, call.MessageId, call.Timestamp + 1, call.Body, call.Signature));
        Assert.False(StandardWebhooks.Verify(WebhookSignature.NewSecret(), call.MessageId, call.Timestamp, call.Body, call.Signature));
    }

    [Fact]
    public async Task A_receiver_that_answers_500_twice_gets_the_event_on_the_third_try()
    {
        _receiver.Behave("flaky", attempt => Task.FromResult(attempt <= 2 ? 500 : 204));
        var subscription = await SubscribeAsync("flaky", [EventKinds.TaskOverdue.Type]);

        await PublishAsync(new TaskOverdue(Guid.NewGuid(), _trajectoryId, null, new DateOnly(2030, 2, 1), DateTimeOffset.UtcNow));

        var delivery = await Eventually.MatchesAsync(
            async () => (await DeliveriesAsync(subscription, "delivered")).SingleOrDefault(),
            found => found.ValueKind == JsonValueKind.Object, "the delivery to succeed");
        Assert.Equal(3, delivery.GetProperty("attempts").GetInt32());
        var calls = _receiver.Calls("flaky");
        Assert.Equal(3, calls.Count);
        // One message, tried three times: the receiver deduplicates on webhook-id.
        Assert.Single(calls.Select(call => call.MessageId).Distinct());
        Assert.Single(calls.Select(call => call.Body).Distinct());
        Assert.Empty(await DeliveriesAsync(subscription, "failed"));
    }

    [Fact]
    public async Task A_slow_or_dead_receiver_does_not_delay_a_healthy_one()
    {
        _receiver.Behave("slow", async _ =>
        {
            await Task.Delay(TimeSpan.FromSeconds(10), Cancel);
            return 204;
        });
        await SubscribeAsync("slow", [EventKinds.ReactionSubmitted.Type]);
        await SubscribeAsync(new Uri("http://127.0.0.1:1/dead"), [EventKinds.ReactionSubmitted.Type]);
        await SubscribeAsync("healthy", [EventKinds.ReactionSubmitted.Type]);
        const int Events = 12;
        var residentId = await KnownResidentAsync();

        var watch = Stopwatch.StartNew();
        for (var i = 0; i < Events; i++)
        {
            await PublishAsync(new ReactionSubmitted(
                Guid.NewGuid(), Guid.NewGuid(), _trajectoryId, residentId, "Titel", DateTimeOffset.UtcNow, new DateOnly(2030, 3, 1)));
        }

        // The slow receiver holds each attempt 10 s (cut off at the 4 s attempt timeout) and takes 4 at a time: had
        // the healthy one waited for it, its 12 events would take at least 12 s.
        await Eventually.MatchesAsync(
            () => Task.FromResult(_receiver.Calls("healthy").Count), count => count >= Events, "every event at the healthy receiver",
            TimeSpan.FromSeconds(3.5));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(4), $"The healthy receiver waited {watch.Elapsed}.");
        Assert.InRange(_receiver.Calls("slow").Count, 1, 4);
    }

    [Fact]
    public async Task A_burst_of_reactions_reaches_the_subscription_once_each_and_only_for_its_trajectory()
    {
        await SubscribeAsync("burst", [EventKinds.ReactionSubmitted.Type]);
        var otherTrajectory = await _containers.TokenServer.CreateTrajectoryAsync(_partner, $"BU{Random.Shared.Next(10_000_000, 99_999_999)}");
        var residentId = await KnownResidentAsync();
        var now = DateTimeOffset.UtcNow;
        ReactionSubmitted Reaction(Guid trajectoryId) =>
            new(Guid.NewGuid(), Guid.NewGuid(), trajectoryId, residentId, "Titel", now, new DateOnly(2030, 3, 1));
        var listened = Enumerable.Range(0, 20).Select(_ => Reaction(_trajectoryId)).ToList();
        var unlistened = Enumerable.Range(0, 20).Select(_ => Reaction(otherTrajectory)).ToList();
        // Reactions the consultations service wrote together come as one event, here twice under one message id.
        var together = new ReactionsSubmitted([Reaction(_trajectoryId), Reaction(otherTrajectory), Reaction(_trajectoryId)]);
        var togetherId = Guid.NewGuid();

        // Published together, so that they are taken in batches mixing both trajectories; one of them twice, as a
        // relay that died before marking it would send it again.
        var repeated = Guid.NewGuid();
        await Task.WhenAll(listened.Zip(unlistened).SelectMany(pair => new[]
        {
            _service.PublishAsync(pair.First, Guid.NewGuid()), _service.PublishAsync(pair.Second, Guid.NewGuid()),
        }).Append(_service.PublishAsync(listened[0], repeated)).Append(_service.PublishAsync(listened[0], repeated))
            .Append(_service.PublishAsync(together, togetherId)).Append(_service.PublishAsync(together, togetherId)));

        // listened[0] went out under two message ids, the second one twice: the repeat of an id is recorded once.
        List<string> expected =
        [
            .. listened.Select(reaction => reaction.ReactionId.ToString())
                .Append(listened[0].ReactionId.ToString())
                .Concat(together.Reactions.Where(reaction => reaction.TrajectoryId == _trajectoryId).Select(reaction => reaction.ReactionId.ToString()))
                .Order(StringComparer.Ordinal),
        ];
        await Eventually.MatchesAsync(
            () => Task.FromResult(_receiver.Calls("burst")), calls => calls.Count >= expected.Count, "every reaction of the trajectory to be delivered");
        // Settled: whatever else was to come has come.
        await Task.Delay(TimeSpan.FromSeconds(2), Cancel);
        Assert.Equal(expected, _receiver.Calls("burst").Select(call => call.Event.GetProperty("subject").GetString()!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_failed_delivery_is_listed_and_a_replay_delivers_it()
    {
        var down = true;
        _receiver.Behave("replay", _ => Task.FromResult(down ? 503 : 200));
        var subscription = await SubscribeAsync("replay", [EventKinds.ConsultationOpened.Type]);

        await PublishAsync(new ConsultationOpened(
            Guid.NewGuid(), _trajectoryId, _partner.PartnerId, "Titel", _buurtCode, new DateOnly(2030, 1, 31), DateTimeOffset.UtcNow));

        // Seven tries (a second apart in tests), then it counts as failed.
        var failed = Assert.Single(await Eventually.MatchesAsync(
            () => DeliveriesAsync(subscription, "failed"), list => list.Count >= 1, "the delivery to fail for good"));
        Assert.Equal(7, failed.GetProperty("attempts").GetInt32());
        Assert.Equal(503, failed.GetProperty("lastStatusCode").GetInt32());
        Assert.Equal(7, _receiver.Calls("replay").Count);
        Assert.Empty(await DeliveriesAsync(subscription, "delivered"));

        down = false;
        var id = subscription.GetProperty("id").GetGuid();
        var deliveryId = failed.GetProperty("id").GetGuid();
        using var replay = await _client.PostAsync(new Uri($"/v1/subscriptions/{id}/deliveries/{deliveryId}/replay", UriKind.Relative), null, Cancel);
        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);

        var delivered = await Eventually.MatchesAsync(
            () => DeliveriesAsync(subscription, "delivered"), list => list.Count >= 1, "the replay to be delivered");
        Assert.Equal(deliveryId, Assert.Single(delivered).GetProperty("id").GetGuid());
        Assert.Empty(await DeliveriesAsync(subscription, "failed"));
        Assert.Equal(8, _receiver.Calls("replay").Count);
        Assert.Single(_receiver.Calls("replay").Select(call => call.MessageId).Distinct());
        using var unknown = await _client.PostAsync(new Uri($"/v1/subscriptions/{id}/deliveries/{Guid.NewGuid()}/replay", UriKind.Relative), null, Cancel);
        await unknown.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task After_a_rotation_deliveries_are_signed_with_the_new_and_the_previous_secret()
    {
        var subscription = await SubscribeAsync("rotate", [EventKinds.ConsultationClosed.Type]);
        var oldSecret = subscription.GetProperty("secret").GetString()!;
        using var rotation = await _client.PostAsync(
            new Uri($"/v1/subscriptions/{subscription.GetProperty("id").GetGuid()}/secret-rotations", UriKind.Relative), null, Cancel);
        Assert.Equal(HttpStatusCode.Created, rotation.StatusCode);
        var rotated = await rotation.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        var newSecret = rotated.GetProperty("secret").GetString()!;
        Assert.NotEqual(oldSecret, newSecret);
        Assert.InRange(rotated.GetProperty("previousSecretExpiresAt").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddHours(23), DateTimeOffset.UtcNow.AddHours(25));

        await PublishAsync(new ConsultationClosed(Guid.NewGuid(), _trajectoryId, new DateOnly(2030, 1, 31), DateTimeOffset.UtcNow));

        var call = Assert.Single(await Eventually.MatchesAsync(() => Task.FromResult(_receiver.Calls("rotate")), calls => calls.Count >= 1, "the event"));
        Assert.Equal(2, call.Signature.Split(' ').Length);
        Assert.True(call.Verify(newSecret));
        Assert.True(call.Verify(oldSecret));
        // The secret is shown at creation and rotation only.
        var read = await _client.GetFromJsonAsync<JsonElement>($"/v1/subscriptions/{subscription.GetProperty("id").GetGuid()}", Cancel);
        Assert.False(read.TryGetProperty("secret", out _));
    }

    [Fact]
    public async Task Only_members_subscribe_to_a_trajectory_and_only_the_subscriber_sees_its_subscription()
    {
        var subscription = await SubscribeAsync("mine", [EventKinds.ConsultationClosed.Type]);
        var outsider = await _containers.TokenServer.RegisterPartnerAsync("social-institution");
        using var outsiderClient = outsider.Authorize(_service.CreateClient());

        using var refused = await outsiderClient.PostAsJsonAsync("/v1/subscriptions", new
        {
            callbackUrl = _receiver.UrlOf("outsider").ToString(),
            trajectoryId = _trajectoryId,
            eventTypes = new[] { EventKinds.ConsultationClosed.Type },
        }, Cancel);
        await refused.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "trajectoryId");
        using var hidden = await outsiderClient.GetAsync(new Uri($"/v1/subscriptions/{subscription.GetProperty("id").GetGuid()}", UriKind.Relative), Cancel);
        await hidden.AssertProblemAsync(HttpStatusCode.NotFound);
        var outsiderList = await outsiderClient.GetFromJsonAsync<JsonElement>("/v1/subscriptions", Cancel);
        Assert.Equal(0, outsiderList.GetProperty("totalCount").GetInt64());

        using var unknownType = await _client.PostAsJsonAsync("/v1/subscriptions", new
        {
            callbackUrl = _receiver.UrlOf("x").ToString(), trajectoryId = _trajectoryId, eventTypes = new[] { "nl.participatie.unknown" },
        }, Cancel);
        await unknownType.AssertProblemAsync(HttpStatusCode.BadRequest, "eventTypes");

        using var deleted = await _client.DeleteAsync(new Uri($"/v1/subscriptions/{subscription.GetProperty("id").GetGuid()}", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var gone = await _client.GetAsync(new Uri($"/v1/subscriptions/{subscription.GetProperty("id").GetGuid()}", UriKind.Relative), Cancel);
        await gone.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Outside_development_a_private_or_plain_http_callback_is_refused()
    {
        var configuration = (IConfigurationRoot)_service.Services.GetRequiredService<IConfiguration>();
        configuration["Subscriptions:AllowPrivateCallbacks"] = "false";
        try
        {
            foreach (var url in new[] { "https://127.0.0.1/hook", "https://localhost/hook", "https://10.1.2.3/hook", "https://169.254.169.254/latest", "https://[::1]/hook", "http://93.184.215.14/hook" })
            {
                using var response = await _client.PostAsJsonAsync("/v1/subscriptions", new
                {
                    callbackUrl = url, trajectoryId = _trajectoryId, eventTypes = new[] { EventKinds.TaskOverdue.Type },
                }, Cancel);
                await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "callbackUrl");
            }
        }
        finally
        {
            configuration["Subscriptions:AllowPrivateCallbacks"] = "true";
        }

        // With the switch on (development, tests) the same loopback URL is accepted.
        await SubscribeAsync("allowed", [EventKinds.TaskOverdue.Type]);
    }

    private Task<JsonElement> SubscribeAsync(string receiverPath, IReadOnlyList<string> eventTypes) =>
        SubscribeAsync(_receiver.UrlOf(receiverPath), eventTypes);

    private async Task<JsonElement> SubscribeAsync(Uri callbackUrl, IReadOnlyList<string> eventTypes)
    {
        using var response = await _client.PostAsJsonAsync(
            "/v1/subscriptions", new { callbackUrl = callbackUrl.ToString(), trajectoryId = _trajectoryId, eventTypes, auth = "Bearer partner-token" }, Cancel);
        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private async Task<List<JsonElement>> DeliveriesAsync(JsonElement subscription, string status)
    {
        var page = await _client.GetFromJsonAsync<JsonElement>(
            $"/v1/subscriptions/{subscription.GetProperty("id").GetGuid()}/deliveries?status={status}", Cancel);
        return [.. page.GetProperty("items").EnumerateArray()];
    }

    /// <summary>
    /// A resident the service knows, to react: a reaction of a resident it never heard of waits in the late receipts'
    /// queue for ten minutes, and a few dozen of them would fill that queue for the other tests of this collection.
    /// </summary>
    private async Task<Guid> KnownResidentAsync()
    {
        var residentId = Guid.NewGuid();
        var registration = Guid.NewGuid();
        await _service.PublishAsync(new ResidentRegistered(residentId, _buurtCode, Languages.Dutch, Channels.Email, DateTimeOffset.UtcNow), registration);
        await Eventually.MatchesAsync(() => Task.FromResult(_service.Consumed.DeliveriesOf(registration)), count => count >= 1, "the resident to be recorded");
        return residentId;
    }

    private Task PublishAsync(object message) =>
        (Task)typeof(NotificationsService).GetMethod(nameof(NotificationsService.PublishAsync))!
            .MakeGenericMethod(message.GetType())
            .Invoke(_service, [message, Guid.NewGuid()])!;
}

/// <summary>
/// Standard Webhooks verification as a partner's system does it, written from the specification rather than with
/// the platform's own code: HMAC-SHA256 over "{id}.{timestamp}.{body}" keyed with the base64 after "whsec_".
/// </summary>
internal static class StandardWebhooks
{
    public static bool Verify(string secret, string messageId, long timestamp, string body, string signatureHeader)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var expected = Convert.ToBase64String(System.Security.Cryptography.HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{messageId}.{timestamp}.{body}")));
        return signatureHeader.Split(' ').Any(signature => signature == "v1," + expected);
    }
}

/// <summary>One request the receiver got.</summary>
internal sealed record ReceivedWebhook(string MessageId, long Timestamp, string Signature, string? Authorization, string? ContentType, string Body)
{
    public JsonElement Event => JsonDocument.Parse(Body).RootElement.Clone();

    public bool Verify(string secret) => StandardWebhooks.Verify(secret, MessageId, Timestamp, Body, Signature);
}

/// <summary>
/// A partner's endpoint: a real Kestrel server on a free loopback port. Each path records what it got and answers as
/// its test says (by default 204); the behaviour learns which try of a message it answers.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<ReceivedWebhook>> _calls = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Func<int, Task<int>>> _behaviours = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _tries = new(StringComparer.Ordinal);
    private WebApplication? _app;
    private Uri _address = null!;

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/hooks/{name}", async (string name, HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var call = new ReceivedWebhook(
                request.Headers["webhook-id"].ToString(),
                long.Parse(request.Headers["webhook-timestamp"].ToString(), System.Globalization.CultureInfo.InvariantCulture),
                request.Headers["webhook-signature"].ToString(),
                request.Headers.Authorization.ToString(),
                request.ContentType?.Split(';')[0],
                body);
            var attempt = _tries.AddOrUpdate($"{name}/{call.MessageId}", 1, (_, tries) => tries + 1);
            _calls.GetOrAdd(name, _ => new()).Enqueue(call);
            var status = _behaviours.TryGetValue(name, out var behaviour) ? await behaviour(attempt) : StatusCodes.Status204NoContent;
            return Results.StatusCode(status);
        });
        await _app.StartAsync(TestContext.Current.CancellationToken);
        _address = new Uri(_app.Urls.First());
    }

    public Uri UrlOf(string name) => new(_address, $"/hooks/{name}");

    public void Behave(string name, Func<int, Task<int>> behaviour) => _behaviours[name] = behaviour;

    public IReadOnlyList<ReceivedWebhook> Calls(string name) => _calls.TryGetValue(name, out var calls) ? [.. calls] : [];

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }
    }
}
