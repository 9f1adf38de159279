using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Participatie.Contracts;
using Participatie.Testing;
using static Participatie.Consultations.FunctionalTests.AnswerWorkflowRequests;
using static Participatie.Consultations.FunctionalTests.Requests;

namespace Participatie.Consultations.FunctionalTests;

/// <summary>"You said, we did": what residents raised, grouped in themes, and what was decided when; counts only.</summary>
public sealed class SummaryTests(ConsultationsService service, PlatformContainers containers)
    : IClassFixture<ConsultationsService>, IAsyncLifetime
{
    private const string Greener = "We leggen in het voorjaar een grasveld en twaalf bomen aan.";
    private const string Parking = "De parkeerplaatsen blijven, de buurt heeft ze nodig.";

    private readonly HttpClient _client = service.CreateClient();

    private TestPartner _lead = null!;

    private TestTrajectory _trajectory = null!;

    public async ValueTask InitializeAsync()
    {
        _lead = await containers.TokenServer.RegisterPartnerAsync("municipality");
        _lead.Authorize(_client);
        _trajectory = await containers.TokenServer.StartTrajectoryAsync(_lead);
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Each status's count as shown: the number, "&lt; 5" or "hidden".</summary>
    private static Dictionary<string, string?> PerStatus(JsonElement summary) =>
        summary.GetProperty("reactionsPerStatus").EnumerateObject().ToDictionary(status => status.Name, status => Shown(status.Value));

    private static string? Shown(JsonElement count) => count.GetProperty("display").GetString();

    /// <summary>
    /// A consultation whose answer is known: three reactions on greenery (adopted as a theme), two on parking (not
    /// adopted as a theme), one answered on its own (under consideration) and one nobody answered yet.
    /// </summary>
    private async Task<(JsonElement Consultation, Guid[] ResidentIds)> MadeUpConsultationAsync()
    {
        var consultation = await _client.OpenConsultationAsync(_trajectory, title: "Herinrichting Kolenkitplein");
        var residents = new Guid[7];
        for (var i = 0; i < residents.Length; i++)
        {
            residents[i] = await containers.NewResidentOfAsync(consultation.Id());
        }

        var reactions = new List<Guid>();
        foreach (var (resident, index) in residents.Select((resident, index) => (resident, index)))
        {
            reactions.Add((await _client.SubmitReactionAsync(containers, consultation.Id(), resident, $"Ik woon op nummer {index + 40} en wil iets.")).Id());
        }

        var greener = await _client.CreateThemeAsync(consultation.Id(), "Meer groen", "Bomen en gras in plaats van stenen.");
        var parking = await _client.CreateThemeAsync(consultation.Id(), "Parkeren");
        Assert.Equal(HttpStatusCode.OK, (await _client.AddToThemeAsync(consultation.Id(), parking.Id(), reactions[3], reactions[4])).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.AddToThemeAsync(consultation.Id(), greener.Id(), reactions[0], reactions[1], reactions[2])).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.AnswerThemeAsync(consultation.Id(), greener.Id(), "adopted", Greener)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.AnswerThemeAsync(consultation.Id(), parking.Id(), "not-adopted", Parking)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.AnswerAsync(consultation.Id(), reactions[5], "under-consideration", "We vragen de gemeente om advies.")).StatusCode);
        // An empty theme nobody answered yet.
        await _client.CreateThemeAsync(consultation.Id(), "Speelplek");
        return (consultation, residents);
    }

    [Fact]
    public async Task The_summary_of_a_consultation_shows_each_theme_with_its_count_and_decision_and_the_reactions_per_status()
    {
        var (consultation, residents) = await MadeUpConsultationAsync();

        var response = await _client.GetAsync($"/v1/consultations/{consultation.Id()}/summary", Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        var summary = JsonDocument.Parse(text).RootElement;
        Assert.Equal(consultation.Id(), summary.GetProperty("consultationId").GetGuid());
        Assert.Equal("Herinrichting Kolenkitplein", summary.Value("title"));
        // 7 reactions in all; every count of 1 to 4 below it is "< 5" (1, 1, 3 and 2 per status; 3 and 2 per theme, 2 unthemed).
        Assert.Equal(7, summary.GetProperty("reactionCount").GetProperty("count").GetInt64());
        Assert.Equal("< 5", Shown(summary.GetProperty("unthemedReactionCount")));
        Assert.Equal(
            new Dictionary<string, string?>
            {
                [ReactionStatuses.Received] = "< 5",
                [ReactionStatuses.UnderConsideration] = "< 5",
                [ReactionStatuses.Adopted] = "< 5",
                [ReactionStatuses.PartlyAdopted] = "0",
                [ReactionStatuses.NotAdopted] = "< 5",
            },
            PerStatus(summary));

        var themes = summary.GetProperty("themes").EnumerateArray().ToList();
        Assert.Equal(["Meer groen", "Parkeren", "Speelplek"], themes.Select(theme => theme.Value("title")));
        Assert.Equal(["< 5", "< 5", "0"], themes.Select(theme => Shown(theme.GetProperty("reactionCount"))));
        var greener = themes[0].GetProperty("decision");
        Assert.Equal("adopted", greener.Value("status"));
        Assert.Equal(Greener, greener.Value("explanation"));
        Assert.Equal(DutchToday(), greener.Date("decidedOn"));
        Assert.Equal("Bomen en gras in plaats van stenen.", themes[0].Value("description"));
        Assert.Equal("not-adopted", themes[1].GetProperty("decision").Value("status"));
        Assert.Equal(Parking, themes[1].GetProperty("decision").Value("explanation"));
        Assert.Equal(JsonValueKind.Null, themes[2].GetProperty("decision").ValueKind);

        // Nothing personal: no resident ids, nothing residents wrote.
        Assert.All(residents, resident => Assert.DoesNotContain(resident.ToString(), text, StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain("residentId", text, StringComparison.Ordinal);
        Assert.DoesNotContain("nummer", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_summary_of_a_trajectory_adds_up_its_consultations_and_every_partner_in_it_reads_it()
    {
        var (first, _) = await MadeUpConsultationAsync();
        var second = await _client.OpenConsultationAsync(_trajectory, title: "Tweede ronde");
        await _client.SubmitReactionAsync(containers, second.Id());
        var observer = await containers.TokenServer.RegisterPartnerAsync("tenants-organisation");
        await containers.TokenServer.SetMemberAsync(_lead, _trajectory.Id, observer.PartnerId, TrajectoryRoles.Observer);
        using var observerClient = observer.Authorize(service.CreateClient());

        var summary = await observerClient.GetFromJsonAsync<JsonElement>($"/v1/consultations/trajectories/{_trajectory.Id}/summary", Cancel);

        Assert.Equal(_trajectory.Id, summary.GetProperty("trajectoryId").GetGuid());
        Assert.Equal("8", Shown(summary.GetProperty("reactionCount")));
        Assert.Equal("< 5", Shown(summary.GetProperty("unthemedReactionCount")));
        Assert.Equal("< 5", PerStatus(summary)[ReactionStatuses.Received]);
        Assert.Equal("< 5", PerStatus(summary)[ReactionStatuses.Adopted]);
        Assert.Equal(
            [first.Id(), second.Id()],
            summary.GetProperty("consultations").EnumerateArray().Select(consultation => consultation.GetProperty("consultationId").GetGuid()));
        var secondSummary = summary.GetProperty("consultations")[1];
        Assert.Equal("< 5", Shown(secondSummary.GetProperty("reactionCount")));
        // 8 - 7 would give the second consultation's one reaction away: the first one's 7 is hidden too.
        Assert.Equal("hidden", Shown(summary.GetProperty("consultations")[0].GetProperty("reactionCount")));
        Assert.Empty(secondSummary.GetProperty("themes").EnumerateArray());
        Assert.Equal(
            HttpStatusCode.OK, (await observerClient.GetAsync($"/v1/consultations/{first.Id()}/summary", Cancel)).StatusCode);
    }

    [Fact]
    public async Task Partners_outside_the_trajectory_get_404_problems_for_its_summaries()
    {
        var consultation = await _client.OpenConsultationAsync(_trajectory);
        var outsider = await containers.TokenServer.RegisterPartnerAsync("social-institution");
        using var outsiderClient = outsider.Authorize(service.CreateClient());

        await (await outsiderClient.GetAsync($"/v1/consultations/{consultation.Id()}/summary", Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await outsiderClient.GetAsync($"/v1/consultations/trajectories/{_trajectory.Id}/summary", Cancel))
            .AssertProblemAsync(HttpStatusCode.NotFound);
        await (await _client.GetAsync($"/v1/consultations/{Guid.NewGuid()}/summary", Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_openapi_document_describes_every_answer_workflow_operation()
    {
        string[] workflow = ["/themes", "/summary", "/settings", "/assignment", "/internal-notes"];
        var document = await _client.GetFromJsonAsync<JsonElement>("/openapi.json", Cancel);

        var operations = document.GetProperty("paths").EnumerateObject()
            // The partners' workflow; residents' and public reads of summaries have their own tests (MyConsultationsTests).
            .Where(path => path.Name.StartsWith("/consultations/", StringComparison.Ordinal)
                && workflow.Any(part => path.Name.Contains(part, StringComparison.Ordinal)))
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => (
                Operation: $"{operation.Name.ToUpperInvariant()} {path.Name}",
                Id: operation.Value.GetProperty("operationId").GetString(),
                HasBody: operation.Value.TryGetProperty("requestBody", out _))))
            .OrderBy(operation => operation.Id, StringComparer.Ordinal)
            .ToList();

        Assert.Equal(
            [
                ("POST /consultations/{consultationId}/reactions/{reactionId}/internal-notes", "AddInternalNote", true),
                ("POST /consultations/{consultationId}/themes/{themeId}/reactions", "AddReactionsToTheme", true),
                ("PUT /consultations/{consultationId}/themes/{themeId}/answer", "AnswerTheme", true),
                ("PUT /consultations/{consultationId}/reactions/{reactionId}/assignment", "AssignReaction", true),
                ("POST /consultations/{consultationId}/themes", "CreateTheme", true),
                ("GET /consultations/{consultationId}/summary", "GetConsultationSummary", false),
                ("GET /consultations/{consultationId}/themes/{themeId}", "GetTheme", false),
                ("GET /consultations/trajectories/{trajectoryId}/settings", "GetTrajectorySettings", false),
                ("GET /consultations/trajectories/{trajectoryId}/summary", "GetTrajectorySummary", false),
                ("GET /consultations/{consultationId}/reactions/{reactionId}/internal-notes", "ListInternalNotes", false),
                ("GET /consultations/{consultationId}/themes", "ListThemes", false),
                ("DELETE /consultations/{consultationId}/themes/{themeId}/reactions/{reactionId}", "RemoveReactionFromTheme", false),
                ("PUT /consultations/trajectories/{trajectoryId}/settings", "SetTrajectorySettings", true),
                ("DELETE /consultations/{consultationId}/reactions/{reactionId}/assignment", "UnassignReaction", false),
            ],
            operations);
        var overdue = document.GetProperty("paths").GetProperty("/consultations/{consultationId}/reactions").GetProperty("get")
            .GetProperty("parameters").EnumerateArray().Select(parameter => parameter.Value("name"));
        Assert.Contains("overdue", overdue);
    }

    [Fact]
    public async Task A_consultation_without_reactions_has_a_summary_of_zeros()
    {
        var consultation = await _client.OpenConsultationAsync(_trajectory);

        var summary = await _client.GetFromJsonAsync<JsonElement>($"/v1/consultations/{consultation.Id()}/summary", Cancel);

        Assert.Equal(0, summary.GetProperty("reactionCount").GetProperty("count").GetInt64());
        Assert.All(PerStatus(summary).Values, count => Assert.Equal("0", count));
        Assert.Equal(5, PerStatus(summary).Count);
        Assert.Empty(summary.GetProperty("themes").EnumerateArray());
    }
}
