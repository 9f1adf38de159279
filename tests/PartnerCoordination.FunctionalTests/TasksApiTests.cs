using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Participatie.BuildingBlocks.Time;
using Participatie.Testing;
using static Participatie.PartnerCoordination.FunctionalTests.Calls;

namespace Participatie.PartnerCoordination.FunctionalTests;

/// <summary>Tasks partners of a trajectory set for each other.</summary>
[Collection(PartnerCoordinationCollection.Name)]
public sealed class TasksApiTests(PartnerCoordinationService service) : IAsyncLifetime
{
    private static readonly DateOnly LongAgo = new(2020, 1, 15);
    private static readonly DateOnly FarAhead = new(2099, 6, 30);

    private TrajectoryCast _cast = null!;

    public async ValueTask InitializeAsync() => _cast = await TrajectoryCast.CreateAsync(service);

    public ValueTask DisposeAsync()
    {
        _cast.Dispose();
        return ValueTask.CompletedTask;
    }

    private string Tasks => _cast.Path("/tasks");

    private static object NewTask(Guid assignee, DateOnly dueDate, string title = "Flyer bewonersavond drukken") =>
        new { title, description = "Oplage 400, via de drukker van de gemeente.", assigneePartnerId = assignee, dueDate };

    private static DateOnly TodayInAmsterdam() => AmsterdamClock.Today(TimeProvider.System);

