using System.Net;
using Participatie.Testing;
using static Participatie.PartnerCoordination.FunctionalTests.Calls;

namespace Participatie.PartnerCoordination.FunctionalTests;

/// <summary>Each partner's interests and positions in a trajectory.</summary>
[Collection(PartnerCoordinationCollection.Name)]
public sealed class InterestsApiTests(PartnerCoordinationService service) : IAsyncLifetime
{
    private TrajectoryCast _cast = null!;

    public async ValueTask InitializeAsync() => _cast = await TrajectoryCast.CreateAsync(service);

    public ValueTask DisposeAsync()
    {
        _cast.Dispose();
        return ValueTask.CompletedTask;
    }

    private string Interests => _cast.Path("/interests");

    [Fact]
    public async Task Each_partner_records_its_own_positions_and_every_partner_reads_them_all_by_topic()
    {
        var rent = await _cast.Lead.PostCreatedAsync(Interests, new { topic = " Huurverhoging ", position = " Hooguit de inflatie na renovatie. " });
        var greenery = await _cast.Contributor.PostCreatedAsync(Interests, new { topic = "Groen", position = "Geen bomen kappen zonder herplant." });

        Assert.Equal("Huurverhoging", rent.GetProperty("topic").GetString());
        Assert.Equal("Hooguit de inflatie na renovatie.", rent.GetProperty("position").GetString());
        Assert.Equal(_cast.Lead.Id, rent.GetProperty("ownerPartnerId").GetGuid());
        Assert.Equal(_cast.Contributor.Id, greenery.GetProperty("ownerPartnerId").GetGuid());

        foreach (var reader in new[] { _cast.Lead, _cast.Contributor, _cast.Observer })
        {
            var list = await reader.GetOkAsync(Interests);
            Assert.Equal([greenery.GetProperty("id").GetGuid(), rent.GetProperty("id").GetGuid()], list.Ids());
        }

        var read = await _cast.Observer.GetOkAsync($"{Interests}/{rent.GetProperty("id").GetGuid()}");
        Assert.Equal("Hooguit de inflatie na renovatie.", read.GetProperty("position").GetString());
    }

    [Fact]
    public async Task An_invalid_interest_gets_a_400_problem_naming_each_field()
    {
        var empty = await _cast.Lead.PostAsync(Interests, new { topic = "  " });
        var tooLong = await _cast.Lead.PostAsync(Interests, new { topic = new string('T', 201), position = "Kort" });

        var problem = await empty.AssertProblemAsync(HttpStatusCode.BadRequest, "topic");
        Assert.Equal(
            ["position", "topic"],
            problem.GetProperty("errors").EnumerateObject().Select(error => error.Name).Order(StringComparer.Ordinal));
        await tooLong.AssertProblemAsync(HttpStatusCode.BadRequest, "topic");
        Assert.Equal(0, (await _cast.Lead.GetOkAsync(Interests)).GetProperty("totalCount").GetInt64());
    }

    [Fact]
    public async Task A_partner_changes_and_withdraws_only_its_own_interests()
    {
        var lead = await _cast.Lead.PostCreatedAsync(Interests, new { topic = "Planning", position = "Start na de bouwvak." });
        var path = $"{Interests}/{lead.GetProperty("id").GetGuid()}";

        await (await _cast.Contributor.PutAsync(path, new { topic = "Planning", position = "Start meteen." })).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await _cast.Contributor.DeleteAsync(path)).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("Start na de bouwvak.", (await _cast.Contributor.GetOkAsync(path)).GetProperty("position").GetString());

        var changed = await (await _cast.Lead.PutAsync(path, new { topic = "Planning", position = "Start in september." })).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Start in september.", changed.GetProperty("position").GetString());
        Assert.Equal("Start in september.", (await _cast.Observer.GetOkAsync(path)).GetProperty("position").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await _cast.Lead.DeleteAsync(path)).StatusCode);
        await (await _cast.Observer.GetAsync(path)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task To_an_outsider_the_interests_do_not_exist_and_an_observer_reads_them_but_records_none()
    {
        var interest = await _cast.Lead.PostCreatedAsync(Interests, new { topic = "Geheim standpunt", position = "Niet voor buiten." });
        var path = $"{Interests}/{interest.GetProperty("id").GetGuid()}";

        foreach (var response in new[]
        {
            await _cast.Outsider.GetAsync(Interests),
            await _cast.Outsider.GetAsync(path),
            await _cast.Outsider.PostAsync(Interests, new { topic = "Van buiten", position = "Ook wat." }),
            await _cast.Outsider.PutAsync(path, new { topic = "Gekaapt", position = "Gekaapt." }),
            await _cast.Outsider.DeleteAsync(path),
        })
        {
            Assert.DoesNotContain("Geheim standpunt", await response.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
            await response.AssertProblemAsync(HttpStatusCode.NotFound);
        }

        await (await _cast.Observer.PostAsync(Interests, new { topic = "Waarnemer", position = "Ook een mening." })).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal([interest.GetProperty("id").GetGuid()], (await _cast.Observer.GetOkAsync(Interests)).Ids());
    }
}
