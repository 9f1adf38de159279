using System.Net;
using System.Text.Json;
using Participatie.Testing;
using static Participatie.PartnerCoordination.FunctionalTests.Calls;

namespace Participatie.PartnerCoordination.FunctionalTests;

/// <summary>The communication plan of a trajectory and the target groups each phase leaves out.</summary>
[Collection(PartnerCoordinationCollection.Name)]
public sealed class CommunicationPlanApiTests(PartnerCoordinationService service) : IAsyncLifetime
{
    private static readonly string[] EveryTargetGroup =
        ["all-residents", "tenants", "owner-occupiers", "elderly", "youth", "families", "non-dutch-speakers", "people-with-disabilities", "entrepreneurs"];

    private TrajectoryCast _cast = null!;

    public async ValueTask InitializeAsync() => _cast = await TrajectoryCast.CreateAsync(service);

    public ValueTask DisposeAsync()
    {
        _cast.Dispose();
        return ValueTask.CompletedTask;
    }

    private string Plan => _cast.Path("/communication-plan");

    private string Entries => _cast.Path("/communication-plan/entries");

    private static object NewEntry(string phase, string channel, string when, params string[] targetGroups) =>
        new { phase, channel, targetGroups, when };

    private static Dictionary<string, JsonElement> ByPhase(JsonElement plan) =>
        plan.GetProperty("phases").EnumerateArray().ToDictionary(phase => phase.GetProperty("phase").GetString()!);

    [Fact]
    public async Task The_plan_groups_its_entries_by_phase_and_names_the_target_groups_each_phase_does_not_reach()
    {
        var letter = await _cast.Lead.PostCreatedAsync(Entries, NewEntry("orientation", "letter", "week 12", "tenants", "owner-occupiers"));
        var email = await _cast.Contributor.PostCreatedAsync(Entries, NewEntry("orientation", "email", "2026-03-20", "elderly", "tenants"));
        var meeting = await _cast.Lead.PostCreatedAsync(Entries, NewEntry("plan-making", "meeting", "voor de zomer", "all-residents"));
        await _cast.Contributor.PostCreatedAsync(Entries, NewEntry("plan-making", "sms", "juni", "youth"));
        await _cast.Lead.PostCreatedAsync(Entries, NewEntry("execution", "door-to-door", "tijdens de sloop", "non-dutch-speakers"));
        await _cast.Contributor.PostCreatedAsync(Entries, NewEntry("execution", "app", "wekelijks", "youth", "families", "entrepreneurs"));

        Assert.Equal("orientation", letter.GetProperty("phase").GetString());
        Assert.Equal("letter", letter.GetProperty("channel").GetString());
        Assert.Equal("week 12", letter.GetProperty("when").GetString());
        Assert.Equal(["tenants", "owner-occupiers"], letter.GetProperty("targetGroups").Strings());
        Assert.Equal(_cast.Lead.Id, letter.GetProperty("ownerPartnerId").GetGuid());

        // Every partner of the trajectory reads the same plan.
        var plan = await _cast.Observer.GetOkAsync(Plan);
        Assert.Equal(_cast.TrajectoryId, plan.GetProperty("trajectoryId").GetGuid());
        Assert.Equal(
            ["orientation", "plan-making", "decision", "execution", "aftercare"],
            plan.GetProperty("phases").EnumerateArray().Select(phase => phase.GetProperty("phase").GetString()));
        var phases = ByPhase(plan);
        Assert.Equal([letter.GetProperty("id").GetGuid(), email.GetProperty("id").GetGuid()], phases["orientation"].GetProperty("entries").Ids());
        Assert.Equal(2, phases["plan-making"].GetProperty("entries").GetArrayLength());
        Assert.Equal(0, phases["decision"].GetProperty("entries").GetArrayLength());
        Assert.Equal(2, phases["execution"].GetProperty("entries").GetArrayLength());

        Assert.Equal(
            ["all-residents", "youth", "families", "non-dutch-speakers", "people-with-disabilities", "entrepreneurs"],
            phases["orientation"].GetProperty("unreachedTargetGroups").Strings());
        // An entry for all residents reaches every group.
        Assert.Empty(phases["plan-making"].GetProperty("unreachedTargetGroups").Strings());
        Assert.Equal(EveryTargetGroup, phases["decision"].GetProperty("unreachedTargetGroups").Strings());
        Assert.Equal(
            ["all-residents", "tenants", "owner-occupiers", "elderly", "people-with-disabilities"],
            phases["execution"].GetProperty("unreachedTargetGroups").Strings());
        Assert.Equal(EveryTargetGroup, phases["aftercare"].GetProperty("unreachedTargetGroups").Strings());

        // Moving the meeting for everyone to the decision phase leaves plan-making with only the youth reached.
        var moved = await (await _cast.Lead.PutAsync(
            $"{Entries}/{meeting.GetProperty("id").GetGuid()}", NewEntry("decision", "meeting", "september", "all-residents"))).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("decision", moved.GetProperty("phase").GetString());
        phases = ByPhase(await _cast.Contributor.GetOkAsync(Plan));
        Assert.Equal(EveryTargetGroup.Where(group => group != "youth"), phases["plan-making"].GetProperty("unreachedTargetGroups").Strings());
        Assert.Empty(phases["decision"].GetProperty("unreachedTargetGroups").Strings());
    }

