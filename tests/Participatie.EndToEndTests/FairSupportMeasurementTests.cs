using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Participatie.Testing;
using static Participatie.EndToEndTests.ResidentJourneyTests;

namespace Participatie.EndToEndTests;

/// <summary>
/// A draagvlakmeting the corporation cannot rig (issue 11), through the gateway against the real token server,
/// PostgreSQL and RabbitMQ: no partner holds or enters a voting code, the resident's own vote stands against the
/// corporation's paper form, nobody closes early, and the tenants' organisation, as mere observer, checks the log.
/// </summary>
public sealed class FairSupportMeasurementTests(PlatformFixture platform)
{
    [Fact]
    public async Task The_corporation_cannot_rig_its_own_draagvlakmeting()
    {
        var corporation = await platform.RegisterPartnerWithClientAsync(TestData.NewPartnerName("Woonstichting Eerlijk"), "housing-corporation");
        var tenants = await platform.RegisterPartnerWithClientAsync(TestData.NewPartnerName("Huurdersvereniging Eerlijk"), "tenants-organisation");
        var buurtCode = TestData.NewBuurtCode();
        var postcode = TestData.NewPostcode();
        var email = $"anna-{Guid.NewGuid():N}@example.org";
        await SendAsync(corporation.Client, HttpMethod.Post, "/v1/residents", new
        {
            fullName = "Anna de Vries", postcode, houseNumber = 3, street = "Eerlijkstraat", city = "Utrecht", buurtCode, email,
            preferredLanguage = "nl", preferredChannel = "email",
        }, HttpStatusCode.Created);
        var trajectoryId = (await SendAsync(corporation.Client, HttpMethod.Post, "/v1/trajectories", new { name = "Renovatie Eerlijk", buurtCodes = new[] { buurtCode } }, HttpStatusCode.Created))
            .GetProperty("id").GetGuid();
        await SendAsync(corporation.Client, HttpMethod.Put, $"/v1/trajectories/{trajectoryId}/members/{tenants.PartnerId}", new { role = "observer" }, HttpStatusCode.OK);
        await PlatformFixture.WaitForConsultationsAccessAsync(corporation.Client, trajectoryId);
        await PlatformFixture.WaitForConsultationsAccessAsync(tenants.Client, trajectoryId);

        // The corporation puts its proposal to ten homes, Anna's among them: the answer carries no voting code.
        var homes = Enumerable.Range(1, 10).Select(number => new { postcode, houseNumber = number, houseNumberSuffix = (string?)null }).ToArray();
        var measurement = await SendAsync(corporation.Client, HttpMethod.Post, "/v1/support-measurements", new
        {
            trajectoryId, title = "Renovatie blok 3", proposal = "Nieuwe kozijnen; de huur stijgt met 25 euro.", deadline = DateTimeOffset.UtcNow.AddDays(14), homes,
        }, HttpStatusCode.Created);
        Assert.False(measurement.TryGetProperty("votingCodes", out _));
        var measurementId = measurement.GetProperty("id").GetGuid();
        var path = $"/v1/support-measurements/{measurementId}";
        var annasHome = measurement.GetProperty("homes")[2].GetString()!;

        // Neither the owner nor the observer enters a coded vote; the observer enters no vote at all.
        AssertNames(await SendAsync(corporation.Client, HttpMethod.Post, $"{path}/votes", new { code = "K7QM-3XRD-9HTW", choice = "agree" }, HttpStatusCode.BadRequest), "code");
        await SendAsync(tenants.Client, HttpMethod.Post, $"{path}/votes", new { code = "K7QM-3XRD-9HTW", choice = "agree" }, HttpStatusCode.Forbidden);
        await SendAsync(tenants.Client, HttpMethod.Post, $"{path}/votes", new { homeKey = annasHome, choice = "agree", formReference = "FORM-0001" }, HttpStatusCode.Forbidden);

        // Anna signs in and votes against, online for her own home; she keeps the receipt.
        using var anna = platform.Anonymous();
        var tokens = await SignInByEmailAsync(platform, anna, email);
        anna.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.GetProperty("access_token").GetString());
        await Eventually.MatchesAsync(
            async () => (await SendAsync(anna, HttpMethod.Get, "/v1/me/support-measurements", null, HttpStatusCode.OK)).GetProperty("items").EnumerateArray().ToList(),
            items => items.Any(item => item.GetProperty("id").GetGuid() == measurementId),
            "the draagvlakmeting for her home among hers");
        var receipt = await SendAsync(anna, HttpMethod.Put, $"/v1/me/support-measurements/{measurementId}/vote", new { choice = "disagree" }, HttpStatusCode.OK);

        // The corporation's paper form does not replace her vote, and it cannot close before the deadline.
        AssertNames(await SendAsync(corporation.Client, HttpMethod.Post, $"{path}/votes", new { homeKey = annasHome, choice = "agree", formReference = "FORM-0002" }, HttpStatusCode.Conflict), "homeKey");
        AssertNames(await SendAsync(corporation.Client, HttpMethod.Post, $"{path}/close", null, HttpStatusCode.UnprocessableEntity), "deadline");

        // The tenants' organisation, as observer, reads the result and the log: one vote, cast by the resident. While
        // open, a log entry without home, choice or receipt hash; Anna sees her own vote.
        var result = await SendAsync(tenants.Client, HttpMethod.Get, $"{path}/result", null, HttpStatusCode.OK);
        Assert.Equal((10, 1, 0, 1, "open"), (
            result.GetProperty("homes").GetInt32(), result.GetProperty("votes").GetInt32(), result.GetProperty("agreeing").GetInt32(),
            result.GetProperty("disagreeing").GetInt32(), result.GetProperty("status").GetString()));
        var entry = Assert.Single((await SendAsync(tenants.Client, HttpMethod.Get, $"{path}/audit", null, HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        Assert.Equal(("resident", "online"), (entry.GetProperty("enteredBy").GetString(), entry.GetProperty("channel").GetString()));
        Assert.Equal(
            (JsonValueKind.Null, JsonValueKind.Null, JsonValueKind.Null),
            (entry.GetProperty("choice").ValueKind, entry.GetProperty("homeKey").ValueKind, entry.GetProperty("receiptHash").ValueKind));
        var annasVote = (await SendAsync(anna, HttpMethod.Get, "/v1/me/support-measurements", null, HttpStatusCode.OK)).GetProperty("items").EnumerateArray()
            .Single(item => item.GetProperty("id").GetGuid() == measurementId);
        Assert.Equal("disagree", annasVote.GetProperty("myHomeVote").GetString());
        Assert.Equal(64, receipt.GetProperty("receiptHash").GetString()!.Length);
    }

    private static void AssertNames(JsonElement problem, string field) =>
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"The problem names no '{field}': {problem}");
}
