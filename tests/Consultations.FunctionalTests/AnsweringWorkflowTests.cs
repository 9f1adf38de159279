using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Npgsql;
using Participatie.Contracts;
using Participatie.Testing;
using static Participatie.Consultations.FunctionalTests.AnswerWorkflowRequests;
using static Participatie.Consultations.FunctionalTests.Requests;

namespace Participatie.Consultations.FunctionalTests;

/// <summary>
/// Staff work on answers: they assign reactions to a partner of the trajectory and a person there, keep internal notes
/// residents never see, and group reactions into themes that are answered once.
/// </summary>
public sealed class AnsweringWorkflowTests(ConsultationsService service, PlatformContainers containers)
    : IClassFixture<ConsultationsService>, IAsyncLifetime
{
    private const string Adopted = "We leggen in het voorjaar een nieuw grasveld aan.";

    private readonly HttpClient _client = service.CreateClient();

    private TestPartner _lead = null!;

    private TestTrajectory _trajectory = null!;

    private TokenServer Tokens => containers.TokenServer;

    public async ValueTask InitializeAsync()
    {
        _lead = await Tokens.RegisterPartnerAsync("housing-corporation");
        _lead.Authorize(_client);
        _trajectory = await Tokens.StartTrajectoryAsync(_lead);
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<TestPartner> MemberAsync(string? role)
    {
        var partner = await Tokens.RegisterPartnerAsync("social-institution");
        if (role is not null)
        {
            await Tokens.SetMemberAsync(_lead, _trajectory.Id, partner.PartnerId, role);
        }

        return partner;
    }

    private Task<HttpResponseMessage> AssignAsync(HttpClient client, Guid consultationId, Guid reactionId, Guid partnerId, string? assignee) =>
        client.PutAsJsonAsync($"/v1/consultations/{consultationId}/reactions/{reactionId}/assignment", new { partnerId, assignee }, Cancel);

    private Task<HttpResponseMessage> AddNoteAsync(HttpClient client, Guid consultationId, Guid reactionId, string text, string? author = null) =>
        client.PostAsJsonAsync($"/v1/consultations/{consultationId}/reactions/{reactionId}/internal-notes", new { text, author }, Cancel);

    private async Task<int> OutboxRowsContainingAsync(string text)
    {
        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        return await connection.ExecuteScalarAsync<int>(
            "SELECT count(*)::int FROM outbox_messages WHERE strpos(payload::text, @Text) > 0", new { Text = text });
    }

    [Fact]
    public async Task A_reaction_is_assigned_to_a_contributing_partner_and_a_person_there_and_unassigned_again()
    {
        var consultation = await _client.OpenConsultationAsync(_trajectory);
        var reaction = await _client.SubmitReactionAsync(containers, consultation.Id());
        var contributor = await MemberAsync(TrajectoryRoles.Contributor);

        var assigned = await AssignAsync(_client, consultation.Id(), reaction.Id(), contributor.PartnerId, "  j.devries@welzijn.example  ");

        Assert.Equal(HttpStatusCode.OK, assigned.StatusCode);
        var read = await _client.GetReactionAsync(consultation.Id(), reaction.Id());
        Assert.Equal(contributor.PartnerId, read.GetProperty("assignedPartnerId").GetGuid());
        Assert.Equal("j.devries@welzijn.example", read.Value("assignee"));
        Assert.NotEqual(JsonValueKind.Null, read.GetProperty("assignedAt").ValueKind);
        // The lead itself may be assigned as well, without a person.
        Assert.Equal(HttpStatusCode.OK, (await AssignAsync(_client, consultation.Id(), reaction.Id(), _lead.PartnerId, null)).StatusCode);
        Assert.Equal(JsonValueKind.Null, (await _client.GetReactionAsync(consultation.Id(), reaction.Id())).GetProperty("assignee").ValueKind);

        var unassigned = await _client.DeleteAsync($"/v1/consultations/{consultation.Id()}/reactions/{reaction.Id()}/assignment", Cancel);

        Assert.Equal(HttpStatusCode.NoContent, unassigned.StatusCode);
        var after = await _client.GetReactionAsync(consultation.Id(), reaction.Id());
        Assert.Equal(JsonValueKind.Null, after.GetProperty("assignedPartnerId").ValueKind);
        // Assigning is staff work: the resident is told nothing, and the staff member's address is in no event.
        Assert.Empty(await containers.AnsweredEventsAsync(reaction.Id()));
        Assert.Equal(0, await OutboxRowsContainingAsync("j.devries@welzijn.example"));
    }

    [Fact]
    public async Task Assigning_to_a_partner_outside_the_trajectory_or_to_an_observer_is_a_422_problem_naming_partnerId()
    {
        var consultation = await _client.OpenConsultationAsync(_trajectory);
        var reaction = await _client.SubmitReactionAsync(containers, consultation.Id());
        var outsider = await MemberAsync(role: null);
        var observer = await MemberAsync(TrajectoryRoles.Observer);

        var toOutsider = await AssignAsync(_client, consultation.Id(), reaction.Id(), outsider.PartnerId, "iemand");
        var toObserver = await AssignAsync(_client, consultation.Id(), reaction.Id(), observer.PartnerId, "iemand");
        var toNobody = await AssignAsync(_client, consultation.Id(), reaction.Id(), Guid.NewGuid(), null);

        await toOutsider.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "partnerId");
        await toObserver.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "partnerId");
        await toNobody.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "partnerId");
        Assert.Equal(JsonValueKind.Null, (await _client.GetReactionAsync(consultation.Id(), reaction.Id())).GetProperty("assignedPartnerId").ValueKind);
    }

    [Fact]
    public async Task Only_those_who_answer_a_reaction_assign_it_and_outsiders_do_not_find_it()
    {
        var consultation = await _client.OpenConsultationAsync(_trajectory);
        var reaction = await _client.SubmitReactionAsync(containers, consultation.Id());
        var contributor = await MemberAsync(TrajectoryRoles.Contributor);
        using var contributorClient = contributor.Authorize(service.CreateClient());
        using var outsider = (await MemberAsync(role: null)).Authorize(service.CreateClient());

        await (await AssignAsync(contributorClient, consultation.Id(), reaction.Id(), contributor.PartnerId, null))
            .AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await contributorClient.DeleteAsync($"/v1/consultations/{consultation.Id()}/reactions/{reaction.Id()}/assignment", Cancel))
            .AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await AssignAsync(outsider, consultation.Id(), reaction.Id(), _lead.PartnerId, null)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await AssignAsync(_client, consultation.Id(), Guid.NewGuid(), _lead.PartnerId, null)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await AssignAsync(_client, consultation.Id(), reaction.Id(), Guid.Empty, null)).AssertProblemAsync(HttpStatusCode.BadRequest, "partnerId");
    }

    [Fact]
    public async Task Internal_notes_are_read_by_the_trajectorys_partners_written_by_those_who_work_in_it_and_never_leave_the_service()
    {
        var consultation = await _client.OpenConsultationAsync(_trajectory);
        var reaction = await _client.SubmitReactionAsync(containers, consultation.Id());
        using var contributor = (await MemberAsync(TrajectoryRoles.Contributor)).Authorize(service.CreateClient());
        using var observer = (await MemberAsync(TrajectoryRoles.Observer)).Authorize(service.CreateClient());
        using var outsider = (await MemberAsync(role: null)).Authorize(service.CreateClient());
        var marker = $"Intern {Guid.NewGuid():N}: bewoner belde boos, eerst met de wijkbeheerder overleggen.";

        var byLead = await AddNoteAsync(_client, consultation.Id(), reaction.Id(), marker, "Petra (wijkbeheer)");
        var byContributor = await AddNoteAsync(contributor, consultation.Id(), reaction.Id(), "Budget nagevraagd bij de gemeente.");
        var byObserver = await AddNoteAsync(observer, consultation.Id(), reaction.Id(), "Mag ik ook iets zeggen?");
        var byOutsider = await AddNoteAsync(outsider, consultation.Id(), reaction.Id(), "Ik hoor hier niet.");

        Assert.Equal(HttpStatusCode.Created, byLead.StatusCode);
        Assert.Equal(HttpStatusCode.Created, byContributor.StatusCode);
        await byObserver.AssertProblemAsync(HttpStatusCode.Forbidden);
        await byOutsider.AssertProblemAsync(HttpStatusCode.NotFound);
        var note = await byLead.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal(marker, note.Value("text"));
        Assert.Equal("Petra (wijkbeheer)", note.Value("author"));
        Assert.Equal(_lead.PartnerId, note.GetProperty("partnerId").GetGuid());

        var path = $"/v1/consultations/{consultation.Id()}/reactions/{reaction.Id()}/internal-notes";
        var seenByObserver = await observer.GetFromJsonAsync<JsonElement>(path, Cancel);
        Assert.Equal(2, seenByObserver.GetProperty("totalCount").GetInt64());
        Assert.Equal(
            [marker, "Budget nagevraagd bij de gemeente."],
            seenByObserver.GetProperty("items").EnumerateArray().Select(item => item.Value("text")));
        await (await outsider.GetAsync(path, Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);

        // Whatever happens to the reaction next, in every event it causes, the notes are not there.
        var theme = await _client.CreateThemeAsync(consultation.Id(), "Overlast");
        Assert.Equal(HttpStatusCode.OK, (await _client.AddToThemeAsync(consultation.Id(), theme.Id(), reaction.Id())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.AnswerThemeAsync(consultation.Id(), theme.Id(), "under-consideration", "We zoeken dit uit met de wijkbeheerder.")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.AnswerAsync(consultation.Id(), reaction.Id(), "adopted", Adopted)).StatusCode);
        Assert.Equal(2, (await containers.AnsweredEventsAsync(reaction.Id())).Count);
        Assert.Equal(0, await OutboxRowsContainingAsync(marker));
        Assert.Equal(0, await OutboxRowsContainingAsync("Budget nagevraagd"));
        Assert.Equal(0, await OutboxRowsContainingAsync("Petra (wijkbeheer)"));
        // Nor in the reaction as the API shows it.
        var read = await _client.GetReactionAsync(consultation.Id(), reaction.Id());
        Assert.DoesNotContain(marker, read.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_theme_answered_once_changes_each_of_its_reactions_once_and_the_same_answer_again_changes_nothing()
    {
        var consultation = await _client.OpenConsultationAsync(_trajectory);
        var first = await _client.SubmitReactionAsync(containers, consultation.Id(), text: "Meer groen op het plein.");
        var second = await _client.SubmitReactionAsync(containers, consultation.Id(), text: "Bomen in plaats van parkeerplaatsen.");
        var already = await _client.SubmitReactionAsync(containers, consultation.Id(), text: "Een grasveld graag.");
        var elsewhere = await _client.SubmitReactionAsync(containers, consultation.Id(), text: "Iets anders.");
        // One reaction already has the very answer the theme will get; it must not be told twice.
        Assert.Equal(HttpStatusCode.OK, (await _client.AnswerAsync(consultation.Id(), already.Id(), "adopted", Adopted)).StatusCode);
        var theme = await _client.CreateThemeAsync(consultation.Id(), "Meer groen", "Bewoners willen meer groen en minder stenen.");
        var added = await _client.AddToThemeAsync(consultation.Id(), theme.Id(), first.Id(), second.Id(), already.Id(), first.Id());
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.Equal(
            [first.Id(), second.Id(), already.Id()],
            Ids((await added.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("reactionIds")));

        var answered = await _client.AnswerThemeAsync(consultation.Id(), theme.Id(), "adopted", $"  {Adopted} ");

        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        var result = await answered.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal([first.Id(), second.Id()], Ids(result.GetProperty("changedReactionIds")).Order());
        Assert.Equal([already.Id()], Ids(result.GetProperty("unchangedReactionIds")));
        foreach (var reaction in new[] { first, second, already })
        {
            var read = await _client.GetReactionAsync(consultation.Id(), reaction.Id());
            Assert.Equal("adopted", read.Value("status"));
            Assert.Equal(theme.Id(), read.GetProperty("themeId").GetGuid());
            Assert.Equal([("received", null), ("adopted", Adopted)], History(read));
            var told = Assert.Single(await containers.AnsweredEventsAsync(reaction.Id()));
            Assert.Equal(Adopted, JsonDocument.Parse(told).RootElement.Value("explanation"));
        }

        Assert.Equal("received", (await _client.GetReactionAsync(consultation.Id(), elsewhere.Id())).Value("status"));
        var answeredAt = (await _client.GetFromJsonAsync<JsonElement>($"/v1/consultations/{consultation.Id()}/themes/{theme.Id()}", Cancel))
            .GetProperty("answeredAt").GetDateTimeOffset();

        var again = await _client.AnswerThemeAsync(consultation.Id(), theme.Id(), "adopted", Adopted);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var repeat = await again.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Empty(repeat.GetProperty("changedReactionIds").EnumerateArray());
        Assert.Equal(3, repeat.GetProperty("unchangedReactionIds").GetArrayLength());
        foreach (var reaction in new[] { first, second, already })
        {
            Assert.Single(await containers.AnsweredEventsAsync(reaction.Id()));
            Assert.Equal(2, History(await _client.GetReactionAsync(consultation.Id(), reaction.Id())).Count);
        }

        var themeAfter = await _client.GetFromJsonAsync<JsonElement>($"/v1/consultations/{consultation.Id()}/themes/{theme.Id()}", Cancel);
        Assert.Equal(answeredAt, themeAfter.GetProperty("answeredAt").GetDateTimeOffset());
        Assert.Equal("adopted", themeAfter.Value("status"));
        Assert.Equal(3, themeAfter.GetProperty("reactionCount").GetInt64());
    }

    [Fact]
    public async Task A_reaction_that_joins_an_answered_theme_gets_its_answer_when_the_theme_is_answered_again()
    {
        var consultation = await _client.OpenConsultationAsync(_trajectory);
        var early = await _client.SubmitReactionAsync(containers, consultation.Id());
        var theme = await _client.CreateThemeAsync(consultation.Id(), "Bankjes");
        Assert.Equal(HttpStatusCode.OK, (await _client.AddToThemeAsync(consultation.Id(), theme.Id(), early.Id())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.AnswerThemeAsync(consultation.Id(), theme.Id(), "partly-adopted", "Er komen twee bankjes, geen vier.")).StatusCode);
        var late = await _client.SubmitReactionAsync(containers, consultation.Id());
        Assert.Equal(HttpStatusCode.OK, (await _client.AddToThemeAsync(consultation.Id(), theme.Id(), late.Id())).StatusCode);
        Assert.Equal("received", (await _client.GetReactionAsync(consultation.Id(), late.Id())).Value("status"));

        var again = await _client.AnswerThemeAsync(consultation.Id(), theme.Id(), "partly-adopted", "Er komen twee bankjes, geen vier.");

        var result = await again.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal([late.Id()], Ids(result.GetProperty("changedReactionIds")));
        Assert.Single(await containers.AnsweredEventsAsync(early.Id()));
        Assert.Single(await containers.AnsweredEventsAsync(late.Id()));
        Assert.Equal("partly-adopted", (await _client.GetReactionAsync(consultation.Id(), late.Id())).Value("status"));
    }

    [Fact]
    public async Task A_theme_answer_some_reactions_may_not_get_is_a_422_problem_and_none_of_them_changes()
    {
        var consultation = await _client.OpenConsultationAsync(_trajectory);
        var decided = await _client.SubmitReactionAsync(containers, consultation.Id());
        var open = await _client.SubmitReactionAsync(containers, consultation.Id());
        Assert.Equal(HttpStatusCode.OK, (await _client.AnswerAsync(consultation.Id(), decided.Id(), "adopted", Adopted)).StatusCode);
        var theme = await _client.CreateThemeAsync(consultation.Id(), "Speeltuin");
        Assert.Equal(HttpStatusCode.OK, (await _client.AddToThemeAsync(consultation.Id(), theme.Id(), decided.Id(), open.Id())).StatusCode);

        var response = await _client.AnswerThemeAsync(consultation.Id(), theme.Id(), "under-consideration", "We kijken er nog eens naar.");

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "status");
        Assert.Contains(decided.Id().ToString(), problem.GetRawText(), StringComparison.Ordinal);
        Assert.Equal("received", (await _client.GetReactionAsync(consultation.Id(), open.Id())).Value("status"));
        Assert.Empty(await containers.AnsweredEventsAsync(open.Id()));
        Assert.Single(await containers.AnsweredEventsAsync(decided.Id()));
        var themeAfter = await _client.GetFromJsonAsync<JsonElement>($"/v1/consultations/{consultation.Id()}/themes/{theme.Id()}", Cancel);
        Assert.Equal(JsonValueKind.Null, themeAfter.GetProperty("status").ValueKind);
    }

    [Fact]
    public async Task A_theme_takes_only_reactions_of_its_own_consultation_that_are_in_no_other_theme()
    {
        var consultation = await _client.OpenConsultationAsync(_trajectory);
        var other = await _client.OpenConsultationAsync(_trajectory);
        var reaction = await _client.SubmitReactionAsync(containers, consultation.Id());
        var foreign = await _client.SubmitReactionAsync(containers, other.Id());
        var theme = await _client.CreateThemeAsync(consultation.Id(), "Verkeer");
        var rival = await _client.CreateThemeAsync(consultation.Id(), "Parkeren");
        Assert.Equal(HttpStatusCode.OK, (await _client.AddToThemeAsync(consultation.Id(), rival.Id(), reaction.Id())).StatusCode);

        await (await _client.AddToThemeAsync(consultation.Id(), theme.Id(), foreign.Id())).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "reactionIds");
        await (await _client.AddToThemeAsync(consultation.Id(), theme.Id(), reaction.Id())).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "reactionIds");
        await (await _client.AddToThemeAsync(consultation.Id(), theme.Id())).AssertProblemAsync(HttpStatusCode.BadRequest, "reactionIds");
        Assert.Equal(rival.Id(), (await _client.GetReactionAsync(consultation.Id(), reaction.Id())).GetProperty("themeId").GetGuid());

        // Taken out of the rival theme, it may join this one.
        var removed = await _client.DeleteAsync($"/v1/consultations/{consultation.Id()}/themes/{rival.Id()}/reactions/{reaction.Id()}", Cancel);
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        await (await _client.DeleteAsync($"/v1/consultations/{consultation.Id()}/themes/{rival.Id()}/reactions/{reaction.Id()}", Cancel))
            .AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, (await _client.AddToThemeAsync(consultation.Id(), theme.Id(), reaction.Id())).StatusCode);

        var themes = await _client.GetFromJsonAsync<JsonElement>($"/v1/consultations/{consultation.Id()}/themes", Cancel);
        Assert.Equal(
            [("Verkeer", 1L), ("Parkeren", 0L)],
            themes.GetProperty("items").EnumerateArray().Select(item => (item.Value("title"), item.GetProperty("reactionCount").GetInt64())));
    }

    [Fact]
    public async Task Members_who_do_not_answer_read_themes_but_neither_make_nor_answer_them_and_outsiders_find_none()
    {
        var consultation = await _client.OpenConsultationAsync(_trajectory);
        var reaction = await _client.SubmitReactionAsync(containers, consultation.Id());
        var theme = await _client.CreateThemeAsync(consultation.Id(), "Veiligheid");
        using var observer = (await MemberAsync(TrajectoryRoles.Observer)).Authorize(service.CreateClient());
        using var outsider = (await MemberAsync(role: null)).Authorize(service.CreateClient());
        var themePath = $"/v1/consultations/{consultation.Id()}/themes/{theme.Id()}";

        Assert.Equal(HttpStatusCode.OK, (await observer.GetAsync(themePath, Cancel)).StatusCode);
        await (await observer.PostAsJsonAsync($"/v1/consultations/{consultation.Id()}/themes", new { title = "Eigen thema" }, Cancel))
            .AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await observer.AddToThemeAsync(consultation.Id(), theme.Id(), reaction.Id())).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await observer.AnswerThemeAsync(consultation.Id(), theme.Id(), "adopted", Adopted)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await outsider.GetAsync(themePath, Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await outsider.GetAsync($"/v1/consultations/{consultation.Id()}/themes", Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await outsider.AnswerThemeAsync(consultation.Id(), theme.Id(), "adopted", Adopted)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await _client.PostAsJsonAsync($"/v1/consultations/{consultation.Id()}/themes", new { title = " " }, Cancel))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "title");
        await (await _client.AnswerThemeAsync(consultation.Id(), theme.Id(), "received", Adopted)).AssertProblemAsync(HttpStatusCode.BadRequest, "status");
        Assert.Equal(JsonValueKind.Null, (await _client.GetReactionAsync(consultation.Id(), reaction.Id())).GetProperty("themeId").ValueKind);
    }
}