    [Fact]
    public async Task A_task_set_by_the_lead_is_read_by_every_partner_and_moved_on_by_its_assignee()
    {
        var created = await _cast.Lead.Client.PostAsJsonAsync(
            Tasks, new { title = "  Flyer drukken  ", description = "Oplage 400", assigneePartnerId = _cast.Contributor.Id, dueDate = FarAhead }, Cancel);

        var task = await created.ReadJsonAsync(HttpStatusCode.Created);
        var taskId = task.GetProperty("id").GetGuid();
        Assert.Equal($"{Tasks}/{taskId}", created.Headers.Location?.OriginalString);
        Assert.Equal("Flyer drukken", task.GetProperty("title").GetString());
        Assert.Equal("Oplage 400", task.GetProperty("description").GetString());
        Assert.Equal(_cast.Lead.Id, task.GetProperty("ownerPartnerId").GetGuid());
        Assert.Equal(_cast.Contributor.Id, task.GetProperty("assigneePartnerId").GetGuid());
        Assert.Equal("2099-06-30", task.GetProperty("dueDate").GetString());
        Assert.Equal("open", task.GetProperty("status").GetString());
        Assert.False(task.GetProperty("overdue").GetBoolean());

        foreach (var reader in new[] { _cast.Contributor, _cast.Observer })
        {
            var read = await reader.GetOkAsync($"{Tasks}/{taskId}");
            Assert.Equal("Flyer drukken", read.GetProperty("title").GetString());
            Assert.Equal([taskId], (await reader.GetOkAsync(Tasks)).Ids());
        }

        var moved = await _cast.Contributor.PutAsync($"{Tasks}/{taskId}/status", new { status = "in-progress" });
        Assert.Equal("in-progress", (await moved.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString());
        var done = await _cast.Lead.PutAsync($"{Tasks}/{taskId}/status", new { status = "done" });
        Assert.Equal("done", (await done.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString());
        Assert.Equal("done", (await _cast.Observer.GetOkAsync($"{Tasks}/{taskId}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_invalid_task_or_status_gets_a_400_problem_naming_each_field_and_nothing_is_stored()
    {
        var empty = await _cast.Lead.PostAsync(Tasks, new { description = "Zonder titel" });
        var problem = await empty.AssertProblemAsync(HttpStatusCode.BadRequest, "title");
        Assert.Equal(
            ["assigneePartnerId", "dueDate", "title"],
            problem.GetProperty("errors").EnumerateObject().Select(error => error.Name).Order(StringComparer.Ordinal));

        using var badDate = new StringContent(
            $$"""{ "title": "Datum", "assigneePartnerId": "{{_cast.Contributor.Id}}", "dueDate": "2026-13-45" }""", Encoding.UTF8, "application/json");
        await (await _cast.Lead.Client.PostAsync(new Uri(Tasks, UriKind.Relative), badDate, Cancel)).AssertProblemAsync(HttpStatusCode.BadRequest, "dueDate");

        var task = await _cast.Lead.PostCreatedAsync(Tasks, NewTask(_cast.Contributor.Id, FarAhead));
        var taskId = task.GetProperty("id").GetGuid();
        await (await _cast.Lead.PutAsync($"{Tasks}/{taskId}/status", new { status = "finished" })).AssertProblemAsync(HttpStatusCode.BadRequest, "status");
        Assert.Equal([taskId], (await _cast.Lead.GetOkAsync(Tasks)).Ids());
        Assert.Equal("open", (await _cast.Lead.GetOkAsync($"{Tasks}/{taskId}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_task_for_a_partner_outside_the_trajectory_is_a_422_naming_assigneePartnerId()
    {
        var forOutsider = await _cast.Lead.PostAsync(Tasks, NewTask(_cast.Outsider.Id, FarAhead));
        var forNobody = await _cast.Lead.PostAsync(Tasks, NewTask(Guid.NewGuid(), FarAhead));

        await forOutsider.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "assigneePartnerId");
        await forNobody.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "assigneePartnerId");
        Assert.Equal(0, (await _cast.Lead.GetOkAsync(Tasks)).GetProperty("totalCount").GetInt64());
    }

    [Fact]
    public async Task To_an_outsider_the_tasks_do_not_exist_and_it_cannot_add_or_change_any()
    {
        var task = await _cast.Lead.PostCreatedAsync(Tasks, NewTask(_cast.Contributor.Id, LongAgo, "Geheime taak"));
        var taskId = task.GetProperty("id").GetGuid();
        var outsider = _cast.Outsider;

        var responses = new[]
        {
            await outsider.GetAsync(Tasks),
            await outsider.GetAsync($"{Tasks}?overdue=true"),
            await outsider.GetAsync($"{Tasks}/{taskId}"),
            await outsider.PostAsync(Tasks, NewTask(outsider.Id, FarAhead)),
            await outsider.PutAsync($"{Tasks}/{taskId}", NewTask(outsider.Id, FarAhead, "Gekaapt")),
            await outsider.PutAsync($"{Tasks}/{taskId}/status", new { status = "cancelled" }),
            await outsider.DeleteAsync($"{Tasks}/{taskId}"),
        };

        foreach (var response in responses)
        {
            var body = await response.Content.ReadAsStringAsync(Cancel);
            Assert.DoesNotContain("Geheime taak", body, StringComparison.Ordinal);
            await response.AssertProblemAsync(HttpStatusCode.NotFound);
        }

        var unchanged = await _cast.Lead.GetOkAsync($"{Tasks}/{taskId}");
        Assert.Equal("Geheime taak", unchanged.GetProperty("title").GetString());
        Assert.Equal("open", unchanged.GetProperty("status").GetString());
        Assert.Equal([taskId], (await _cast.Lead.GetOkAsync(Tasks)).Ids());
    }

    [Fact]
    public async Task An_observer_reads_the_tasks_but_cannot_set_one()
    {
        var task = await _cast.Contributor.PostCreatedAsync(Tasks, NewTask(_cast.Lead.Id, FarAhead));

        var set = await _cast.Observer.PostAsync(Tasks, NewTask(_cast.Lead.Id, FarAhead, "Van de waarnemer"));

        await set.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal([task.GetProperty("id").GetGuid()], (await _cast.Observer.GetOkAsync(Tasks)).Ids());
    }

    [Fact]
    public async Task The_platform_operator_reads_the_tasks_but_sets_none_and_anonymous_callers_get_401s()
    {
        var task = await _cast.Lead.PostCreatedAsync(Tasks, NewTask(_cast.Contributor.Id, FarAhead));
        using var operatorClient = service.CreateClient(await service.Tokens.GetOperatorTokenAsync());
        using var anonymous = service.CreateClient();

        var list = await (await operatorClient.GetAsync(new Uri(Tasks, UriKind.Relative), Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        var set = await operatorClient.PostAsJsonAsync(Tasks, NewTask(_cast.Contributor.Id, FarAhead, "Door de beheerder"), Cancel);
        var status = await operatorClient.PutAsJsonAsync($"{Tasks}/{task.GetProperty("id").GetGuid()}/status", new { status = "done" }, Cancel);

        Assert.Equal([task.GetProperty("id").GetGuid()], list.Ids());
        await set.AssertProblemAsync(HttpStatusCode.Forbidden);
        await status.AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await anonymous.GetAsync(new Uri(Tasks, UriKind.Relative), Cancel)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await anonymous.PostAsJsonAsync(Tasks, NewTask(_cast.Contributor.Id, FarAhead), Cancel)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(1, (await _cast.Lead.GetOkAsync(Tasks)).GetProperty("totalCount").GetInt64());
    }

    [Fact]
    public async Task Only_the_owner_changes_or_deletes_a_task_and_only_the_owner_or_assignee_moves_its_status()
    {
        // The contributor sets a task for the observer: the lead is neither its owner nor its assignee.
        var task = await _cast.Contributor.PostCreatedAsync(Tasks, NewTask(_cast.Observer.Id, FarAhead));
        var path = $"{Tasks}/{task.GetProperty("id").GetGuid()}";

        await (await _cast.Lead.PutAsync(path, NewTask(_cast.Lead.Id, FarAhead, "Door de lead"))).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await _cast.Lead.DeleteAsync(path)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await _cast.Lead.PutAsync($"{path}/status", new { status = "cancelled" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        // The assignee moves the status, even as an observer, but does not change the task itself.
        await (await _cast.Observer.PutAsync(path, NewTask(_cast.Observer.Id, FarAhead, "Door de uitvoerder"))).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("in-progress", (await (await _cast.Observer.PutAsync($"{path}/status", new { status = "in-progress" }))
            .ReadJsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString());

        var unchanged = await _cast.Lead.GetOkAsync(path);
        Assert.Equal("Flyer bewonersavond drukken", unchanged.GetProperty("title").GetString());
        Assert.Equal(_cast.Observer.Id, unchanged.GetProperty("assigneePartnerId").GetGuid());

        var changed = await (await _cast.Contributor.PutAsync(path, NewTask(_cast.Observer.Id, new DateOnly(2098, 1, 2), "Flyer en poster")))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Flyer en poster", changed.GetProperty("title").GetString());
        Assert.Equal("2098-01-02", changed.GetProperty("dueDate").GetString());
        Assert.Equal("in-progress", changed.GetProperty("status").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await _cast.Contributor.DeleteAsync(path)).StatusCode);
        await (await _cast.Lead.GetAsync(path)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Overdue_lists_the_unfinished_tasks_past_their_due_date_in_Amsterdam_to_every_partner()
    {
        var today = TodayInAmsterdam();
        var lateOpen = await _cast.Lead.PostCreatedAsync(Tasks, NewTask(_cast.Contributor.Id, LongAgo, "Te laat en open"));
        var lateStarted = await _cast.Contributor.PostCreatedAsync(Tasks, NewTask(_cast.Lead.Id, today.AddDays(-1), "Gisteren, bezig"));
        var lateDone = await _cast.Lead.PostCreatedAsync(Tasks, NewTask(_cast.Contributor.Id, LongAgo, "Te laat maar klaar"));
        var lateCancelled = await _cast.Lead.PostCreatedAsync(Tasks, NewTask(_cast.Contributor.Id, LongAgo, "Te laat maar geschrapt"));
        var dueToday = await _cast.Lead.PostCreatedAsync(Tasks, NewTask(_cast.Contributor.Id, today, "Vandaag"));
        var later = await _cast.Lead.PostCreatedAsync(Tasks, NewTask(_cast.Contributor.Id, FarAhead, "Later"));
        await (await _cast.Lead.PutAsync($"{Tasks}/{lateStarted.GetProperty("id").GetGuid()}/status", new { status = "in-progress" }))
            .ReadJsonAsync(HttpStatusCode.OK);
        await (await _cast.Lead.PutAsync($"{Tasks}/{lateDone.GetProperty("id").GetGuid()}/status", new { status = "done" })).ReadJsonAsync(HttpStatusCode.OK);
        await (await _cast.Lead.PutAsync($"{Tasks}/{lateCancelled.GetProperty("id").GetGuid()}/status", new { status = "cancelled" }))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.True(lateOpen.GetProperty("overdue").GetBoolean());
        Assert.False(dueToday.GetProperty("overdue").GetBoolean());

        foreach (var partner in new[] { _cast.Lead, _cast.Contributor, _cast.Observer })
        {
            var overdue = await partner.GetOkAsync($"{Tasks}?overdue=true");
            // By due date: the oldest first.
            Assert.Equal([lateOpen.GetProperty("id").GetGuid(), lateStarted.GetProperty("id").GetGuid()], overdue.Ids());
            Assert.Equal(2, overdue.GetProperty("totalCount").GetInt64());
            Assert.All(overdue.GetProperty("items").EnumerateArray(), task => Assert.True(task.GetProperty("overdue").GetBoolean()));
        }

        var all = await _cast.Observer.GetOkAsync(Tasks);
        Assert.Equal(6, all.GetProperty("totalCount").GetInt64());
        var flags = all.GetProperty("items").EnumerateArray()
            .ToDictionary(task => task.GetProperty("id").GetGuid(), task => task.GetProperty("overdue").GetBoolean());
        Assert.False(flags[lateDone.GetProperty("id").GetGuid()]);
        Assert.False(flags[lateCancelled.GetProperty("id").GetGuid()]);
        Assert.False(flags[dueToday.GetProperty("id").GetGuid()]);
        Assert.False(flags[later.GetProperty("id").GetGuid()]);

        // Not overdue any more once done.
        await (await _cast.Contributor.PutAsync($"{Tasks}/{lateOpen.GetProperty("id").GetGuid()}/status", new { status = "done" }))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal([lateStarted.GetProperty("id").GetGuid()], (await _cast.Observer.GetOkAsync($"{Tasks}?overdue=true")).Ids());
    }

    [Fact]
    public async Task Reassigning_a_task_is_audited_and_only_to_a_partner_of_the_trajectory()
    {
        var task = await _cast.Lead.PostCreatedAsync(Tasks, NewTask(_cast.Contributor.Id, FarAhead));
        var taskId = task.GetProperty("id").GetGuid();
        var path = $"{Tasks}/{taskId}";

        await (await _cast.Lead.PutAsync(path, NewTask(_cast.Outsider.Id, FarAhead))).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "assigneePartnerId");
        var reassigned = await (await _cast.Lead.PutAsync(path, NewTask(_cast.Observer.Id, FarAhead))).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(_cast.Observer.Id, reassigned.GetProperty("assigneePartnerId").GetGuid());
        // A change that keeps the assignee is no reassignment.
        await (await _cast.Lead.PutAsync(path, NewTask(_cast.Observer.Id, FarAhead, "Alleen de titel"))).ReadJsonAsync(HttpStatusCode.OK);

        var audit = await _cast.Lead.GetOkAsync(_cast.Path("/audit"));
        var entries = audit.GetProperty("items").EnumerateArray().Where(entry => entry.GetProperty("action").GetString() == "task-reassigned").ToList();
        var entry = Assert.Single(entries);
        Assert.Equal($"task {taskId}", entry.GetProperty("subject").GetString());
        Assert.Equal(_cast.Lead.Id, entry.GetProperty("actorPartnerId").GetGuid());
        using var details = JsonDocument.Parse(entry.GetProperty("details").GetString()!);
        Assert.Equal(_cast.Observer.Id, details.RootElement.GetProperty("assigneePartnerId").GetGuid());
        Assert.Equal(_cast.Contributor.Id, details.RootElement.GetProperty("previousAssigneePartnerId").GetGuid());
    }
}
