using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Npgsql;
using Participatie.Testing;
using static Participatie.PartnerCoordination.FunctionalTests.Calls;

namespace Participatie.PartnerCoordination.FunctionalTests;

/// <summary>
/// Every change of a trajectory's membership is announced through the outbox as a complete snapshot with the next
/// version; other services decide access from these snapshots. Read here from the service's own outbox table.
/// </summary>
[Collection(PartnerCoordinationCollection.Name)]
public sealed class TrajectoryChangedTests(PartnerCoordinationService service, PlatformContainers containers)
{
    [Fact]
    public async Task Creating_and_each_change_of_membership_publish_the_whole_trajectory_with_the_next_version()
    {
        // Created by the lead, then the contributor and the observer added: versions 1, 2 and 3.
        using var cast = await TrajectoryCast.CreateAsync(service);
        var (lead, contributor, observer) = (cast.Lead.Id, cast.Contributor.Id, cast.Observer.Id);

        (await cast.Lead.PutAsync(cast.Path($"/members/{contributor}"), new { role = "co-owner" })).EnsureSuccessStatusCode();
        // The new co-owner manages the membership too.
        var removed = await cast.Contributor.DeleteAsync(cast.Path($"/members/{observer}"));
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);

        var events = await EventsAsync(cast.TrajectoryId);
        Assert.Equal(["created", "member-added", "member-added", "role-changed", "member-removed"], events.Select(e => e.GetProperty("change").GetString()));
        Assert.Equal([1L, 2L, 3L, 4L, 5L], events.Select(e => e.GetProperty("version").GetInt64()));
        Assert.Equal(
            [
                [(lead, "lead")],
                [(lead, "lead"), (contributor, "contributor")],
                [(lead, "lead"), (contributor, "contributor"), (observer, "observer")],
                [(lead, "lead"), (contributor, "co-owner"), (observer, "observer")],
                [(lead, "lead"), (contributor, "co-owner")],
            ],
            events.Select(Members));

