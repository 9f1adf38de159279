using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Npgsql;
using Participatie.Contracts;
using Participatie.Testing;
using static Participatie.Consultations.FunctionalTests.Requests;

namespace Participatie.Consultations.FunctionalTests;

public sealed class ReactionsApiTests(ConsultationsService service, PlatformContainers containers)
    : IClassFixture<ConsultationsService>, IAsyncLifetime
{
    private const string Explanation = "We plaatsen in het voorjaar drie extra bankjes.";

    private readonly HttpClient _client = service.CreateClient();

    /// <summary>The housing corporation this test acts for: it opens the consultations, so it owns them.</summary>
    private TestPartner _partner = null!;

    /// <summary>The trajectory the corporation leads, where it opens its consultations.</summary>
    private TestTrajectory _trajectory = null!;

    public async ValueTask InitializeAsync()
    {
        _partner = await containers.TokenServer.RegisterPartnerAsync("housing-corporation");
        _partner.Authorize(_client);
        _trajectory = await containers.TokenServer.StartTrajectoryAsync(_partner);
    }

    /// <summary>A new partner taking part in this test's trajectory in the role given (none: an outsider).</summary>
    private async Task<TestPartner> MemberAsync(string? role)
    {
        var partner = await containers.TokenServer.RegisterPartnerAsync("municipality");
        if (role is not null)
        {
            await containers.TokenServer.SetMemberAsync(_partner, _trajectory.Id, partner.PartnerId, role);
        }

        return partner;
    }

    /// <summary>The reaction is as it was submitted: nobody answered it, nobody was told.</summary>
    private async Task AssertUnansweredAsync(Guid consultationId, Guid reactionId)
    {
        var read = await GetReactionAsync(consultationId, reactionId);
        Assert.Equal("received", read.Value("status"));
        Assert.Equal(JsonValueKind.Null, read.GetProperty("explanation").ValueKind);
        Assert.Equal(JsonValueKind.Null, read.GetProperty("answeredAt").ValueKind);
        Assert.Equal([("received", (string?)null)], History(read));
        Assert.Empty(await OutboxRowsAsync("ReactionAnswered", reactionId));
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private Task<JsonElement> GetReactionAsync(Guid consultationId, Guid reactionId) =>
        _client.GetFromJsonAsync<JsonElement>($"/v1/consultations/{consultationId}/reactions/{reactionId}", Cancel);

    private static List<(string? Status, string? Explanation)> History(JsonElement reaction) =>
        [.. reaction.GetProperty("history").EnumerateArray().Select(change => (change.Value("status"), change.Value("explanation")))];

    /// <summary>The outbox rows of one kind of event about one reaction.</summary>
    private async Task<List<(string Payload, DateTime? PublishedAt)>> OutboxRowsAsync(string eventName, Guid reactionId)
    {
        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        var rows = await connection.QueryAsync<(string Payload, DateTime? PublishedAt)>(
            """
            SELECT payload::text, published_at FROM outbox_messages
            WHERE message_type LIKE @MessageType AND payload->>'reactionId' = @ReactionId
            ORDER BY sequence
            """,
            new { MessageType = $"Participatie.Contracts.{eventName}%", ReactionId = reactionId.ToString() });
        return rows.AsList();
    }

    [Fact]
    public async Task Another_partner_reads_a_reaction_s_text_and_outcome_but_not_who_wrote_it()
    {
        var consultation = await _client.OpenConsultationAsync(_trajectory);
        var residentId = await containers.NewResidentOfAsync(consultation.Id());
        await service.LinkResidentAsync(containers, residentId, _partner.PartnerId);
        var reactionId = (await (await _client.PostAsJsonAsync(
            $"/v1/consultations/{consultation.Id()}/reactions", new { residentId, text = "De verhuurder luistert nooit." }, Cancel))
            .Content.ReadFromJsonAsync<JsonElement>(Cancel)).Id();
        await _client.PutAsJsonAsync(
            $"/v1/consultations/{consultation.Id()}/reactions/{reactionId}/answer", new { status = "not-adopted", explanation = Explanation }, Cancel);
        using var contributor = (await MemberAsync("contributor")).Authorize(service.CreateClient());

        var read = await contributor.GetFromJsonAsync<JsonElement>($"/v1/consultations/{consultation.Id()}/reactions/{reactionId}", Cancel);
        var listed = Assert.Single((await contributor.GetFromJsonAsync<JsonElement>(
            $"/v1/consultations/{consultation.Id()}/reactions", Cancel)).GetProperty("items").EnumerateArray());

        foreach (var reaction in new[] { read, listed })
        {
            Assert.Equal("De verhuurder luistert nooit.", reaction.Value("text"));
            Assert.Equal("not-adopted", reaction.Value("status"));
            Assert.Equal(JsonValueKind.Null, reaction.GetProperty("residentId").ValueKind);
            Assert.DoesNotContain(residentId.ToString(), reaction.GetRawText(), StringComparison.OrdinalIgnoreCase);
        }

        // The partner that registered the resident still sees who it was.
        Assert.Equal(residentId, (await GetReactionAsync(consultation.Id(), reactionId)).GetProperty("residentId").GetGuid());
    }

    [Fact]
    public async Task Submitting_a_reaction_answers_201_with_status_received_and_a_one_entry_history()
    {
        var consultation = await _client.OpenConsultationAsync(_trajectory);
        var residentId = await containers.NewResidentOfAsync(consultation.Id());
        await service.LinkResidentAsync(containers, residentId, _partner.PartnerId);

        var created = await _client.PostAsJsonAsync(
            $"/v1/consultations/{consultation.Id()}/reactions",
            new { residentId, text = "  Graag een zebrapad bij de school.  " },
            Cancel);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var reaction = await created.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        var id = reaction.Id();
        Assert.Equal($"/v1/consultations/{consultation.Id()}/reactions/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal(consultation.Id(), reaction.GetProperty("consultationId").GetGuid());
        Assert.Equal(residentId, reaction.GetProperty("residentId").GetGuid());
        Assert.Equal("Graag een zebrapad bij de school.", reaction.Value("text"));
        Assert.Equal("received", reaction.Value("status"));
        Assert.Equal("online", reaction.Value("channel"));
        Assert.Equal("nl", reaction.Value("language"));
        Assert.Equal([("received", (string?)null)], History(reaction));

        var read = await GetReactionAsync(consultation.Id(), id);
        Assert.Equal("received", read.Value("status"));
        Assert.Equal("Graag een zebrapad bij de school.", read.Value("text"));
        Assert.Equal(residentId, read.GetProperty("residentId").GetGuid());
        Assert.Equal(JsonValueKind.Null, read.GetProperty("answeredAt").ValueKind);
        Assert.Equal([("received", (string?)null)], History(read));
    }

    [Fact]
    public async Task A_reaction_entered_by_staff_keeps_its_channel_and_language()
    {
        var consultation = await _client.OpenConsultationAsync(_trajectory);

        var created = await _client.PostAsJsonAsync(
            $"/v1/consultations/{consultation.Id()}/reactions",
            new { residentId = await containers.NewResidentOfAsync(consultation.Id()), text = "Daha fazla ağaç lütfen.", channel = "door-to-door", language = "tr" },
            Cancel);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var read = await GetReactionAsync(consultation.Id(), (await created.Content.ReadFromJsonAsync<JsonElement>(Cancel)).Id());
        Assert.Equal("door-to-door", read.Value("channel"));
        Assert.Equal("tr", read.Value("language"));
        Assert.Equal("Daha fazla ağaç lütfen.", read.Value("text"));
    }

    [Fact]
    public async Task An_invalid_reaction_gets_a_400_problem_naming_each_field()
    {
        var consultation = await _client.OpenConsultationAsync(_trajectory);

        var response = await _client.PostAsJsonAsync(
            $"/v1/consultations/{consultation.Id()}/reactions", new { text = " ", channel = "carrier-pigeon", language = "fr" }, Cancel);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "residentId");
        Assert.Equal(
            ["channel", "language", "residentId", "text"],
            problem.GetProperty("errors").EnumerateObject().Select(error => error.Name).Order(StringComparer.Ordinal));
        var list = await _client.GetFromJsonAsync<JsonElement>($"/v1/consultations/{consultation.Id()}/reactions", Cancel);
        Assert.Equal(0, list.GetProperty("totalCount").GetInt64());
    }

    [Fact]
    public async Task Reactions_of_an_unknown_consultation_are_problem_404s()
    {
        var unknown = Guid.NewGuid();

        var submitted = await _client.PostAsJsonAsync(
            $"/v1/consultations/{unknown}/reactions", new { residentId = Guid.NewGuid(), text = "Meer groen." }, Cancel);
        var problem = await submitted.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains(unknown.ToString(), problem.Value("detail"), StringComparison.Ordinal);

        await (await _client.GetAsync($"/v1/consultations/{unknown}/reactions", Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await _client.GetAsync($"/v1/consultations/{unknown}/reactions/{Guid.NewGuid()}", Cancel))
            .AssertProblemAsync(HttpStatusCode.NotFound);
        await (await _client.AnswerAsync(unknown, Guid.NewGuid(), "adopted", Explanation)).AssertProblemAsync(HttpStatusCode.NotFound);

        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM reactions WHERE consultation_id = @Id", new { Id = unknown }));
    }

    [Fact]
    public async Task A_reaction_is_found_only_under_its_own_consultation()
    {
        var consultation = await _client.OpenConsultationAsync(_trajectory);
        var other = await _client.OpenConsultationAsync(_trajectory);
        var reaction = await _client.SubmitReactionAsync(containers, consultation.Id());

        await (await _client.GetAsync($"/v1/consultations/{other.Id()}/reactions/{reaction.Id()}", Cancel))
            .AssertProblemAsync(HttpStatusCode.NotFound);
        await (await _client.AnswerAsync(other.Id(), reaction.Id(), "adopted", Explanation)).AssertProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal("received", (await GetReactionAsync(consultation.Id(), reaction.Id())).Value("status"));
    }

    [Fact]
    public async Task A_reaction_to_a_closed_consultation_gets_a_422_problem_naming_consultationId()
    {
        var consultationId = Guid.NewGuid();
        await using (var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString()))
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO consultations (id, trajectory_id, partner_id, title, description, buurt_code, closes_on, opened_at)
                VALUES (@Id, @TrajectoryId, @PartnerId, 'Afgelopen', 'Deze raadpleging is voorbij.', @BuurtCode, current_date - 7, now() - interval '30 days')
                """,
                new { Id = consultationId, TrajectoryId = _trajectory.Id, PartnerId = _partner.PartnerId, BuurtCode = _trajectory.BuurtCode });
        }

        var response = await _client.PostAsJsonAsync(
            $"/v1/consultations/{consultationId}/reactions", new { residentId = await containers.NewResidentOfAsync(consultationId), text = "Te laat?" }, Cancel);

        await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "consultationId");
        var list = await _client.GetFromJsonAsync<JsonElement>($"/v1/consultations/{consultationId}/reactions", Cancel);
        Assert.Equal(0, list.GetProperty("totalCount").GetInt64());
    }

    [Fact]
    public async Task Answering_a_reaction_answers_200_and_the_reaction_shows_the_status_the_explanation_and_a_two_entry_history()
    {
        var consultation = await _client.OpenConsultationAsync(_trajectory);
        var reaction = await _client.SubmitReactionAsync(containers, consultation.Id());

        var answered = await _client.AnswerAsync(consultation.Id(), reaction.Id(), "adopted", $"  {Explanation} ");

        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        var body = await answered.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal("adopted", body.Value("status"));
        Assert.Equal(Explanation, body.Value("explanation"));
        Assert.NotEqual(JsonValueKind.Null, body.GetProperty("answeredAt").ValueKind);

        var read = await GetReactionAsync(consultation.Id(), reaction.Id());
        Assert.Equal("adopted", read.Value("status"));
        Assert.Equal(Explanation, read.Value("explanation"));
        Assert.NotEqual(JsonValueKind.Null, read.GetProperty("answeredAt").ValueKind);
        Assert.Equal([("received", null), ("adopted", Explanation)], History(read));
        var changedAt = read.GetProperty("history").EnumerateArray().Select(change => change.GetProperty("changedAt").GetDateTimeOffset()).ToList();
        Assert.True(changedAt[0] <= changedAt[1]);

        Assert.Single(await OutboxRowsAsync("ReactionAnswered", reaction.Id()));
    }

    [Fact]
    public async Task A_partner_outside_the_trajectory_answering_a_reaction_gets_a_404_problem_and_nothing_changes()
    {
        var consultation = await _client.OpenConsultationAsync(_trajectory);
        var reaction = await _client.SubmitReactionAsync(containers, consultation.Id());
        using var outsider = (await MemberAsync(role: null)).Authorize(service.CreateClient());

        // To an outsider the consultation does not exist, so neither does the reaction.
        var response = await outsider.AnswerAsync(consultation.Id(), reaction.Id(), "adopted", Explanation);

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
        await AssertUnansweredAsync(consultation.Id(), reaction.Id());
        await (await outsider.GetAsync($"/v1/consultations/{consultation.Id()}/reactions/{reaction.Id()}", Cancel))
            .AssertProblemAsync(HttpStatusCode.NotFound);
        await (await outsider.GetAsync($"/v1/consultations/{consultation.Id()}/reactions", Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData(TrajectoryRoles.Observer)]
    [InlineData(TrajectoryRoles.Contributor)]
    public async Task A_member_that_neither_owns_the_consultation_nor_co_owns_the_trajectory_answering_gets_a_403_problem(string role)
    {
        var consultation = await _client.OpenConsultationAsync(_trajectory);
        var reaction = await _client.SubmitReactionAsync(containers, consultation.Id());
        using var member = (await MemberAsync(role)).Authorize(service.CreateClient());
        // The member does see the reaction: it is refused the answer, not the reading.
        Assert.Equal(HttpStatusCode.OK, (await member.GetAsync($"/v1/consultations/{consultation.Id()}/reactions/{reaction.Id()}", Cancel)).StatusCode);

        var response = await member.AnswerAsync(consultation.Id(), reaction.Id(), "adopted", Explanation);

        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        await AssertUnansweredAsync(consultation.Id(), reaction.Id());

        // The owner still can, and the member cannot overrule the owner's answer either.
        Assert.Equal(HttpStatusCode.OK, (await _client.AnswerAsync(consultation.Id(), reaction.Id(), "adopted", Explanation)).StatusCode);
        var overrule = await member.AnswerAsync(consultation.Id(), reaction.Id(), "not-adopted", "Dit gaat toch niet door.");
        await overrule.AssertProblemAsync(HttpStatusCode.Forbidden);
        var after = await GetReactionAsync(consultation.Id(), reaction.Id());
        Assert.Equal([("received", null), ("adopted", Explanation)], History(after));
        Assert.Single(await OutboxRowsAsync("ReactionAnswered", reaction.Id()));
    }

    [Fact]
    public async Task A_co_owner_answers_a_reaction_to_a_consultation_it_did_not_open()
    {
        var consultation = await _client.OpenConsultationAsync(_trajectory);
        var reaction = await _client.SubmitReactionAsync(containers, consultation.Id());
        var coOwner = await MemberAsync(TrajectoryRoles.CoOwner);
        using var coOwnerClient = coOwner.Authorize(service.CreateClient());
        Assert.NotEqual(coOwner.PartnerId, consultation.GetProperty("partnerId").GetGuid());

        var response = await coOwnerClient.AnswerAsync(consultation.Id(), reaction.Id(), "adopted", Explanation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var read = await GetReactionAsync(consultation.Id(), reaction.Id());
        Assert.Equal("adopted", read.Value("status"));
        Assert.Equal([("received", null), ("adopted", Explanation)], History(read));
        var told = Assert.Single(await OutboxRowsAsync("ReactionAnswered", reaction.Id()));
        Assert.Equal(_trajectory.Id, JsonDocument.Parse(told.Payload).RootElement.GetProperty("trajectoryId").GetGuid());
    }

    [Fact]
    public async Task The_lead_answers_a_reaction_to_a_contributors_consultation_and_the_contributor_answers_its_own()
    {
        var contributor = await MemberAsync(TrajectoryRoles.Contributor);
        using var contributorClient = contributor.Authorize(service.CreateClient());
        var consultation = await contributorClient.OpenConsultationAsync(_trajectory);
        Assert.Equal(contributor.PartnerId, consultation.GetProperty("partnerId").GetGuid());
        var forTheLead = await contributorClient.SubmitReactionAsync(containers, consultation.Id());
        var forTheOwner = await contributorClient.SubmitReactionAsync(containers, consultation.Id());

        var byTheLead = await _client.AnswerAsync(consultation.Id(), forTheLead.Id(), "adopted", Explanation);
        var byTheOwner = await contributorClient.AnswerAsync(consultation.Id(), forTheOwner.Id(), "not-adopted", "Het past niet binnen het budget.");

        Assert.Equal(HttpStatusCode.OK, byTheLead.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byTheOwner.StatusCode);
        Assert.Equal("adopted", (await GetReactionAsync(consultation.Id(), forTheLead.Id())).Value("status"));
        Assert.Equal("not-adopted", (await GetReactionAsync(consultation.Id(), forTheOwner.Id())).Value("status"));
    }

    [Fact]
    public async Task Giving_the_identical_answer_again_adds_no_history_and_tells_the_resident_only_once()
    {
        var consultation = await _client.OpenConsultationAsync(_trajectory);
        var reaction = await _client.SubmitReactionAsync(containers, consultation.Id());
        var first = await _client.AnswerAsync(consultation.Id(), reaction.Id(), "partly-adopted", Explanation);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var answeredAt = (await GetReactionAsync(consultation.Id(), reaction.Id())).GetProperty("answeredAt").GetDateTimeOffset();

        var again = await _client.AnswerAsync(consultation.Id(), reaction.Id(), "partly-adopted", Explanation);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var body = await again.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal("partly-adopted", body.Value("status"));
        Assert.Equal(Explanation, body.Value("explanation"));
        var read = await GetReactionAsync(consultation.Id(), reaction.Id());
        Assert.Equal([("received", null), ("partly-adopted", Explanation)], History(read));
        Assert.Equal(answeredAt, read.GetProperty("answeredAt").GetDateTimeOffset());
        Assert.Single(await OutboxRowsAsync("ReactionAnswered", reaction.Id()));
    }

    [Fact]
    public async Task A_revised_outcome_is_recorded_and_the_resident_is_told_again()
    {
        var consultation = await _client.OpenConsultationAsync(_trajectory);
        var reaction = await _client.SubmitReactionAsync(containers, consultation.Id());
        Assert.Equal(HttpStatusCode.OK, (await _client.AnswerAsync(consultation.Id(), reaction.Id(), "adopted", Explanation)).StatusCode);

        const string revision = "Er is budget voor twee bankjes in plaats van drie.";
        var revised = await _client.AnswerAsync(consultation.Id(), reaction.Id(), "partly-adopted", revision);

        Assert.Equal(HttpStatusCode.OK, revised.StatusCode);
        var read = await GetReactionAsync(consultation.Id(), reaction.Id());
        Assert.Equal("partly-adopted", read.Value("status"));
        Assert.Equal(revision, read.Value("explanation"));
        Assert.Equal([("received", null), ("adopted", Explanation), ("partly-adopted", revision)], History(read));
        var told = await OutboxRowsAsync("ReactionAnswered", reaction.Id());
        Assert.Equal(
            ["adopted", "partly-adopted"],
            told.Select(row => JsonDocument.Parse(row.Payload).RootElement.Value("status")));
    }

    [Fact]
    public async Task An_adopted_reaction_cannot_go_back_under_consideration()
    {
        var consultation = await _client.OpenConsultationAsync(_trajectory);
        var reaction = await _client.SubmitReactionAsync(containers, consultation.Id());
        Assert.Equal(HttpStatusCode.OK, (await _client.AnswerAsync(consultation.Id(), reaction.Id(), "adopted", Explanation)).StatusCode);

        var withdrawn = await _client.AnswerAsync(
            consultation.Id(), reaction.Id(), "under-consideration", "We kijken er toch nog eens naar.");

        await withdrawn.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "status");
        var read = await GetReactionAsync(consultation.Id(), reaction.Id());
        Assert.Equal("adopted", read.Value("status"));
        Assert.Equal(Explanation, read.Value("explanation"));
        Assert.Equal([("received", null), ("adopted", Explanation)], History(read));
        Assert.Single(await OutboxRowsAsync("ReactionAnswered", reaction.Id()));
    }

    [Fact]
    public async Task A_reaction_under_consideration_can_still_get_an_outcome()
    {
        var consultation = await _client.OpenConsultationAsync(_trajectory);
        var reaction = await _client.SubmitReactionAsync(containers, consultation.Id());
        const string considering = "We bespreken dit in de bewonerscommissie.";
        Assert.Equal(
            HttpStatusCode.OK,
            (await _client.AnswerAsync(consultation.Id(), reaction.Id(), "under-consideration", considering)).StatusCode);

        var decided = await _client.AnswerAsync(consultation.Id(), reaction.Id(), "not-adopted", "Het past niet binnen het budget.");

        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        Assert.Equal(
            [("received", null), ("under-consideration", considering), ("not-adopted", "Het past niet binnen het budget.")],
            History(await GetReactionAsync(consultation.Id(), reaction.Id())));
    }

    [Theory]
    [InlineData("received", "Ontvangen, dank u wel.", "status")]
    [InlineData("maybe", "Dat weten we nog niet.", "status")]
    [InlineData("adopted", "Prima.", "explanation")]
    [InlineData("adopted", null, "explanation")]
    public async Task An_answer_needs_a_real_status_and_an_explanation(string status, string? explanation, string field)
    {
        var consultation = await _client.OpenConsultationAsync(_trajectory);
        var reaction = await _client.SubmitReactionAsync(containers, consultation.Id());

        var response = await _client.AnswerAsync(consultation.Id(), reaction.Id(), status, explanation!);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, field);
        var read = await GetReactionAsync(consultation.Id(), reaction.Id());
        Assert.Equal("received", read.Value("status"));
        Assert.Single(read.GetProperty("history").EnumerateArray());
    }

    [Fact]
    public async Task The_reactions_to_a_consultation_page_oldest_first()
    {
        var consultation = await _client.OpenConsultationAsync(_trajectory);
        var other = await _client.OpenConsultationAsync(_trajectory);
        var first = await _client.SubmitReactionAsync(containers, consultation.Id(), text: "Eerste");
        var second = await _client.SubmitReactionAsync(containers, consultation.Id(), text: "Tweede");
        var third = await _client.SubmitReactionAsync(containers, consultation.Id(), text: "Derde");
        await _client.SubmitReactionAsync(containers, other.Id(), text: "Elders");

        var page1 = await _client.GetFromJsonAsync<JsonElement>(
            $"/v1/consultations/{consultation.Id()}/reactions?page=1&pageSize=2", Cancel);
        var page2 = await _client.GetFromJsonAsync<JsonElement>(
            $"/v1/consultations/{consultation.Id()}/reactions?page=2&pageSize=2", Cancel);
        var page3 = await _client.GetFromJsonAsync<JsonElement>(
            $"/v1/consultations/{consultation.Id()}/reactions?page=3&pageSize=2", Cancel);

        Assert.Equal([first.Id(), second.Id()], page1.GetProperty("items").EnumerateArray().Select(item => item.Id()));
        Assert.Equal([third.Id()], page2.GetProperty("items").EnumerateArray().Select(item => item.Id()));
        Assert.Empty(page3.GetProperty("items").EnumerateArray());
        foreach (var (page, number) in new[] { (page1, 1), (page2, 2), (page3, 3) })
        {
            Assert.Equal(number, page.GetProperty("pageNumber").GetInt32());
            Assert.Equal(2, page.GetProperty("pageSize").GetInt32());
            Assert.Equal(3, page.GetProperty("totalCount").GetInt64());
        }

        Assert.Equal("Eerste", page1.GetProperty("items")[0].Value("text"));
    }

    [Theory]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=101", "pageSize")]
    [InlineData("page=0", "page")]
    public async Task A_page_of_reactions_out_of_range_is_a_400_problem_naming_the_parameter(string query, string field)
    {
        var consultation = await _client.OpenConsultationAsync(_trajectory);

        var response = await _client.GetAsync($"/v1/consultations/{consultation.Id()}/reactions?{query}", Cancel);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task Reaction_events_carry_the_pseudonymous_resident_id_and_nothing_else_personal()
    {
        var consultation = await _client.OpenConsultationAsync(_trajectory, title: "Groen in de Kolenkitbuurt");
        var residentId = await containers.NewResidentOfAsync(consultation.Id());
        const string text = "Ik woon op nummer 12 en mijn dochter speelt hier elke dag.";
        var reaction = await _client.SubmitReactionAsync(containers, consultation.Id(), residentId, text);
        Assert.Equal(HttpStatusCode.OK, (await _client.AnswerAsync(consultation.Id(), reaction.Id(), "adopted", Explanation)).StatusCode);

        var submitted = await Eventually.MatchesAsync(
            () => OutboxRowsAsync("ReactionSubmitted", reaction.Id()),
            rows => rows.Count == 1 && rows[0].PublishedAt is not null,
            "the ReactionSubmitted event to be relayed");
        var answered = await Eventually.MatchesAsync(
            () => OutboxRowsAsync("ReactionAnswered", reaction.Id()),
            rows => rows.Count == 1 && rows[0].PublishedAt is not null,
            "the ReactionAnswered event to be relayed");

        // The translations are the partner's texts (here none), never the resident's.
        AssertPseudonymous(
            submitted[0].Payload,
            ["answerDueOn", "consultationId", "consultationTitle", "reactionId", "residentId", "submittedAt", "titleTranslations", "trajectoryId"]);
        AssertPseudonymous(
            answered[0].Payload,
            ["answeredAt", "consultationId", "consultationTitle", "explanation", "explanationTranslations", "reactionId", "residentId", "status",
             "titleTranslations", "trajectoryId"]);

        void AssertPseudonymous(string payload, string[] expectedFields)
        {
            using var document = JsonDocument.Parse(payload);
            var message = document.RootElement;
            Assert.Equal(expectedFields, message.EnumerateObject().Select(field => field.Name).Order(StringComparer.Ordinal));
            Assert.Equal(residentId, message.GetProperty("residentId").GetGuid());
            Assert.Equal(reaction.Id(), message.GetProperty("reactionId").GetGuid());
            Assert.Equal(consultation.Id(), message.GetProperty("consultationId").GetGuid());
            Assert.Equal(_trajectory.Id, message.GetProperty("trajectoryId").GetGuid());
            Assert.Equal("Groen in de Kolenkitbuurt", message.Value("consultationTitle"));
            // What the resident wrote stays in this service.
            Assert.DoesNotContain("nummer 12", payload, StringComparison.Ordinal);
            Assert.DoesNotContain("dochter", payload, StringComparison.Ordinal);
        }
    }
}
