using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Participatie.Testing;
using static Participatie.PartnerCoordination.FunctionalTests.Calls;

namespace Participatie.PartnerCoordination.FunctionalTests;

/// <summary>What anyone may read of the trajectories in a buurt, without a token (the resident portal's start page).</summary>
[Collection(PartnerCoordinationCollection.Name)]
public sealed class PublicTrajectoriesTests(PartnerCoordinationService service)
{
    [Fact]
    public async Task A_buurt_s_trajectories_show_their_phase_timeline_and_coming_activities_to_anyone()
    {
        var lead = await service.Tokens.RegisterPartnerAsync("housing-corporation");
        var buurtCode = TestData.NewBuurtCode();
        var trajectoryId = await service.Tokens.CreateTrajectoryAsync(lead, buurtCode);
        using var client = lead.Authorize(service.CreateClient());
        using (var phase = await client.PutAsJsonAsync($"/v1/trajectories/{trajectoryId}/phase", new { phase = "plan-making" }, Cancel))
        {
            Assert.True(phase.IsSuccessStatusCode, await phase.Content.ReadAsStringAsync(Cancel));
        }

        var startsAt = DateTimeOffset.UtcNow.AddDays(3);
        foreach (var (title, at) in new[] { ("Bewonersavond plannen", startsAt), ("Vorige avond", DateTimeOffset.UtcNow.AddDays(-3)) })
        {
            using var created = await client.PostAsJsonAsync($"/v1/trajectories/{trajectoryId}/activities", new
            {
                kind = "bewonersavond",
                title,
                place = "Buurthuis De Meeuw",
                startsAt = at,
                endsAt = at.AddHours(2),
                responsiblePartnerId = lead.PartnerId,
                targetGroups = new[] { "tenants" },
            }, Cancel);
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync(Cancel));
        }

        using var anonymous = service.CreateClient();
        var read = await anonymous.GetFromJsonAsync<JsonElement>($"/v1/public/trajectories?buurtCode={buurtCode}", Cancel);
        var trajectory = Assert.Single(read.GetProperty("items").EnumerateArray());
        Assert.Equal(trajectoryId, trajectory.GetProperty("id").GetGuid());
        Assert.Equal("plan-making", trajectory.GetProperty("phase").GetString());
        var timeline = trajectory.GetProperty("timeline").EnumerateArray().ToList();
        Assert.Equal(["orientation", "plan-making", "decision", "execution", "aftercare"], timeline.Select(step => step.GetProperty("phase").GetString()));
        Assert.NotEqual(JsonValueKind.Null, timeline[1].GetProperty("startedAt").ValueKind);
        Assert.True(timeline[1].GetProperty("isCurrent").GetBoolean());
        Assert.Equal(JsonValueKind.Null, timeline[2].GetProperty("startedAt").ValueKind);
        // Only what is still to come, and nothing of the partners' own (members, roles, target groups).
        var activity = Assert.Single(trajectory.GetProperty("upcomingActivities").EnumerateArray());
        Assert.Equal("Bewonersavond plannen", activity.GetProperty("title").GetString());
        Assert.False(activity.TryGetProperty("targetGroups", out _));
        Assert.DoesNotContain(lead.PartnerId.ToString(), read.ToString(), StringComparison.OrdinalIgnoreCase);

        var otherBuurt = await anonymous.GetFromJsonAsync<JsonElement>($"/v1/public/trajectories?buurtCode={TestData.NewBuurtCode()}", Cancel);
        Assert.Empty(otherBuurt.GetProperty("items").EnumerateArray());
        using var invalid = await anonymous.GetAsync("/v1/public/trajectories?buurtCode=Amsterdam", Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("buurtCode", await invalid.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }
}