    [Fact]
    public async Task An_empty_plan_reaches_nobody_in_any_phase()
    {
        var plan = await _cast.Lead.GetOkAsync(Plan);

        Assert.Equal(5, plan.GetProperty("phases").GetArrayLength());
        Assert.All(plan.GetProperty("phases").EnumerateArray(), phase =>
        {
            Assert.Equal(0, phase.GetProperty("entries").GetArrayLength());
            Assert.Equal(EveryTargetGroup, phase.GetProperty("unreachedTargetGroups").Strings());
        });
    }

    [Fact]
    public async Task An_invalid_entry_gets_a_400_problem_naming_each_field()
    {
        var wrong = await _cast.Lead.PostAsync(Entries, NewEntry("evaluation", "pigeon", "morgen", "tenants", "cats"));
        var empty = await _cast.Lead.PostAsync(Entries, new { phase = "orientation", channel = "letter", targetGroups = Array.Empty<string>() });

        var problem = await wrong.AssertProblemAsync(HttpStatusCode.BadRequest, "phase");
        Assert.Equal(
            ["channel", "phase", "targetGroups"],
            problem.GetProperty("errors").EnumerateObject().Select(error => error.Name).Order(StringComparer.Ordinal));
        var missing = await empty.AssertProblemAsync(HttpStatusCode.BadRequest, "targetGroups");
        Assert.Equal(
            ["targetGroups", "when"],
            missing.GetProperty("errors").EnumerateObject().Select(error => error.Name).Order(StringComparer.Ordinal));
        Assert.All(ByPhase(await _cast.Lead.GetOkAsync(Plan)).Values, phase => Assert.Equal(0, phase.GetProperty("entries").GetArrayLength()));
    }

    [Fact]
    public async Task To_an_outsider_the_plan_does_not_exist_and_an_observer_reads_it_but_plans_nothing()
    {
        var entry = await _cast.Lead.PostCreatedAsync(Entries, NewEntry("orientation", "letter", "Geheime week", "tenants"));
        var path = $"{Entries}/{entry.GetProperty("id").GetGuid()}";

        foreach (var response in new[]
        {
            await _cast.Outsider.GetAsync(Plan),
            await _cast.Outsider.GetAsync(path),
            await _cast.Outsider.PostAsync(Entries, NewEntry("orientation", "sms", "morgen", "youth")),
            await _cast.Outsider.PutAsync(path, NewEntry("orientation", "sms", "morgen", "youth")),
            await _cast.Outsider.DeleteAsync(path),
        })
        {
            Assert.DoesNotContain("Geheime week", await response.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
            await response.AssertProblemAsync(HttpStatusCode.NotFound);
        }

        await (await _cast.Observer.PostAsync(Entries, NewEntry("orientation", "sms", "morgen", "youth"))).AssertProblemAsync(HttpStatusCode.Forbidden);
        var orientation = ByPhase(await _cast.Observer.GetOkAsync(Plan))["orientation"];
        Assert.Equal([entry.GetProperty("id").GetGuid()], orientation.GetProperty("entries").Ids());
    }

    [Fact]
    public async Task Only_the_owner_changes_or_removes_an_entry()
    {
        var entry = await _cast.Contributor.PostCreatedAsync(Entries, NewEntry("aftercare", "letter", "na oplevering", "tenants"));
        var path = $"{Entries}/{entry.GetProperty("id").GetGuid()}";

        await (await _cast.Lead.PutAsync(path, NewEntry("aftercare", "email", "na oplevering", "all-residents"))).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await _cast.Lead.DeleteAsync(path)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await _cast.Observer.DeleteAsync(path)).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("letter", (await _cast.Lead.GetOkAsync(path)).GetProperty("channel").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await _cast.Contributor.DeleteAsync(path)).StatusCode);
        await (await _cast.Lead.GetAsync(path)).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(EveryTargetGroup, ByPhase(await _cast.Lead.GetOkAsync(Plan))["aftercare"].GetProperty("unreachedTargetGroups").Strings());
    }
}
