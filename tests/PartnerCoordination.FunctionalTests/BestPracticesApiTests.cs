using System.Net;
using System.Net.Http.Json;
using Participatie.Testing;
using static Participatie.PartnerCoordination.FunctionalTests.Calls;

namespace Participatie.PartnerCoordination.FunctionalTests;

/// <summary>Lessons learned that every partner of the platform can find.</summary>
[Collection(PartnerCoordinationCollection.Name)]
public sealed class BestPracticesApiTests(PartnerCoordinationService service) : IAsyncLifetime
{
    private const string BestPractices = "/v1/best-practices";

    /// <summary>A theme of this test's own: best practices are shared by every test of the service.</summary>
    private readonly string _theme = $"bereik-{Guid.NewGuid():N}";

    /// <summary>A word only this test's lessons contain.</summary>
    private readonly string _word = $"koffie{Guid.NewGuid():N}";

    private Player _publisher = null!;
    private Player _stranger = null!;

    public async ValueTask InitializeAsync()
    {
        var publisher = await service.Tokens.RegisterPartnerAsync("housing-corporation", NewName("Woonstichting Leerzaam"));
        // A partner that shares no trajectory with the publisher.
        var stranger = await service.Tokens.RegisterPartnerAsync("municipality");
        _publisher = new Player(publisher, service.CreateClient(publisher.AccessToken));
        _stranger = new Player(stranger, service.CreateClient(stranger.AccessToken));
    }

    public ValueTask DisposeAsync()
    {
        _publisher.Client.Dispose();
        _stranger.Client.Dispose();
        return ValueTask.CompletedTask;
    }

    private object NewBestPractice(string title, string lesson, string trajectoryKind, params string[] targetGroups) =>
        new { title, lesson, targetGroups, theme = _theme, trajectoryKind };