        var trajectory = await cast.Lead.GetOkAsync(cast.Path(string.Empty));
        foreach (var snapshot in events)
        {
            Assert.Equal(cast.TrajectoryId, snapshot.GetProperty("trajectoryId").GetGuid());
            Assert.Equal(trajectory.GetProperty("name").GetString(), snapshot.GetProperty("name").GetString());
            Assert.Equal(["BU03630001"], snapshot.GetProperty("buurtCodes").Strings());
            Assert.Equal(lead, snapshot.GetProperty("leadPartnerId").GetGuid());
            Assert.True(snapshot.GetProperty("changedAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
        }

        // And the relay takes them to the broker.
        await Eventually.MatchesAsync(
            () => UnrelayedCountAsync(cast.TrajectoryId), count => count == 0, "the TrajectoryChanged events to be relayed");
    }

    [Fact]
    public async Task A_refused_change_or_the_same_role_again_publishes_nothing_and_takes_no_version()
    {
        using var cast = await TrajectoryCast.CreateAsync(service);
        var (lead, contributor, outsider) = (cast.Lead.Id, cast.Contributor.Id, cast.Outsider.Id);

        await (await cast.Observer.PutAsync(cast.Path($"/members/{outsider}"), new { role = "observer" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await cast.Outsider.PutAsync(cast.Path($"/members/{outsider}"), new { role = "co-owner" })).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await cast.Lead.PutAsync(cast.Path($"/members/{lead}"), new { role = "observer" })).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "partnerId");
        await (await cast.Lead.PutAsync(cast.Path($"/members/{Guid.NewGuid()}"), new { role = "observer" })).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "partnerId");
        await (await cast.Lead.PutAsync(cast.Path($"/members/{outsider}"), new { role = "lead" })).AssertProblemAsync(HttpStatusCode.BadRequest, "role");
        await (await cast.Lead.DeleteAsync(cast.Path($"/members/{outsider}"))).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await cast.Lead.DeleteAsync(cast.Path($"/members/{lead}"))).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await cast.Observer.DeleteAsync(cast.Path($"/members/{contributor}"))).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await cast.Outsider.DeleteAsync(cast.Path($"/members/{contributor}"))).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await cast.Lead.PutAsync($"/v1/trajectories/{Guid.NewGuid()}/members/{outsider}", new { role = "observer" })).AssertProblemAsync(HttpStatusCode.NotFound);
        var same = await (await cast.Lead.PutAsync(cast.Path($"/members/{contributor}"), new { role = "contributor" })).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("contributor", same.GetProperty("role").GetString());

        Assert.Equal([1L, 2L, 3L], (await EventsAsync(cast.TrajectoryId)).Select(e => e.GetProperty("version").GetInt64()));
        Assert.Equal(3, await StoredVersionAsync(cast.TrajectoryId));

        // The next real change takes the next version: nothing refused left a gap.
        (await cast.Lead.PutAsync(cast.Path($"/members/{outsider}"), new { role = "observer" })).EnsureSuccessStatusCode();
        var last = (await EventsAsync(cast.TrajectoryId))[^1];
        Assert.Equal(("member-added", 4L), (last.GetProperty("change").GetString(), last.GetProperty("version").GetInt64()));
        Assert.Contains((outsider, "observer"), Members(last));
    }

    [Fact]
    public async Task Concurrent_changes_of_one_trajectory_get_distinct_versions_and_each_snapshot_holds_every_change_before_it()
    {
        var lead = await service.Tokens.RegisterPartnerAsync();
        var trajectoryId = await service.Tokens.CreateTrajectoryAsync(lead, "BU03630002");
        var newcomers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => service.Tokens.RegisterPartnerAsync("social-institution")));
        using var client = service.CreateClient(lead.AccessToken);

        var responses = await Task.WhenAll(newcomers.Select(partner =>
            client.PutAsJsonAsync($"/v1/trajectories/{trajectoryId}/members/{partner.PartnerId}", new { role = "contributor" }, Cancel)));

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        var events = (await EventsAsync(trajectoryId)).OrderBy(e => e.GetProperty("version").GetInt64()).ToList();
        Assert.Equal(Enumerable.Range(1, 9).Select(version => (long)version), events.Select(e => e.GetProperty("version").GetInt64()));
        // Version v holds the lead and v - 1 newcomers, and everything the version before it held.
        for (var index = 1; index < events.Count; index++)
        {
            var members = Members(events[index]);
            Assert.Equal(index + 1, members.Count);
            Assert.Superset(Members(events[index - 1]).ToHashSet(), members.ToHashSet());
        }

        Assert.Equal(
            newcomers.Select(partner => partner.PartnerId).Append(lead.PartnerId).Order(),
            Members(events[^1]).Select(member => member.PartnerId).Order());
    }

    private static List<(Guid PartnerId, string Role)> Members(JsonElement snapshot) =>
        [.. snapshot.GetProperty("members").EnumerateArray()
            .Select(member => (member.GetProperty("partnerId").GetGuid(), member.GetProperty("role").GetString()!))];

    /// <summary>The TrajectoryChanged events of the trajectory in the outbox, in the order they were written.</summary>
    private async Task<List<JsonElement>> EventsAsync(Guid trajectoryId)
    {
        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        var payloads = await connection.QueryAsync<string>(
            """
            SELECT payload::text FROM outbox_messages
            WHERE message_type LIKE 'Participatie.Contracts.TrajectoryChanged,%' AND payload->>'trajectoryId' = @TrajectoryId
            ORDER BY sequence
            """,
            new { TrajectoryId = trajectoryId.ToString() });
        return [.. payloads.Select(payload => JsonDocument.Parse(payload).RootElement.Clone())];
    }

    private async Task<int> UnrelayedCountAsync(Guid trajectoryId)
    {
        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        return await connection.ExecuteScalarAsync<int>(
            """
            SELECT count(*) FROM outbox_messages
            WHERE message_type LIKE 'Participatie.Contracts.TrajectoryChanged,%' AND payload->>'trajectoryId' = @TrajectoryId
              AND published_at IS NULL
            """,
            new { TrajectoryId = trajectoryId.ToString() });
    }

    private async Task<long> StoredVersionAsync(Guid trajectoryId)
    {
        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        return await connection.ExecuteScalarAsync<long>("SELECT version FROM trajectories WHERE id = @TrajectoryId", new { TrajectoryId = trajectoryId });
    }
}
