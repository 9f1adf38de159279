using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Npgsql;
using Participatie.Contracts;
using Participatie.Testing;
using static Participatie.Consultations.FunctionalTests.Requests;

namespace Participatie.Consultations.FunctionalTests;

/// <summary>
/// Consultations live in trajectories: a partner opens them only in a trajectory it contributes to and for one of its
/// buurten, and sees only those of the trajectories it takes part in. Partner coordination, which owns trajectories,
/// is asked with the caller's own token.
/// </summary>
public sealed class TrajectoryAccessTests(ConsultationsService service, PlatformContainers containers)
    : IClassFixture<ConsultationsService>, IAsyncLifetime
{
    private readonly HttpClient _client = service.CreateClient();

    /// <summary>The municipality this test acts for: the lead of <see cref="_trajectory"/>.</summary>
    private TestPartner _lead = null!;

    private TestTrajectory _trajectory = null!;

    private TokenServer Tokens => containers.TokenServer;

    public async ValueTask InitializeAsync()
    {
        _lead = await Tokens.RegisterPartnerAsync("municipality");
        _lead.Authorize(_client);
        _trajectory = await Tokens.StartTrajectoryAsync(_lead);
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>How many consultations of the buurt are stored, and how many ConsultationOpened events name it.</summary>
    private async Task<(int Stored, int Events)> CountConsultationsAsync(string buurtCode)
    {
        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        return await connection.QuerySingleAsync<(int, int)>(
            """
            SELECT (SELECT count(*)::int FROM consultations WHERE buurt_code = @BuurtCode),
                   (SELECT count(*)::int FROM outbox_messages WHERE payload->>'buurtCode' = @BuurtCode)
            """,
            new { BuurtCode = buurtCode });
    }

    /// <summary>How many reactions to the consultation are stored, and how many ReactionSubmitted events name it.</summary>
    private async Task<(int Stored, int Events)> CountReactionsAsync(Guid consultationId)
    {
        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        return await connection.QuerySingleAsync<(int, int)>(
            """
            SELECT (SELECT count(*)::int FROM reactions WHERE consultation_id = @Id),
                   (SELECT count(*)::int FROM outbox_messages
                    WHERE payload->>'consultationId' = @Id::text AND message_type LIKE 'Participatie.Contracts.ReactionSubmitted%')
            """,
            new { Id = consultationId });
    }

    private Task<HttpResponseMessage> OpenAsync(HttpClient client, Guid trajectoryId, string buurtCode) =>
        client.PostAsJsonAsync("/v1/consultations", NewConsultation(trajectoryId, buurtCode), Cancel);

    [Fact]
    public async Task Opening_in_a_trajectory_the_caller_does_not_take_part_in_is_a_422_problem_naming_trajectoryId()
    {
        // Another partner's trajectory over the very buurt, and a trajectory that does not exist at all.
        var other = await Tokens.RegisterPartnerAsync("housing-corporation");
        var theirs = await Tokens.CreateTrajectoryAsync(other, _trajectory.BuurtCode);

        var intoTheirs = await OpenAsync(_client, theirs, _trajectory.BuurtCode);
        var intoNone = await OpenAsync(_client, Guid.NewGuid(), _trajectory.BuurtCode);

        var problem = await intoTheirs.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "trajectoryId");
        Assert.Equal(["trajectoryId"], problem.GetProperty("errors").EnumerateObject().Select(error => error.Name));
        await intoNone.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "trajectoryId");
        Assert.Equal((0, 0), await CountConsultationsAsync(_trajectory.BuurtCode));

        // Its own trajectory over the same buurt is fine.
        Assert.Equal(HttpStatusCode.Created, (await OpenAsync(_client, _trajectory.Id, _trajectory.BuurtCode)).StatusCode);
    }

    [Fact]
    public async Task Opening_for_a_buurt_outside_the_trajectory_is_a_422_problem_naming_buurtCode()
    {
        // A buurt of another trajectory the same partner leads, and a buurt of no trajectory at all.
        var second = await Tokens.StartTrajectoryAsync(_lead, buurten: 1);
        var nowhere = NewBuurtCode();

        var otherTrajectorysBuurt = await OpenAsync(_client, _trajectory.Id, second.BuurtCode);
        var noTrajectorysBuurt = await OpenAsync(_client, _trajectory.Id, nowhere);

        var problem = await otherTrajectorysBuurt.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "buurtCode");
        Assert.Equal(["buurtCode"], problem.GetProperty("errors").EnumerateObject().Select(error => error.Name));
        await noTrajectorysBuurt.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "buurtCode");
        Assert.Equal((0, 0), await CountConsultationsAsync(second.BuurtCode));
        Assert.Equal((0, 0), await CountConsultationsAsync(nowhere));

        // In the trajectory it belongs to, the same buurt is fine.
        Assert.Equal(HttpStatusCode.Created, (await OpenAsync(_client, second.Id, second.BuurtCode)).StatusCode);
    }

    [Fact]
    public async Task An_observer_reads_everything_but_can_neither_open_consultations_nor_enter_reactions()
    {
        var consultation = await _client.OpenConsultationAsync(_trajectory);
        var reaction = await _client.SubmitReactionAsync(containers, consultation.Id());
        var observer = await Tokens.RegisterPartnerAsync("housing-corporation");
        await Tokens.SetMemberAsync(_lead, _trajectory.Id, observer.PartnerId, TrajectoryRoles.Observer);
        using var observerClient = observer.Authorize(service.CreateClient());

        var opened = await OpenAsync(observerClient, _trajectory.Id, _trajectory.BuurtCodes[1]);
        var entered = await observerClient.PostAsJsonAsync(
            $"/v1/consultations/{consultation.Id()}/reactions", new { residentId = await containers.NewResidentOfAsync(consultation.Id()), text = "Namens een bewoner." }, Cancel);

        await opened.AssertProblemAsync(HttpStatusCode.Forbidden);
        await entered.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal((0, 0), await CountConsultationsAsync(_trajectory.BuurtCodes[1]));
        Assert.Equal((1, 1), await CountReactionsAsync(consultation.Id()));

        var read = await observerClient.GetFromJsonAsync<JsonElement>($"/v1/consultations/{consultation.Id()}", Cancel);
        Assert.Equal(consultation.Value("title"), read.Value("title"));
        Assert.Equal([consultation.Id()], await observerClient.ListConsultationIdsAsync());
        var reactions = await observerClient.GetFromJsonAsync<JsonElement>($"/v1/consultations/{consultation.Id()}/reactions", Cancel);
        Assert.Equal([reaction.Id()], reactions.GetProperty("items").EnumerateArray().Select(item => item.Id()));
        var readReaction = await observerClient.GetFromJsonAsync<JsonElement>(
            $"/v1/consultations/{consultation.Id()}/reactions/{reaction.Id()}", Cancel);
        Assert.Equal(reaction.Value("text"), readReaction.Value("text"));
    }

    [Fact]
    public async Task A_contributor_opens_consultations_and_enters_reactions_in_the_trajectory()
    {
        var contributor = await Tokens.RegisterPartnerAsync("housing-corporation");
        await Tokens.SetMemberAsync(_lead, _trajectory.Id, contributor.PartnerId, TrajectoryRoles.Contributor);
        using var contributorClient = contributor.Authorize(service.CreateClient());
        var leads = await _client.OpenConsultationAsync(_trajectory, title: "Van de gemeente");

        var own = await contributorClient.OpenConsultationAsync(_trajectory, _trajectory.BuurtCodes[1], "Van de corporatie");
        await contributorClient.SubmitReactionAsync(containers, leads.Id());
        await contributorClient.SubmitReactionAsync(containers, own.Id());

        Assert.Equal(contributor.PartnerId, own.GetProperty("partnerId").GetGuid());
        Assert.Equal((1, 1), await CountReactionsAsync(leads.Id()));
        Assert.Equal((1, 1), await CountReactionsAsync(own.Id()));
        // Both see both: they take part in the same trajectory.
        Assert.Equal([own.Id(), leads.Id()], await contributorClient.ListConsultationIdsAsync());
        Assert.Equal([own.Id(), leads.Id()], await _client.ListConsultationIdsAsync());
    }

    [Fact]
    public async Task Lists_show_only_the_consultations_of_the_callers_trajectories_and_outsiders_find_none_of_them()
    {
        var mine = await _client.OpenConsultationAsync(_trajectory);
        var reaction = await _client.SubmitReactionAsync(containers, mine.Id());
        var outsider = await Tokens.RegisterPartnerAsync("housing-corporation");
        using var outsiderClient = outsider.Authorize(service.CreateClient());
        var outsidersTrajectory = await Tokens.StartTrajectoryAsync(outsider);
        var theirs = await outsiderClient.OpenConsultationAsync(outsidersTrajectory);

        // Each sees its own, even when asking for the other's buurt by name.
        Assert.Equal([mine.Id()], await _client.ListConsultationIdsAsync());
        Assert.Equal([theirs.Id()], await outsiderClient.ListConsultationIdsAsync());
        var asked = await outsiderClient.GetFromJsonAsync<JsonElement>($"/v1/consultations?buurtCode={_trajectory.BuurtCode}", Cancel);
        Assert.Empty(asked.GetProperty("items").EnumerateArray());
        Assert.Equal(0, asked.GetProperty("totalCount").GetInt64());

        // To the outsider the consultation and its reactions do not exist.
        var consultationPath = $"/v1/consultations/{mine.Id()}";
        var problem = await (await outsiderClient.GetAsync(consultationPath, Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains(mine.Id().ToString(), problem.Value("detail"), StringComparison.Ordinal);
        await (await outsiderClient.GetAsync($"{consultationPath}/reactions", Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await outsiderClient.GetAsync($"{consultationPath}/reactions/{reaction.Id()}", Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
        var entered = await outsiderClient.PostAsJsonAsync(
            $"{consultationPath}/reactions", new { residentId = await containers.NewResidentOfAsync(mine.Id()), text = "Van buiten." }, Cancel);
        await entered.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal((1, 1), await CountReactionsAsync(mine.Id()));

        // Once it takes part, it sees the consultation next to its own; once removed, no longer.
        await Tokens.SetMemberAsync(_lead, _trajectory.Id, outsider.PartnerId, TrajectoryRoles.Observer);
        Assert.Equal([theirs.Id(), mine.Id()], await outsiderClient.ListConsultationIdsAsync());
        Assert.Equal(HttpStatusCode.OK, (await outsiderClient.GetAsync(consultationPath, Cancel)).StatusCode);
        Assert.Equal([mine.Id()], await _client.ListConsultationIdsAsync());

        await Tokens.RemoveMemberAsync(_lead, _trajectory.Id, outsider.PartnerId);
        Assert.Equal([theirs.Id()], await outsiderClient.ListConsultationIdsAsync());
        await (await outsiderClient.GetAsync(consultationPath, Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_events_name_the_trajectory_each_consultation_belongs_to()
    {
        var second = await Tokens.StartTrajectoryAsync(_lead, buurten: 1);
        var inFirst = await _client.OpenConsultationAsync(_trajectory);
        var inSecond = await _client.OpenConsultationAsync(second);
        var reaction = await _client.SubmitReactionAsync(containers, inSecond.Id());
        Assert.Equal(HttpStatusCode.OK, (await _client.AnswerAsync(
            inSecond.Id(), reaction.Id(), "adopted", "We plaatsen in het voorjaar drie extra bankjes.")).StatusCode);

        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        var events = (await connection.QueryAsync<(string MessageType, string? TrajectoryId)>(
            """
            SELECT message_type, payload->>'trajectoryId' FROM outbox_messages
            WHERE payload->>'consultationId' IN (@First, @Second) ORDER BY sequence
            """,
            new { First = inFirst.Id().ToString(), Second = inSecond.Id().ToString() }))
            .Select(row => (Event: row.MessageType.Split(',')[0].Replace("Participatie.Contracts.", string.Empty, StringComparison.Ordinal), row.TrajectoryId))
            .ToList();

        Assert.Equal(
            [
                ("ConsultationOpened", _trajectory.Id.ToString()),
                ("ConsultationOpened", second.Id.ToString()),
                ("ReactionSubmitted", second.Id.ToString()),
                ("ReactionAnswered", second.Id.ToString()),
            ],
            events);
        Assert.Equal(second.Id, inSecond.GetProperty("trajectoryId").GetGuid());
    }
}
