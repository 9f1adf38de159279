using System.Globalization;
using System.Net;
using Participatie.Testing;
using static Participatie.PartnerCoordination.FunctionalTests.Calls;

namespace Participatie.PartnerCoordination.FunctionalTests;

/// <summary>The trajectory's shared agenda.</summary>
[Collection(PartnerCoordinationCollection.Name)]
public sealed class AgendaApiTests(PartnerCoordinationService service) : IAsyncLifetime
{
    /// <summary>Now, to the second, so that times read back compare exactly.</summary>
    private readonly DateTimeOffset _now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());

    private TrajectoryCast _cast = null!;

    public async ValueTask InitializeAsync() => _cast = await TrajectoryCast.CreateAsync(service);

    public ValueTask DisposeAsync()
    {
        _cast.Dispose();
        return ValueTask.CompletedTask;
    }

    private string Activities => _cast.Path("/activities");

    private static object NewActivity(
        Guid responsible, DateTimeOffset startsAt, string title = "Bewonersavond renovatie", string kind = "bewonersavond", string[]? targetGroups = null) => new
        {
            kind,
            title,
            place = "Buurthuis De Meeuw, Zeeburgerdijk 10",
            startsAt,
            endsAt = startsAt.AddHours(2),
            responsiblePartnerId = responsible,
            targetGroups = targetGroups ?? ["tenants", "elderly"],
        };

    private static string Query(DateTimeOffset from) => Uri.EscapeDataString(from.ToString("O", CultureInfo.InvariantCulture));

    [Fact]
    public async Task Activities_are_listed_soonest_first_from_now_unless_asked_from_an_earlier_moment()
    {
        var inFiveDays = await _cast.Lead.PostCreatedAsync(Activities, NewActivity(_cast.Contributor.Id, _now.AddDays(5), "Inloop", "inloopspreekuur"));
        var lastWeek = await _cast.Contributor.PostCreatedAsync(Activities, NewActivity(_cast.Lead.Id, _now.AddDays(-7), "Vorige week"));
        var ongoing = await _cast.Contributor.PostCreatedAsync(Activities, NewActivity(_cast.Lead.Id, _now.AddHours(-1), "Nu bezig", "door-to-door"));
        var tomorrow = await _cast.Lead.PostCreatedAsync(Activities, NewActivity(_cast.Observer.Id, _now.AddDays(1), "Morgen", "meeting", ["all-residents"]));

        Assert.Equal("inloopspreekuur", inFiveDays.GetProperty("kind").GetString());
        Assert.Equal("Buurthuis De Meeuw, Zeeburgerdijk 10", inFiveDays.GetProperty("place").GetString());
        Assert.Equal(_now.AddDays(5), inFiveDays.GetProperty("startsAt").GetDateTimeOffset());
        Assert.Equal(_now.AddDays(5).AddHours(2), inFiveDays.GetProperty("endsAt").GetDateTimeOffset());
        Assert.Equal(_cast.Contributor.Id, inFiveDays.GetProperty("responsiblePartnerId").GetGuid());
        Assert.Equal(_cast.Lead.Id, inFiveDays.GetProperty("ownerPartnerId").GetGuid());
        Assert.Equal(["tenants", "elderly"], inFiveDays.GetProperty("targetGroups").Strings());

        var upcoming = await _cast.Observer.GetOkAsync(Activities);
        Assert.Equal(
            [ongoing.GetProperty("id").GetGuid(), tomorrow.GetProperty("id").GetGuid(), inFiveDays.GetProperty("id").GetGuid()], upcoming.Ids());
        var everything = await _cast.Observer.GetOkAsync($"{Activities}?from={Query(_now.AddDays(-30))}");
        Assert.Equal(lastWeek.GetProperty("id").GetGuid(), everything.Ids()[0]);
        Assert.Equal(4, everything.GetProperty("totalCount").GetInt64());
        var fromTomorrow = await _cast.Observer.GetOkAsync($"{Activities}?from={Query(_now.AddHours(12))}");
        Assert.Equal([tomorrow.GetProperty("id").GetGuid(), inFiveDays.GetProperty("id").GetGuid()], fromTomorrow.Ids());

        var read = await _cast.Observer.GetOkAsync($"{Activities}/{tomorrow.GetProperty("id").GetGuid()}");
        Assert.Equal(["all-residents"], read.GetProperty("targetGroups").Strings());
    }

    [Fact]
    public async Task An_invalid_activity_gets_a_400_problem_naming_each_field()
    {
        var backwards = await _cast.Lead.PostAsync(Activities, new
        {
            kind = "borrel",
            title = "Achterstevoren",
            place = "Buurthuis",
            startsAt = _now.AddDays(2),
            endsAt = _now.AddDays(1),
            responsiblePartnerId = _cast.Lead.Id,
            targetGroups = new[] { "tenants", "cats" },
        });
        var empty = await _cast.Lead.PostAsync(Activities, new { });

        var problem = await backwards.AssertProblemAsync(HttpStatusCode.BadRequest, "endsAt");
        Assert.Equal(
            ["endsAt", "kind", "targetGroups"],
            problem.GetProperty("errors").EnumerateObject().Select(error => error.Name).Order(StringComparer.Ordinal));
        var missing = await empty.AssertProblemAsync(HttpStatusCode.BadRequest, "title");
        Assert.Equal(
            ["endsAt", "kind", "place", "responsiblePartnerId", "startsAt", "title"],
            missing.GetProperty("errors").EnumerateObject().Select(error => error.Name).Order(StringComparer.Ordinal));
        var sameTime = await _cast.Lead.PostAsync(Activities, new
        {
            kind = "meeting", title = "Nul minuten", place = "Online", startsAt = _now.AddDays(1), endsAt = _now.AddDays(1), responsiblePartnerId = _cast.Lead.Id,
        });
        await sameTime.AssertProblemAsync(HttpStatusCode.BadRequest, "endsAt");
        Assert.Equal(0, (await _cast.Lead.GetOkAsync($"{Activities}?from={Query(_now.AddYears(-1))}")).GetProperty("totalCount").GetInt64());
    }

    [Fact]
    public async Task An_activity_led_by_a_partner_outside_the_trajectory_is_a_422_naming_responsiblePartnerId()
    {
        var response = await _cast.Lead.PostAsync(Activities, NewActivity(_cast.Outsider.Id, _now.AddDays(3)));

        await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "responsiblePartnerId");
        Assert.Equal(0, (await _cast.Lead.GetOkAsync(Activities)).GetProperty("totalCount").GetInt64());
    }

    [Fact]
    public async Task To_an_outsider_the_agenda_does_not_exist_and_an_observer_reads_it_but_plans_nothing()
    {
        var activity = await _cast.Lead.PostCreatedAsync(Activities, NewActivity(_cast.Lead.Id, _now.AddDays(3), "Geheime avond"));
        var path = $"{Activities}/{activity.GetProperty("id").GetGuid()}";

        foreach (var response in new[]
        {
            await _cast.Outsider.GetAsync(Activities),
            await _cast.Outsider.GetAsync(path),
            await _cast.Outsider.PostAsync(Activities, NewActivity(_cast.Outsider.Id, _now.AddDays(3))),
            await _cast.Outsider.PutAsync(path, NewActivity(_cast.Outsider.Id, _now.AddDays(3), "Gekaapt")),
            await _cast.Outsider.DeleteAsync(path),
        })
        {
            Assert.DoesNotContain("Geheime avond", await response.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
            await response.AssertProblemAsync(HttpStatusCode.NotFound);
        }

        await (await _cast.Observer.PostAsync(Activities, NewActivity(_cast.Observer.Id, _now.AddDays(4)))).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal([activity.GetProperty("id").GetGuid()], (await _cast.Observer.GetOkAsync(Activities)).Ids());
        Assert.Equal("Geheime avond", (await _cast.Lead.GetOkAsync(path)).GetProperty("title").GetString());
    }

    [Fact]
    public async Task Only_the_owner_changes_or_cancels_an_activity_and_handing_it_over_is_audited()
    {
        var activity = await _cast.Contributor.PostCreatedAsync(Activities, NewActivity(_cast.Contributor.Id, _now.AddDays(3)));
        var activityId = activity.GetProperty("id").GetGuid();
        var path = $"{Activities}/{activityId}";

        await (await _cast.Lead.PutAsync(path, NewActivity(_cast.Lead.Id, _now.AddDays(3), "Door de lead"))).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await _cast.Lead.DeleteAsync(path)).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("Bewonersavond renovatie", (await _cast.Lead.GetOkAsync(path)).GetProperty("title").GetString());

        var changed = await (await _cast.Contributor.PutAsync(path, NewActivity(_cast.Lead.Id, _now.AddDays(4), "Verplaatst", targetGroups: ["youth"])))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Verplaatst", changed.GetProperty("title").GetString());
        Assert.Equal(_now.AddDays(4), changed.GetProperty("startsAt").GetDateTimeOffset());
        Assert.Equal(_cast.Lead.Id, changed.GetProperty("responsiblePartnerId").GetGuid());
        Assert.Equal(["youth"], changed.GetProperty("targetGroups").Strings());
        var audit = await _cast.Lead.GetOkAsync(_cast.Path("/audit"));
        Assert.Contains(
            audit.GetProperty("items").EnumerateArray(),
            entry => entry.GetProperty("action").GetString() == "activity-reassigned" && entry.GetProperty("subject").GetString() == $"activity {activityId}");

        Assert.Equal(HttpStatusCode.NoContent, (await _cast.Contributor.DeleteAsync(path)).StatusCode);
        await (await _cast.Lead.GetAsync(path)).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty((await _cast.Lead.GetOkAsync(Activities)).Ids());
    }
}
