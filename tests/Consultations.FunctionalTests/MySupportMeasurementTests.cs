using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Participatie.Contracts;
using Participatie.Testing;
using static Participatie.Consultations.FunctionalTests.MyRequests;
using static Participatie.Consultations.FunctionalTests.Requests;
using static Participatie.Consultations.FunctionalTests.SupportMeasurementRequests;

namespace Participatie.Consultations.FunctionalTests;

/// <summary>
/// A resident votes in a draagvlakmeting for their own home: online (the home the residents service resolved for
/// them) or with the code from their letter, signed in or not; they change the vote until the deadline, and the vote
/// log says the resident cast it.
/// </summary>
public sealed class MySupportMeasurementTests(ConsultationsService service, PlatformContainers containers)
    : IClassFixture<ConsultationsService>, IAsyncLifetime
{
    private HttpClient _partner = null!;
    private TestTrajectory _trajectory = null!;

    public async ValueTask InitializeAsync()
    {
        var partner = await containers.TokenServer.RegisterPartnerAsync("housing-corporation");
        _partner = partner.Authorize(service.CreateClient());
        _trajectory = await containers.TokenServer.StartTrajectoryAsync(partner);
    }

    public ValueTask DisposeAsync()
    {
        _partner.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Opening_a_measurement_asks_the_residents_service_who_lives_at_its_homes()
    {
        var measurement = await _partner.CreateMeasurementAsync(service.Services, _trajectory.Id);

        var payload = await ScalarAsync<string>(
            containers,
            "SELECT payload::text FROM outbox_messages WHERE message_type LIKE '%SupportMeasurementOpened%' AND payload->>'measurementId' = @Id",
            new { Id = measurement.Id.ToString() });
        var opened = JsonDocument.Parse(payload).RootElement;
        Assert.Equal(_trajectory.Id, opened.GetProperty("trajectoryId").GetGuid());
        Assert.Equal(measurement.Codes.Select(code => code.HomeKey), opened.GetProperty("homeKeys").EnumerateArray().Select(key => key.GetString()));
    }

    [Fact]
    public async Task A_resident_votes_online_for_their_home_and_changes_the_vote_and_the_log_says_the_resident_cast_it()
    {
        using var fatma = await service.ResidentAsync(containers, _trajectory.BuurtCode, Languages.Turkish);
        using var neighbour = await service.ResidentAsync(containers, _trajectory.BuurtCode);
        var measurement = await _partner.CreateMeasurementAsync(service.Services, _trajectory.Id);
        await ResolveHomesAsync(measurement, (0, fatma.Id), (1, neighbour.Id));
        var list = await Eventually.MatchesAsync(
            () => fatma.Client.GetFromJsonAsync<JsonElement>("/v1/me/support-measurements", Cancel),
            page => page.Items().Count == 1,
            "the measurement to be known as Fatma's");
        Assert.Equal(measurement.Id, Assert.Single(list.Items()).Id());
        var path = $"/v1/me/support-measurements/{measurement.Id}/vote";

        var first = await (await fatma.Client.PutAsJsonAsync(path, new { choice = "agree" }, Cancel)).JsonAsync(HttpStatusCode.OK);
        var second = await (await fatma.Client.PutAsJsonAsync(path, new { choice = "disagree" }, Cancel)).JsonAsync(HttpStatusCode.OK);

        Assert.False(first.GetProperty("replacedEarlierVote").GetBoolean());
        Assert.True(second.GetProperty("replacedEarlierVote").GetBoolean());
        var result = await _partner.ResultAsync(measurement);
        Assert.Equal((10, 1, 0, 1, false), result.Counts());
        Assert.Equal("disagree", Assert.Single((await fatma.Client.GetFromJsonAsync<JsonElement>("/v1/me/support-measurements", Cancel)).Items()).Value("myHomeVote"));
        var log = (await _partner.GetFromJsonAsync<JsonElement>($"{measurement.Path}/audit", Cancel)).Items();
        Assert.Equal(2, log.Count);
        Assert.All(log, entry =>
        {
            Assert.Equal("resident", entry.Value("enteredBy"));
            Assert.Equal(JsonValueKind.Null, entry.GetProperty("enteredByPartnerId").ValueKind);
            // While open the log names neither the home of a resident's vote nor its choice.
            Assert.Null(entry.Value("homeKey"));
            Assert.Null(entry.Value("choice"));
            Assert.Null(entry.Value("receiptHash"));
        });
        Assert.Equal(2, await ScalarAsync<int>(
            containers, "SELECT count(*)::int FROM support_vote_log WHERE measurement_id = @Id AND resident_id = @ResidentId",
            new { measurement.Id, ResidentId = fatma.Id }));

        // The neighbour's home has not voted: Fatma's vote is hers alone.
        Assert.Equal(JsonValueKind.Null, Assert.Single((await neighbour.Client.GetFromJsonAsync<JsonElement>("/v1/me/support-measurements", Cancel)).Items())
            .GetProperty("myHomeVote").ValueKind);
    }

    [Fact]
    public async Task A_resident_no_longer_announced_at_a_home_no_longer_sees_the_measurement_nor_votes_for_that_home()
    {
        using var fatma = await service.ResidentAsync(containers, _trajectory.BuurtCode, Languages.Turkish);
        using var newcomer = await service.ResidentAsync(containers, _trajectory.BuurtCode);
        var measurement = await _partner.CreateMeasurementAsync(service.Services, _trajectory.Id);
        await ResolveHomesAsync(measurement, (0, fatma.Id));
        Assert.Single((await fatma.Client.GetFromJsonAsync<JsonElement>("/v1/me/support-measurements", Cancel)).Items());

        // Fatma moved away; the residents service announces the home's whole new list of residents.
        await service.Services.GetRequiredService<IBus>().Publish(
            new SupportMeasurementHomesResolved(measurement.Id, [new HomeResidents(measurement.Codes[0].HomeKey, [newcomer.Id])]), Cancel);
        await Eventually.MatchesAsync(
            () => ScalarAsync<int>(
                containers, "SELECT count(*)::int FROM support_measurement_residents WHERE measurement_id = @Id AND resident_id = @ResidentId",
                new { measurement.Id, ResidentId = newcomer.Id }),
            count => count == 1,
            "the newcomer to be known at the home");

        Assert.Empty((await fatma.Client.GetFromJsonAsync<JsonElement>("/v1/me/support-measurements", Cancel)).Items());
        var path = $"/v1/me/support-measurements/{measurement.Id}/vote";
        await (await fatma.Client.PutAsJsonAsync(path, new { choice = "agree" }, Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await newcomer.Client.PutAsJsonAsync(path, new { choice = "disagree" }, Cancel)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal((10, 1, 0, 1, false), (await _partner.ResultAsync(measurement)).Counts());
    }

    [Fact]
    public async Task A_resident_of_none_of_its_homes_gets_404_and_bad_input_is_named()
    {
        using var fatma = await service.ResidentAsync(containers, _trajectory.BuurtCode, Languages.Turkish);
        using var stranger = await service.ResidentAsync(containers, _trajectory.BuurtCode);
        var measurement = await _partner.CreateMeasurementAsync(service.Services, _trajectory.Id);
        await ResolveHomesAsync(measurement, (0, fatma.Id));
        var path = $"/v1/me/support-measurements/{measurement.Id}/vote";

        await (await fatma.Client.PutAsJsonAsync(path, new { choice = "maybe" }, Cancel)).AssertProblemAsync(HttpStatusCode.BadRequest, "choice");
        await (await stranger.Client.PutAsJsonAsync(path, new { choice = "agree" }, Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty((await stranger.Client.GetFromJsonAsync<JsonElement>("/v1/me/support-measurements", Cancel)).Items());
        Assert.Equal((10, 0, 0, 0, false), (await _partner.ResultAsync(measurement)).Counts());
    }

    [Fact]
    public async Task After_the_deadline_a_vote_is_refused_naming_the_deadline()
    {
        using var fatma = await service.ResidentAsync(containers, _trajectory.BuurtCode, Languages.Turkish);
        var deadline = DateTimeOffset.UtcNow.AddSeconds(3);
        var measurement = await _partner.CreateMeasurementAsync(service.Services, _trajectory.Id, deadline: deadline);
        await ResolveHomesAsync(measurement, (0, fatma.Id));
        var path = $"/v1/me/support-measurements/{measurement.Id}/vote";
        await (await fatma.Client.PutAsJsonAsync(path, new { choice = "agree" }, Cancel)).JsonAsync(HttpStatusCode.OK);

        await Task.Delay(deadline - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(200), Cancel);

        await (await fatma.Client.PutAsJsonAsync(path, new { choice = "disagree" }, Cancel)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "deadline");
        using var anonymous = service.CreateClient();
        await (await anonymous.PostAsJsonAsync($"/v1/public/support-measurements/{measurement.Id}/votes", new { code = measurement.CodeOf(0), choice = "disagree" }, Cancel))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "deadline");
        Assert.Equal((10, 1, 1, 0, false), (await _partner.ResultAsync(measurement)).Counts());
    }

    [Fact]
    public async Task Anyone_with_the_letter_code_votes_without_signing_in_and_changes_it_with_the_same_code()
    {
        var measurement = await _partner.CreateMeasurementAsync(service.Services, _trajectory.Id);
        using var anonymous = WithClientAddress(service.CreateClient());
        var path = $"/v1/public/support-measurements/{measurement.Id}/votes";

        var first = await (await anonymous.PostAsJsonAsync(path, new { code = measurement.CodeOf(3), choice = "agree" }, Cancel)).JsonAsync(HttpStatusCode.OK);
        // Typed as people type it: lower case, without the dashes.
        var typed = measurement.CodeOf(3).Replace("-", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
        var second = await (await anonymous.PostAsJsonAsync(path, new { code = typed, choice = "disagree" }, Cancel)).JsonAsync(HttpStatusCode.OK);

        Assert.False(first.GetProperty("replacedEarlierVote").GetBoolean());
        Assert.True(second.GetProperty("replacedEarlierVote").GetBoolean());
        Assert.Equal((10, 1, 0, 1, false), (await _partner.ResultAsync(measurement)).Counts());
        var entry = (await _partner.GetFromJsonAsync<JsonElement>($"{measurement.Path}/audit", Cancel)).Items()[^1];
        Assert.Equal("resident", entry.Value("enteredBy"));
        Assert.Equal("letter", entry.Value("channel"));
        // While open the log shows neither home, choice nor receipt hash of a resident's vote.
        Assert.Equal<(string?, string?, string?)>((null, null, null), (entry.Value("homeKey"), entry.Value("choice"), entry.Value("receiptHash")));
        // The receipt's salt is the voter's alone.
        Assert.NotEqual(first.Value("receiptHash"), second.Value("receiptHash"));
        Assert.False(string.IsNullOrEmpty(second.Value("receipt")));

        await (await anonymous.PostAsJsonAsync(path, new { choice = "agree" }, Cancel)).AssertProblemAsync(HttpStatusCode.BadRequest, "code");
        await (await anonymous.PostAsJsonAsync($"/v1/public/support-measurements/{Guid.NewGuid()}/votes", new { code = measurement.CodeOf(3), choice = "agree" }, Cancel))
            .AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_signed_in_resident_votes_with_the_code_from_their_letter()
    {
        using var fatma = await service.ResidentAsync(containers, _trajectory.BuurtCode, Languages.Turkish);
        var measurement = await _partner.CreateMeasurementAsync(service.Services, _trajectory.Id);
        await ResolveHomesAsync(measurement, (0, fatma.Id));
        var path = $"/v1/me/support-measurements/{measurement.Id}/vote";
        await (await fatma.Client.PutAsJsonAsync(path, new { choice = "agree", code = measurement.CodeOf(0) }, Cancel)).JsonAsync(HttpStatusCode.OK);

        await (await fatma.Client.PutAsJsonAsync(path, new { choice = "agree", code = "AAAA-BBBB-CCCC" }, Cancel))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "code");
        Assert.Equal((10, 1, 1, 0, false), (await _partner.ResultAsync(measurement)).Counts());
        Assert.Equal("agree", Assert.Single((await fatma.Client.GetFromJsonAsync<JsonElement>("/v1/me/support-measurements", Cancel)).Items()).Value("myHomeVote"));
    }

    [Fact]
    public async Task Ten_wrong_codes_from_one_address_lock_that_address_out_of_the_measurement_for_a_while()
    {
        var measurement = await _partner.CreateMeasurementAsync(service.Services, _trajectory.Id);
        var address = NewClientAddress();
        using var guesser = WithClientAddress(service.CreateClient(), address);
        using var other = WithClientAddress(service.CreateClient());
        var path = $"/v1/public/support-measurements/{measurement.Id}/votes";

        for (var attempt = 0; attempt < 10; attempt++)
        {
            await (await guesser.PostAsJsonAsync(path, new { code = $"ZZZZ-ZZZZ-ZZ{attempt:D2}", choice = "agree" }, Cancel))
                .AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "code");
        }

        // Locked out, even with a right code; the wait is given in seconds, at most the 15-minute window.
        using var locked = await guesser.PostAsJsonAsync(path, new { code = measurement.CodeOf(0), choice = "agree" }, Cancel);
        await locked.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        var retryAfter = locked.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(15));
        // Another address is not held up, and the locked-out try did not count as a vote.
        await (await other.PostAsJsonAsync(path, new { code = measurement.CodeOf(1), choice = "agree" }, Cancel)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal((10, 1, 1, 0, false), (await _partner.ResultAsync(measurement)).Counts());
    }

    [Fact]
    public async Task Resident_tokens_never_reach_the_partners_support_measurement_routes_nor_partners_the_residents()
    {
        using var fatma = await service.ResidentAsync(containers, _trajectory.BuurtCode, Languages.Turkish);
        var measurement = await _partner.CreateMeasurementAsync(service.Services, _trajectory.Id);

        await (await fatma.Client.PostAsJsonAsync($"{measurement.Path}/votes", new { code = measurement.CodeOf(0), choice = "agree" }, Cancel))
            .AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await fatma.Client.GetAsync($"{measurement.Path}/result", Cancel)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await _partner.PutAsJsonAsync($"/v1/me/support-measurements/{measurement.Id}/vote", new { choice = "agree" }, Cancel))
            .AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    /// <summary>What the residents service answers to SupportMeasurementOpened: who lives at which of its homes.</summary>
    private async Task ResolveHomesAsync(TestMeasurement measurement, params (int Home, Guid ResidentId)[] residents)
    {
        await service.Services.GetRequiredService<IBus>().Publish(
            new SupportMeasurementHomesResolved(
                measurement.Id, [.. residents.Select(resident => new HomeResidents(measurement.Codes[resident.Home].HomeKey, [resident.ResidentId]))]),
            Cancel);
        await Eventually.MatchesAsync(
            () => ScalarAsync<int>(containers, "SELECT count(*)::int FROM support_measurement_residents WHERE measurement_id = @Id", new { measurement.Id }),
            count => count == residents.Length,
            "the homes' residents to be known");
    }

    /// <summary>A client address of its own, as the gateway passes it on, so that wrong codes of other tests never count against it.</summary>
    private static HttpClient WithClientAddress(HttpClient client, string? address = null)
    {
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address ?? NewClientAddress());
        return client;
    }

    private static string NewClientAddress() => $"10.{Random.Shared.Next(256)}.{Random.Shared.Next(256)}.{Random.Shared.Next(1, 255)}";
}
