using System.Net.Http.Json;
using System.Text.Json;
using static Participatie.PartnerCoordination.FunctionalTests.Calls;

namespace Participatie.PartnerCoordination.FunctionalTests;

/// <summary>
/// Every route group decides access in one place (the trajectory, owned-item and partner filters): this walks each
/// group with a caller in every position (outsider, observer, contributor, lead, platform operator, unknown ids) and
/// compares status, title, detail, errors and type of every answer with what the API has always answered.
/// </summary>
[Collection(PartnerCoordinationCollection.Name)]
public sealed class RouteAccessTests(PartnerCoordinationService service)
{
    [Fact]
    public async Task Every_route_group_answers_each_caller_as_it_always_has()
    {
        using var cast = await TrajectoryCast.CreateAsync(service);
        using var platform = service.CreateClient(await service.Tokens.GetOperatorTokenAsync());
        var (landlord, tenants) = (cast.Lead, cast.Observer);
        var lines = new List<string>();
        var ids = new Dictionary<Guid, string> { [cast.TrajectoryId] = "T", [cast.Lead.Id] = "LEAD", [cast.Contributor.Id] = "CONTRIB", [cast.Observer.Id] = "OBS", [cast.Outsider.Id] = "OUT" };
        var unknown = Guid.NewGuid();
        ids[unknown] = "UNKNOWN";
        async Task Record(string name, HttpResponseMessage response)
        {
            var body = await response.Content.ReadAsStringAsync(Cancel);
            string summary = "";
            if (response.Content.Headers.ContentType?.MediaType == "application/problem+json")
            {
                var problem = JsonDocument.Parse(body).RootElement;
                summary = $"{problem.GetProperty("title").GetString()} | {(problem.TryGetProperty("detail", out var d) ? d.GetString() : "-")} | {(problem.TryGetProperty("errors", out var e) ? e.ToString() : "-")} | {(problem.TryGetProperty("type", out var t) ? t.GetString() : "-")}";
            }
            foreach (var (id, label) in ids)
            {
                summary = summary.Replace(id.ToString(), label, StringComparison.Ordinal);
            }

            lines.Add($"{name}: {(int)response.StatusCode} {summary}");
        }

        var task = new { title = "t", description = "d", assigneePartnerId = cast.Contributor.Id, dueDate = "2030-01-01" };
        var activity = new { kind = "bewonersavond", title = "a", place = "p", startsAt = "2030-01-01T18:00:00Z", endsAt = "2030-01-01T20:00:00Z", responsiblePartnerId = cast.Contributor.Id, targetGroups = new[] { "tenants" } };
        var entry = new { phase = "orientation", channel = "letter", targetGroups = new[] { "tenants" }, when = "week 1" };
        var interest = new { topic = "x", position = "y" };
        var agreement = new { title = "a", description = "b", partnerIds = new[] { cast.Lead.Id } };
        var note = new { text = "n" };
        var advice = new { tenantsOrganisationPartnerId = tenants.Id, subject = "s", proposal = "p" };
        var groups = new (string Path, string Post, object Body)[]
        {
            ("/tasks", "/tasks", task), ("/activities", "/activities", activity), ("/communication-plan", "/communication-plan/entries", entry),
            ("/interests", "/interests", interest), ("/agreements", "/agreements", agreement), ("/private-notes", "/private-notes", note),
            ("/advice-requests", "/advice-requests", advice),
        };
        foreach (var (path, post, body) in groups)
        {
            await Record($"outsider GET {path}", await cast.Outsider.GetAsync(cast.Path(path)));
            await Record($"outsider POST {post}", await cast.Outsider.PostAsync(cast.Path(post), body));
            await Record($"observer POST {post}", await cast.Observer.PostAsync(cast.Path(post), body));
            await Record($"operator GET {path}", await platform.GetAsync(new Uri(cast.Path(path), UriKind.Relative), Cancel));
            await Record($"operator POST {post}", await platform.PostAsJsonAsync(cast.Path(post), body, Cancel));
            await Record($"lead GET unknown trajectory {path}", await cast.Lead.GetAsync($"/v1/trajectories/{unknown}{path}"));
            await Record($"operator GET unknown trajectory {path}", await platform.GetAsync(new Uri($"/v1/trajectories/{unknown}{path}", UriKind.Relative), Cancel));
            await Record($"outsider POST invalid {post}", await cast.Outsider.PostAsync(cast.Path(post), new { }));
        }

        var items = new (string Collection, string Post, object Body, string? Extra)[]
        {
            ("/tasks", "/tasks", task, "/status"), ("/activities", "/activities", activity, null), ("/communication-plan/entries", "/communication-plan/entries", entry, null),
            ("/interests", "/interests", interest, null), ("/agreements", "/agreements", agreement, null),
        };
        foreach (var (collection, post, body, extra) in items)
        {
            var created = await cast.Contributor.PostCreatedAsync(cast.Path(post), body);
            var id = created.GetProperty("id").GetGuid();
            ids[id] = "ITEM";
            var item = cast.Path($"{collection}/{id}");
            await Record($"lead GET {collection}/id", await cast.Lead.GetAsync(item));
            await Record($"outsider GET {collection}/id", await cast.Outsider.GetAsync(item));
            await Record($"lead GET {collection}/unknown", await cast.Lead.GetAsync(cast.Path($"{collection}/{unknown}")));
            await Record($"lead PUT {collection}/id", await cast.Lead.PutAsync(item, body));
            await Record($"observer PUT {collection}/id", await cast.Observer.PutAsync(item, body));
            await Record($"operator PUT {collection}/id", await platform.PutAsJsonAsync(item, body, Cancel));
            await Record($"lead PUT {collection}/unknown", await cast.Lead.PutAsync(cast.Path($"{collection}/{unknown}"), body));
            await Record($"lead DELETE {collection}/id", await cast.Lead.DeleteAsync(item));
            await Record($"observer DELETE {collection}/id", await cast.Observer.DeleteAsync(item));
            await Record($"lead DELETE {collection}/unknown", await cast.Lead.DeleteAsync(cast.Path($"{collection}/{unknown}")));
            if (extra is not null)
            {
                await Record($"lead PUT {collection}/id{extra}", await cast.Lead.PutAsync(item + extra, new { status = "done" }));
                await Record($"observer PUT {collection}/id{extra}", await cast.Observer.PutAsync(item + extra, new { status = "done" }));
                await Record($"outsider PUT {collection}/id{extra}", await cast.Outsider.PutAsync(item + extra, new { status = "done" }));
                await Record($"contrib PUT {collection}/id{extra}", await cast.Contributor.PutAsync(item + extra, new { status = "done" }));
            }

            await Record($"contrib DELETE {collection}/id", await cast.Contributor.DeleteAsync(item));
        }

        var noteId = (await cast.Lead.PostCreatedAsync(cast.Path("/private-notes"), note)).GetProperty("id").GetGuid();
        ids[noteId] = "NOTE";
        await Record("outsider DELETE note", await cast.Outsider.DeleteAsync(cast.Path($"/private-notes/{noteId}")));
        await Record("contrib DELETE note", await cast.Contributor.DeleteAsync(cast.Path($"/private-notes/{noteId}")));
        await Record("lead DELETE note unknown trajectory", await cast.Lead.DeleteAsync($"/v1/trajectories/{unknown}/private-notes/{noteId}"));
        await Record("operator DELETE note", await platform.DeleteAsync(new Uri(cast.Path($"/private-notes/{noteId}"), UriKind.Relative), Cancel));

        var adviceId = (await landlord.PostCreatedAsync(cast.Path("/advice-requests"), advice)).GetProperty("id").GetGuid();
        ids[adviceId] = "ADVICE";
        var adviceRequest = cast.Path($"/advice-requests/{adviceId}");
        await Record("contrib PUT advice", await cast.Contributor.PutAsync(adviceRequest + "/advice", new { text = "x" }));
        await Record("outsider PUT advice", await cast.Outsider.PutAsync(adviceRequest + "/advice", new { text = "x" }));
        await Record("tenants PUT decision", await tenants.PutAsync(adviceRequest + "/decision", new { followsAdvice = true }));
        await Record("lead PUT decision", await landlord.PutAsync(adviceRequest + "/decision", new { followsAdvice = true }));
        await Record("lead PUT unknown advice", await landlord.PutAsync(cast.Path($"/advice-requests/{unknown}/decision"), new { followsAdvice = true }));
        await Record("contrib POST advice (municipality)", await cast.Contributor.PostAsync(cast.Path("/advice-requests"), advice));
        await Record("operator GET advice", await platform.GetAsync(new Uri(adviceRequest, UriKind.Relative), Cancel));

        var bp = new { title = "b", lesson = "l", theme = "t", trajectoryKind = "renovation", targetGroups = new[] { "tenants" } };
        var bpId = (await cast.Lead.PostCreatedAsync("/v1/best-practices", bp)).GetProperty("id").GetGuid();
        ids[bpId] = "BP";
        await Record("contrib PUT bp", await cast.Contributor.PutAsync($"/v1/best-practices/{bpId}", bp));
        await Record("operator PUT bp", await platform.PutAsJsonAsync($"/v1/best-practices/{bpId}", bp, Cancel));
        await Record("contrib DELETE bp", await cast.Contributor.DeleteAsync($"/v1/best-practices/{bpId}"));
        await Record("contrib GET bp unknown", await cast.Contributor.GetAsync($"/v1/best-practices/{unknown}"));
        await Record("contrib PUT bp unknown", await cast.Contributor.PutAsync($"/v1/best-practices/{unknown}", bp));
        await Record("lead PUT bp", await cast.Lead.PutAsync($"/v1/best-practices/{bpId}", bp));
        await Record("lead DELETE bp", await cast.Lead.DeleteAsync($"/v1/best-practices/{bpId}"));

        var trajectory = cast.Path(string.Empty);
        await Record("outsider GET trajectory", await cast.Outsider.GetAsync(trajectory));
        await Record("operator GET trajectory", await platform.GetAsync(new Uri(trajectory, UriKind.Relative), Cancel));
        await Record("operator GET unknown trajectory", await platform.GetAsync(new Uri($"/v1/trajectories/{unknown}", UriKind.Relative), Cancel));
        await Record("observer GET trajectory", await cast.Observer.GetAsync(trajectory));
        await Record("observer PUT member", await cast.Observer.PutAsync(trajectory + $"/members/{cast.Outsider.Id}", new { role = "observer" }));
        await Record("contrib PUT member", await cast.Contributor.PutAsync(trajectory + $"/members/{cast.Outsider.Id}", new { role = "observer" }));
        await Record("outsider PUT member", await cast.Outsider.PutAsync(trajectory + $"/members/{cast.Outsider.Id}", new { role = "observer" }));
        await Record("observer PUT phase", await cast.Observer.PutAsync(trajectory + "/phase", new { phase = "decision" }));
        await Record("outsider PUT phase", await cast.Outsider.PutAsync(trajectory + "/phase", new { phase = "decision" }));
        await Record("observer GET audit", await cast.Observer.GetAsync(trajectory + "/audit"));
        await Record("outsider GET audit", await cast.Outsider.GetAsync(trajectory + "/audit"));
        await Record("operator GET audit", await platform.GetAsync(new Uri(trajectory + "/audit", UriKind.Relative), Cancel));
        await Record("operator PUT member", await platform.PutAsJsonAsync(trajectory + $"/members/{cast.Outsider.Id}", new { role = "observer" }, Cancel));
        await Record("operator DELETE member", await platform.DeleteAsync(new Uri(trajectory + $"/members/{cast.Outsider.Id}", UriKind.Relative), Cancel));
        await Record("lead PUT phase", await cast.Lead.PutAsync(trajectory + "/phase", new { phase = "decision" }));
        await Record("operator PUT phase", await platform.PutAsJsonAsync(trajectory + "/phase", new { phase = "execution" }, Cancel));
        await Record("lead PUT phase unknown", await cast.Lead.PutAsync($"/v1/trajectories/{unknown}/phase", new { phase = "decision" }));

        await Record("outsider GET partner clients", await cast.Outsider.GetAsync($"/v1/partners/{cast.Lead.Id}/clients"));
        await Record("outsider POST partner contacts", await cast.Outsider.PostAsync($"/v1/partners/{cast.Lead.Id}/contacts", new { name = "n", email = "a@b" }));
        await Record("outsider GET partner staff", await cast.Outsider.GetAsync($"/v1/partners/{cast.Lead.Id}/staff"));
        await Record("operator GET unknown partner clients", await platform.GetAsync(new Uri($"/v1/partners/{unknown}/clients", UriKind.Relative), Cancel));
        await Record("operator GET unknown partner staff", await platform.GetAsync(new Uri($"/v1/partners/{unknown}/staff", UriKind.Relative), Cancel));
        await Record("operator POST unknown partner contacts", await platform.PostAsJsonAsync($"/v1/partners/{unknown}/contacts", new { name = "n", email = "a@b" }, Cancel));
        await Record("lead GET own clients", await cast.Lead.GetAsync($"/v1/partners/{cast.Lead.Id}/clients"));
        await Record("lead DELETE unknown client", await cast.Lead.DeleteAsync($"/v1/partners/{cast.Lead.Id}/clients/nope"));

        var expected = RouteAccessAnswers.Expected.ReplaceLineEndings("\n").Split('\n');
        for (var index = 0; index < Math.Max(expected.Length, lines.Count); index++)
        {
            Assert.Equal(index < expected.Length ? expected[index] : null, index < lines.Count ? lines[index] : null);
        }
    }
}