    /// <summary>Three lessons, published oldest first: elderly/renovation, youth/demolition, elderly+tenants/public space.</summary>
    private async Task<(Guid Elderly, Guid Youth, Guid Square)> PublishThreeAsync()
    {
        var elderly = await _publisher.PostCreatedAsync(BestPractices, NewBestPractice(
            $"Ochtend met {_word.ToUpperInvariant()}", "Ouderen kwamen wel naar een ochtend in het buurthuis, niet naar een avond.", "renovation", "elderly"));
        var youth = await _publisher.PostCreatedAsync(BestPractices, NewBestPractice(
            "Jongeren via de sportclub", "De trainer nodigde uit; 30 jongeren deden mee aan de schetssessie.", "demolition-new-build", "youth"));
        var square = await _publisher.PostCreatedAsync(BestPractices, NewBestPractice(
            "Plein ontwerpen op het plein", $"Een kraam met {_word} op het plein trok ouderen en huurders die nooit op een avond komen.",
            "public-space", "elderly", "tenants"));
        return (elderly.GetProperty("id").GetGuid(), youth.GetProperty("id").GetGuid(), square.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task A_published_best_practice_is_found_by_every_partner_newest_first()
    {
        var (elderly, youth, square) = await PublishThreeAsync();

        var read = await _stranger.GetOkAsync($"{BestPractices}/{square}");
        Assert.Equal("Plein ontwerpen op het plein", read.GetProperty("title").GetString());
        Assert.Equal(["elderly", "tenants"], read.GetProperty("targetGroups").Strings());
        Assert.Equal(_theme, read.GetProperty("theme").GetString());
        Assert.Equal("public-space", read.GetProperty("trajectoryKind").GetString());
        Assert.Equal(_publisher.Id, read.GetProperty("ownerPartnerId").GetGuid());
        Assert.StartsWith("Woonstichting Leerzaam", read.GetProperty("ownerPartnerName").GetString(), StringComparison.Ordinal);

        var byTheme = await _stranger.GetOkAsync($"{BestPractices}?theme={_theme}");
        Assert.Equal([square, youth, elderly], byTheme.Ids());
        Assert.Equal(3, byTheme.GetProperty("totalCount").GetInt64());

        // The platform operator finds them too.
        using var operatorClient = service.CreateClient(await service.Tokens.GetOperatorTokenAsync());
        var asOperator = await (await operatorClient.GetAsync(new Uri($"{BestPractices}?theme={_theme}", UriKind.Relative), Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal([square, youth, elderly], asOperator.Ids());
    }

    [Fact]
    public async Task Each_filter_narrows_the_search()
    {
        var (elderly, youth, square) = await PublishThreeAsync();

        Assert.Equal([square, youth, elderly], (await _stranger.GetOkAsync($"{BestPractices}?theme={_theme.ToUpperInvariant()}")).Ids());
        Assert.Equal([square, elderly], (await _stranger.GetOkAsync($"{BestPractices}?theme={_theme}&targetGroup=elderly")).Ids());
        Assert.Equal([square], (await _stranger.GetOkAsync($"{BestPractices}?theme={_theme}&targetGroup=tenants")).Ids());
        Assert.Empty((await _stranger.GetOkAsync($"{BestPractices}?theme={_theme}&targetGroup=entrepreneurs")).Ids());
        Assert.Equal([youth], (await _stranger.GetOkAsync($"{BestPractices}?theme={_theme}&trajectoryKind=demolition-new-build")).Ids());
        Assert.Equal([elderly], (await _stranger.GetOkAsync($"{BestPractices}?theme={_theme}&trajectoryKind=renovation")).Ids());
        // q: case-insensitive, in the title (elderly) or the lesson (square), with no theme needed.
        Assert.Equal([square, elderly], (await _stranger.GetOkAsync($"{BestPractices}?q={_word.ToUpperInvariant()}")).Ids());
        Assert.Equal([youth], (await _stranger.GetOkAsync($"{BestPractices}?theme={_theme}&q=SPORTCLUB")).Ids());
        Assert.Equal([square], (await _stranger.GetOkAsync($"{BestPractices}?q={_word}&targetGroup=tenants&trajectoryKind=public-space")).Ids());
        // Wildcards are taken literally.
        Assert.Empty((await _stranger.GetOkAsync($"{BestPractices}?theme={_theme}&q={Uri.EscapeDataString("%")}")).Ids());
        Assert.Empty((await _stranger.GetOkAsync($"{BestPractices}?theme={_theme}&q=_")).Ids());
        Assert.Empty((await _stranger.GetOkAsync($"{BestPractices}?theme=ander-{_theme}")).Ids());
    }

    [Fact]
    public async Task The_search_pages_through_the_results()
    {
        var (elderly, youth, square) = await PublishThreeAsync();

        var first = await _stranger.GetOkAsync($"{BestPractices}?theme={_theme}&pageSize=2");
        var second = await _stranger.GetOkAsync($"{BestPractices}?theme={_theme}&pageSize=2&page=2");

        Assert.Equal([square, youth], first.Ids());
        Assert.Equal([elderly], second.Ids());
        Assert.Equal(3, second.GetProperty("totalCount").GetInt64());
        Assert.Equal(2, second.GetProperty("pageNumber").GetInt32());
        await (await _stranger.GetAsync($"{BestPractices}?pageSize=0")).AssertProblemAsync(HttpStatusCode.BadRequest, "pageSize");
    }

    [Fact]
    public async Task Invalid_filters_and_best_practices_get_a_400_problem_naming_each_field()
    {
        await (await _stranger.GetAsync($"{BestPractices}?targetGroup=cats")).AssertProblemAsync(HttpStatusCode.BadRequest, "targetGroup");
        await (await _stranger.GetAsync($"{BestPractices}?trajectoryKind=castle")).AssertProblemAsync(HttpStatusCode.BadRequest, "trajectoryKind");

        var wrong = await _publisher.PostAsync(BestPractices, new { title = "Zonder les", targetGroups = new[] { "cats" }, theme = _theme, trajectoryKind = "castle" });
        var empty = await _publisher.PostAsync(BestPractices, new { });

        var problem = await wrong.AssertProblemAsync(HttpStatusCode.BadRequest, "lesson");
        Assert.Equal(
            ["lesson", "targetGroups", "trajectoryKind"],
            problem.GetProperty("errors").EnumerateObject().Select(error => error.Name).Order(StringComparer.Ordinal));
        var missing = await empty.AssertProblemAsync(HttpStatusCode.BadRequest, "title");
        Assert.Equal(
            ["lesson", "theme", "title", "trajectoryKind"],
            missing.GetProperty("errors").EnumerateObject().Select(error => error.Name).Order(StringComparer.Ordinal));
        Assert.Empty((await _stranger.GetOkAsync($"{BestPractices}?theme={_theme}")).Ids());
    }

    [Fact]
    public async Task Only_the_publisher_changes_or_withdraws_a_best_practice()
    {
        var (elderly, _, _) = await PublishThreeAsync();
        var path = $"{BestPractices}/{elderly}";
        var change = NewBestPractice("Ochtend werkt beter", "Ook voor mantelzorgers.", "renovation", "elderly", "families");
        using var operatorClient = service.CreateClient(await service.Tokens.GetOperatorTokenAsync());

        await (await _stranger.PutAsync(path, change)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await _stranger.DeleteAsync(path)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await operatorClient.DeleteAsync(new Uri(path, UriKind.Relative), Cancel)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await operatorClient.PostAsJsonAsync(BestPractices, change, Cancel)).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.StartsWith("Ochtend met", (await _stranger.GetOkAsync(path)).GetProperty("title").GetString(), StringComparison.Ordinal);

        var changed = await (await _publisher.PutAsync(path, change)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Ochtend werkt beter", changed.GetProperty("title").GetString());
        Assert.Equal(["elderly", "families"], changed.GetProperty("targetGroups").Strings());
        Assert.Equal([elderly], (await _stranger.GetOkAsync($"{BestPractices}?theme={_theme}&targetGroup=families")).Ids());

        Assert.Equal(HttpStatusCode.NoContent, (await _publisher.DeleteAsync(path)).StatusCode);
        await (await _stranger.GetAsync(path)).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(2, (await _stranger.GetOkAsync($"{BestPractices}?theme={_theme}")).GetProperty("totalCount").GetInt64());
    }
}
