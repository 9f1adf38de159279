using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Npgsql;
using Participatie.Consultations.Domain;
using Participatie.Contracts;
using Participatie.Testing;
using static Participatie.Consultations.FunctionalTests.Requests;
using static Participatie.Consultations.FunctionalTests.SupportMeasurementRequests;

namespace Participatie.Consultations.FunctionalTests;

/// <summary>
/// The draagvlakmeting (art. 7:220 BW) through the API: a corporation puts a renovation proposal to a complex, each home
/// votes once with the code from its letter, and the proposal is deemed reasonable when 70% of all homes agree.
/// </summary>
public sealed class SupportMeasurementsApiTests(ConsultationsService service, PlatformContainers containers)
    : IClassFixture<ConsultationsService>, IAsyncLifetime
{
    private readonly HttpClient _client = service.CreateClient();

    /// <summary>The housing corporation this test acts for: it leads the trajectory and starts the measurements, so it owns them.</summary>
    private TestPartner _corporation = null!;

    private TestTrajectory _trajectory = null!;

    private TokenServer Tokens => containers.TokenServer;

    public async ValueTask InitializeAsync()
    {
        _corporation = await Tokens.RegisterPartnerAsync("housing-corporation");
        _corporation.Authorize(_client);
        _trajectory = await Tokens.StartTrajectoryAsync(_corporation);
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>A new partner's client, taking part in this test's trajectory in the role given (none: an outsider).</summary>
    private async Task<(TestPartner Partner, HttpClient Client)> MemberAsync(string? role, string kind = "municipality")
    {
        var partner = await Tokens.RegisterPartnerAsync(kind);
        if (role is not null)
        {
            await Tokens.SetMemberAsync(_corporation, _trajectory.Id, partner.PartnerId, role);
        }

        return (partner, partner.Authorize(service.CreateClient()));
    }

    private async Task<T> QueryAsync<T>(string sql, object parameters)
    {
        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        return await connection.QuerySingleAsync<T>(sql, parameters);
    }

    private async Task<int> CountMeasurementsAsync(Guid trajectoryId) =>
        await QueryAsync<int>("SELECT count(*)::int FROM support_measurements WHERE trajectory_id = @TrajectoryId", new { TrajectoryId = trajectoryId });

    /// <summary>Runs a statement directly against the database, where the triggers must refuse it.</summary>
    private async Task AssertDatabaseRefusesAsync(string sql, object parameters, string because)
    {
        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        var refused = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync(sql, parameters));
        Assert.Contains(because, refused.MessageText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Creating_answers_each_homes_voting_code_once_and_only_their_hashes_are_stored()
    {
        var postcode = NewPostcode();
        object[] homes =
        [
            .. NewHomes(10, postcode),
            new { postcode = postcode.ToLowerInvariant().Replace(" ", string.Empty, StringComparison.Ordinal), houseNumber = 11, houseNumberSuffix = "a" },
            new { postcode, houseNumber = 11, houseNumberSuffix = "B" },
        ];
        var compact = postcode.Replace(" ", string.Empty, StringComparison.Ordinal);

        using var response = await _client.PostAsJsonAsync("/v1/support-measurements", NewMeasurement(_trajectory.Id, homes), Cancel);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        var id = created.Id();
        Assert.Equal($"/v1/support-measurements/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal(_corporation.PartnerId, created.GetProperty("partnerId").GetGuid());
        Assert.Equal("open", created.Value("status"));
        Assert.Equal(12, created.GetProperty("homeCount").GetInt32());
        var codes = created.GetProperty("votingCodes").EnumerateArray().Select(code => (HomeKey: code.Value("homeKey")!, Code: code.Value("code")!)).ToList();
        Assert.Equal([.. Enumerable.Range(1, 10).Select(number => $"{compact} {number}"), $"{compact} 11-A", $"{compact} 11-B"], codes.Select(code => code.HomeKey));
        Assert.Equal(12, codes.Select(code => code.Code).Distinct(StringComparer.Ordinal).Count());
        Assert.All(codes, code => Assert.Matches("^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$", code.Code));

        // Never again through the API...
        var read = await _client.GetStringAsync(new Uri($"/v1/support-measurements/{id}", UriKind.Relative), Cancel);
        var list = await _client.GetStringAsync(new Uri($"/v1/support-measurements?trajectoryId={_trajectory.Id}", UriKind.Relative), Cancel);
        var readBack = JsonDocument.Parse(read).RootElement;
        Assert.Equal(JsonValueKind.Null, readBack.GetProperty("votingCodes").ValueKind);
        Assert.Equal(codes.Select(code => code.HomeKey), readBack.GetProperty("homes").EnumerateArray().Select(home => home.GetString()));
        foreach (var (_, code) in codes)
        {
            Assert.DoesNotContain(code, read, StringComparison.Ordinal);
            Assert.DoesNotContain(code, list, StringComparison.Ordinal);
        }

        // ...and in the database only their hashes.
        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        var stored = (await connection.QueryAsync<(string HomeKey, byte[] CodeHash, string Row)>(
            "SELECT home_key, code_hash, h::text FROM support_measurement_homes h WHERE measurement_id = @Id ORDER BY position",
            new { Id = id })).ToList();
        var measurementRow = await connection.QuerySingleAsync<string>("SELECT m::text FROM support_measurements m WHERE id = @Id", new { Id = id });
        Assert.Equal(codes.Select(code => code.HomeKey), stored.Select(row => row.HomeKey));
        foreach (var ((_, code), row) in codes.Zip(stored))
        {
            Assert.Equal(SupportMeasurementCodes.Hash(id, code), row.CodeHash);
            foreach (var form in new[] { code, SupportMeasurementCodes.Normalise(code), code.ToLowerInvariant() })
            {
                Assert.DoesNotContain(form, row.Row, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(form, measurementRow, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    public static TheoryData<int, int, int, bool> Thresholds => new()
    {
        // homes, agreeing, disagreeing, threshold met
        { 10, 7, 3, true }, // exactly 70%
        { 20, 14, 0, true }, // exactly 70%, 6 homes not voting
        { 10, 6, 4, false }, // just below
        { 20, 13, 7, false }, // 65%
        { 10, 8, 1, true }, // above
        { 10, 6, 0, false }, // every vote cast agrees, but only 60% of the homes
    };

    [Theory]
    [MemberData(nameof(Thresholds))]
    public async Task The_proposal_is_deemed_reasonable_when_70_percent_of_all_homes_agree(int homes, int agreeing, int disagreeing, bool met)
    {
        var measurement = await _client.CreateMeasurementAsync(_trajectory.Id, homes);

        await _client.VoteManyAsync(measurement, agreeing, disagreeing);

        var result = await _client.ResultAsync(measurement);
        Assert.Equal((homes, agreeing + disagreeing, agreeing, disagreeing, met), result.Counts());
        Assert.Equal(homes - agreeing - disagreeing, result.GetProperty("notVoted").GetInt32());
        Assert.Equal((decimal)agreeing / homes, result.GetProperty("agreeingShare").GetDecimal());
        Assert.Equal((decimal)(agreeing + disagreeing) / homes, result.GetProperty("responseRate").GetDecimal());
        Assert.Equal(70, result.GetProperty("thresholdPercent").GetInt32());
        Assert.Equal("open", result.Value("status"));
        Assert.False(result.GetProperty("final").GetBoolean());
    }

    [Fact]
    public async Task A_home_that_votes_again_changes_its_vote_which_counts_once_and_the_log_shows_both()
    {
        var measurement = await _client.CreateMeasurementAsync(_trajectory.Id);
        var (tenants, client) = await MemberAsync(TrajectoryRoles.Contributor, "tenants-organisation");
        using var tenantsClient = client;
        var code = measurement.CodeOf(0);

        using var first = await _client.VoteAsync(measurement, code, "agree", "letter");
        // The resident changes its mind online, typing the code without dashes and in small letters.
        using var second = await tenantsClient.VoteAsync(
            measurement, code.Replace("-", string.Empty, StringComparison.Ordinal).ToLowerInvariant(), "disagree", "online");
        using var other = await tenantsClient.VoteAsync(measurement, measurement.CodeOf(1), "agree", "paper-form");

        var firstReceipt = await first.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        var secondReceipt = await second.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.False(firstReceipt.GetProperty("replacedEarlierVote").GetBoolean());
        Assert.True(secondReceipt.GetProperty("replacedEarlierVote").GetBoolean());
        Assert.Equal("disagree", secondReceipt.Value("choice"));
        // The receipt names no home: the partner entering a vote learns nothing of the complex from it.
        Assert.False(secondReceipt.TryGetProperty("homeKey", out _));
        var result = await _client.ResultAsync(measurement);
        Assert.Equal((10, 2, 1, 1, false), result.Counts());

        var log = await _client.GetFromJsonAsync<JsonElement>($"{measurement.Path}/audit", Cancel);
        var entries = log.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(3, log.GetProperty("totalCount").GetInt32());
        var home = measurement.Codes[0].HomeKey;
        Assert.Equal(
            [
                (home, "agree", (string?)null, "letter", _corporation.PartnerId),
                (home, "disagree", "agree", "online", tenants.PartnerId),
                (measurement.Codes[1].HomeKey, "agree", null, "paper-form", tenants.PartnerId),
            ],
            entries.Select(entry => (
                entry.Value("homeKey")!, entry.Value("choice")!, entry.Value("previousChoice"), entry.Value("channel")!,
                entry.GetProperty("enteredByPartnerId").GetGuid())));
        Assert.True(entries[0].GetProperty("recordedAt").GetDateTimeOffset() <= entries[1].GetProperty("recordedAt").GetDateTimeOffset());
        Assert.Equal(tenants.ClientId, entries[1].Value("enteredByClientId"));

        // The log is append-only: not even the database changes or removes an entry.
        await AssertDatabaseRefusesAsync(
            "UPDATE support_vote_log SET choice = 'agree' WHERE measurement_id = @Id", new { Id = measurement.Id }, "append-only");
        await AssertDatabaseRefusesAsync("DELETE FROM support_vote_log WHERE measurement_id = @Id", new { Id = measurement.Id }, "append-only");
    }

    [Fact]
    public async Task Votes_entered_at_the_same_time_count_each_home_once_and_the_log_keeps_every_change_in_order()
    {
        var measurement = await _client.CreateMeasurementAsync(_trajectory.Id);
        var code = measurement.CodeOf(0);

        // Home 0 votes ten times at once, alternating; homes 1 to 9 vote once each, at the same time.
        var responses = await Task.WhenAll(
            Enumerable.Range(0, 10).Select(attempt => _client.VoteAsync(measurement, code, attempt % 2 == 0 ? "agree" : "disagree"))
                .Concat(Enumerable.Range(1, 9).Select(home => _client.VoteAsync(measurement, measurement.CodeOf(home), "agree"))));

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        var result = await _client.ResultAsync(measurement);
        Assert.Equal(10, result.GetProperty("votes").GetInt32());
        Assert.Equal(10, result.GetProperty("agreeing").GetInt32() + result.GetProperty("disagreeing").GetInt32());
        var log = await _client.GetFromJsonAsync<JsonElement>($"{measurement.Path}/audit?pageSize=100", Cancel);
        var homeZero = log.GetProperty("items").EnumerateArray()
            .Where(entry => entry.Value("homeKey") == measurement.Codes[0].HomeKey)
            .Select(entry => (Choice: entry.Value("choice"), Previous: entry.Value("previousChoice")))
            .ToList();
        Assert.Equal(10, homeZero.Count);
        Assert.Equal(19, log.GetProperty("totalCount").GetInt32());
        // Each change names the vote it replaced: none was lost between two at once.
        Assert.Null(homeZero[0].Previous);
        Assert.All(homeZero.Skip(1).Zip(homeZero), pair => Assert.Equal(pair.Second.Choice, pair.First.Previous));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task A_vote_after_the_deadline_is_refused_and_the_result_is_frozen_as_it_stood_at_the_deadline()
    {
        var measurement = await _client.CreateMeasurementAsync(_trajectory.Id);
        await _client.VoteManyAsync(measurement, agreeing: 7, disagreeing: 1);
        // The deadline passes (moved in the database, so that the test need not wait for it).
        await QueryAsync<int>(
            "UPDATE support_measurements SET deadline = now() - interval '1 minute' WHERE id = @Id RETURNING 1", new { Id = measurement.Id });

        using var late = await _client.VoteAsync(measurement, measurement.CodeOf(9), "agree");
        using var changed = await _client.VoteAsync(measurement, measurement.CodeOf(7), "agree");

        await late.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "deadline");
        await changed.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "deadline");
        var result = await _client.ResultAsync(measurement);
        Assert.Equal((10, 8, 7, 1, true), result.Counts());
        Assert.Equal("closed", result.Value("status"));
        Assert.True(result.GetProperty("final").GetBoolean());
        Assert.Equal(result.GetProperty("deadline").GetDateTimeOffset(), result.GetProperty("closedAt").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, result.GetProperty("closedByPartnerId").ValueKind);
        Assert.Equal("closed", (await _client.GetFromJsonAsync<JsonElement>(measurement.Path, Cancel)).Value("status"));

        // Reading it froze the count into the row; closing it now changes nothing.
        Assert.Equal((8, 7, 1), await QueryAsync<(int, int, int)>(
            "SELECT final_votes, final_agreeing, final_disagreeing FROM support_measurements WHERE id = @Id", new { Id = measurement.Id }));
        using var close = await _client.CloseAsync(measurement);
        Assert.Equal(HttpStatusCode.OK, close.StatusCode);
        var closed = await close.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal(result.Counts(), closed.Counts());
        Assert.Equal(result.GetProperty("closedAt").GetDateTimeOffset(), closed.GetProperty("closedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Closing_freezes_the_result_for_good()
    {
        var measurement = await _client.CreateMeasurementAsync(_trajectory.Id);
        await _client.VoteManyAsync(measurement, agreeing: 7, disagreeing: 2);

        using var close = await _client.CloseAsync(measurement);

        Assert.Equal(HttpStatusCode.OK, close.StatusCode);
        var closed = await close.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal((10, 9, 7, 2, true), closed.Counts());
        Assert.Equal("closed", closed.Value("status"));
        Assert.True(closed.GetProperty("final").GetBoolean());
        Assert.Equal(_corporation.PartnerId, closed.GetProperty("closedByPartnerId").GetGuid());

        // A new vote and a changed vote are refused; the result stays as it was.
        using var late = await _client.VoteAsync(measurement, measurement.CodeOf(9), "agree");
        using var changed = await _client.VoteAsync(measurement, measurement.CodeOf(0), "disagree");
        await late.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "measurementId");
        await changed.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "measurementId");
        var result = await _client.ResultAsync(measurement);
        Assert.Equal(closed.Counts(), result.Counts());
        Assert.Equal(closed.GetProperty("closedAt").GetDateTimeOffset(), result.GetProperty("closedAt").GetDateTimeOffset());
        Assert.Equal(9, (await _client.GetFromJsonAsync<JsonElement>($"{measurement.Path}/audit", Cancel)).GetProperty("totalCount").GetInt32());

        // Closing again changes nothing.
        using var again = await _client.CloseAsync(measurement);
        var closedAgain = await again.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal(closed.Counts(), closedAgain.Counts());
        Assert.Equal(closed.GetProperty("closedAt").GetDateTimeOffset(), closedAgain.GetProperty("closedAt").GetDateTimeOffset());

        // Not even the database changes a closed measurement or its votes.
        await AssertDatabaseRefusesAsync(
            "UPDATE support_measurements SET final_agreeing = 10, final_votes = 12 WHERE id = @Id", new { Id = measurement.Id }, "is closed");
        await AssertDatabaseRefusesAsync(
            "UPDATE support_measurement_homes SET choice = 'agree' WHERE measurement_id = @Id", new { Id = measurement.Id }, "is closed");
    }

    [Fact]
    public async Task A_close_amid_votes_freezes_exactly_the_votes_that_were_accepted()
    {
        var measurement = await _client.CreateMeasurementAsync(_trajectory.Id, homes: 30);

        var votes = Enumerable.Range(0, 30).Select(home => _client.VoteAsync(measurement, measurement.CodeOf(home), "agree")).ToList();
        var close = _client.CloseAsync(measurement);
        var responses = await Task.WhenAll(votes);
        using var closed = await close;

        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        var accepted = responses.Count(response => response.StatusCode == HttpStatusCode.OK);
        Assert.All(
            responses.Where(response => response.StatusCode != HttpStatusCode.OK),
            response => Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode));
        var frozen = await closed.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal(accepted, frozen.GetProperty("votes").GetInt32());
        Assert.Equal(accepted, (await _client.ResultAsync(measurement)).GetProperty("agreeing").GetInt32());
        Assert.Equal(accepted, (await _client.GetFromJsonAsync<JsonElement>($"{measurement.Path}/audit", Cancel)).GetProperty("totalCount").GetInt32());
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task Only_the_owner_closes_a_measurement_and_reads_its_vote_log()
    {
        // A contributing corporation starts the measurement in the municipality's trajectory: the corporation owns it.
        var municipality = await Tokens.RegisterPartnerAsync("municipality");
        using var municipalityClient = municipality.Authorize(service.CreateClient());
        var trajectory = await Tokens.StartTrajectoryAsync(municipality);
        await Tokens.SetMemberAsync(municipality, trajectory.Id, _corporation.PartnerId, TrajectoryRoles.Contributor);
        var measurement = await _client.CreateMeasurementAsync(trajectory.Id);
        Assert.Equal(_corporation.PartnerId, measurement.Created.GetProperty("partnerId").GetGuid());
        await municipalityClient.VoteManyAsync(measurement, agreeing: 1, disagreeing: 0);

        // The trajectory's lead reads the result, but the corporation's measurement is not its to close or audit.
        Assert.Equal((10, 1, 1, 0, false), (await municipalityClient.ResultAsync(measurement)).Counts());
        await (await municipalityClient.CloseAsync(measurement)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await municipalityClient.GetAsync($"{measurement.Path}/audit", Cancel)).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("open", (await _client.ResultAsync(measurement)).Value("status"));

        using var close = await _client.CloseAsync(measurement);
        Assert.Equal(HttpStatusCode.OK, close.StatusCode);
        Assert.Equal("closed", (await municipalityClient.ResultAsync(measurement)).Value("status"));
    }

    [Fact]
    public async Task An_outsider_finds_no_measurement_and_changes_nothing()
    {
        var measurement = await _client.CreateMeasurementAsync(_trajectory.Id);
        using var outsider = (await MemberAsync(role: null)).Client;

        await (await outsider.GetAsync(measurement.Path, Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await outsider.GetAsync($"{measurement.Path}/result", Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await outsider.GetAsync($"{measurement.Path}/audit", Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
        // Even with a real code from a letter.
        await (await outsider.VoteAsync(measurement, measurement.CodeOf(0), "agree")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await outsider.CloseAsync(measurement)).AssertProblemAsync(HttpStatusCode.NotFound);
        var created = await outsider.PostAsJsonAsync("/v1/support-measurements", NewMeasurement(_trajectory.Id, NewHomes(10)), Cancel);
        await created.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "trajectoryId");
        var list = await outsider.GetFromJsonAsync<JsonElement>("/v1/support-measurements", Cancel);
        Assert.Equal(0, list.GetProperty("totalCount").GetInt32());

        Assert.Equal(1, await CountMeasurementsAsync(_trajectory.Id));
        var result = await _client.ResultAsync(measurement);
        Assert.Equal((10, 0, 0, 0, false), result.Counts());
        Assert.Equal("open", result.Value("status"));
    }

    [Fact]
    public async Task An_observer_reads_the_result_and_enters_votes_but_neither_starts_nor_closes_a_measurement()
    {
        var measurement = await _client.CreateMeasurementAsync(_trajectory.Id);
        using var observer = (await MemberAsync(TrajectoryRoles.Observer, "tenants-organisation")).Client;

        var created = await observer.PostAsJsonAsync("/v1/support-measurements", NewMeasurement(_trajectory.Id, NewHomes(10)), Cancel);
        await created.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(1, await CountMeasurementsAsync(_trajectory.Id));

        // Any partner taking part enters votes for residents, who hold no token of their own.
        using var vote = await observer.VoteAsync(measurement, measurement.CodeOf(0), "agree", "paper-form");
        Assert.Equal(HttpStatusCode.OK, vote.StatusCode);
        Assert.Equal((10, 1, 1, 0, false), (await observer.ResultAsync(measurement)).Counts());
        Assert.Equal(measurement.Id, (await observer.GetFromJsonAsync<JsonElement>(measurement.Path, Cancel)).Id());
        var list = await observer.GetFromJsonAsync<JsonElement>("/v1/support-measurements", Cancel);
        Assert.Equal([measurement.Id], list.GetProperty("items").EnumerateArray().Select(item => item.Id()));

        await (await observer.CloseAsync(measurement)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await observer.GetAsync($"{measurement.Path}/audit", Cancel)).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("open", (await _client.ResultAsync(measurement)).Value("status"));
    }

    [Fact]
    public async Task Fewer_than_10_homes_or_a_home_listed_twice_is_a_422_problem_naming_homes()
    {
        var postcode = NewPostcode();
        object[] twice =
        [
            .. NewHomes(10, postcode),
            // Home 3 again, written differently.
            new { postcode = postcode.ToLowerInvariant(), houseNumber = 3, houseNumberSuffix = string.Empty },
        ];

        var nine = await _client.PostAsJsonAsync("/v1/support-measurements", NewMeasurement(_trajectory.Id, NewHomes(9)), Cancel);
        var none = await _client.PostAsJsonAsync("/v1/support-measurements", NewMeasurement(_trajectory.Id, []), Cancel);
        var duplicate = await _client.PostAsJsonAsync("/v1/support-measurements", NewMeasurement(_trajectory.Id, twice), Cancel);

        var problem = await nine.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "homes");
        Assert.Equal(["homes"], problem.GetProperty("errors").EnumerateObject().Select(error => error.Name));
        await none.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "homes");
        var duplicateProblem = await duplicate.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "homes");
        Assert.Contains($"{postcode.Replace(" ", string.Empty, StringComparison.Ordinal)} 3", duplicateProblem.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(0, await CountMeasurementsAsync(_trajectory.Id));

        // Exactly 10 homes make a complex.
        await _client.CreateMeasurementAsync(_trajectory.Id, homes: 10);
        Assert.Equal(1, await CountMeasurementsAsync(_trajectory.Id));
    }

    [Fact]
    public async Task A_deadline_in_the_past_or_a_malformed_home_is_refused()
    {
        var past = await _client.PostAsJsonAsync(
            "/v1/support-measurements", NewMeasurement(_trajectory.Id, NewHomes(10), DateTimeOffset.UtcNow.AddMinutes(-1)), Cancel);
        object[] malformed = [.. NewHomes(9), new { postcode = "0123 AB", houseNumber = 0, houseNumberSuffix = "a/b" }];
        var badHome = await _client.PostAsJsonAsync("/v1/support-measurements", NewMeasurement(_trajectory.Id, malformed), Cancel);
        var noHomes = await _client.PostAsJsonAsync(
            "/v1/support-measurements", new { trajectoryId = _trajectory.Id, title = "Renovatie", proposal = "Nieuwe kozijnen.", deadline = DateTimeOffset.UtcNow.AddDays(7) }, Cancel);

        await past.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "deadline");
        var problem = await badHome.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(
            ["homes[9].postcode", "homes[9].houseNumber", "homes[9].houseNumberSuffix"],
            problem.GetProperty("errors").EnumerateObject().Select(error => error.Name));
        await noHomes.AssertProblemAsync(HttpStatusCode.BadRequest, "homes");
        Assert.Equal(0, await CountMeasurementsAsync(_trajectory.Id));
    }

    [Fact]
    public async Task A_wrong_code_is_a_422_problem_naming_code_that_reveals_no_home()
    {
        var measurement = await _client.CreateMeasurementAsync(_trajectory.Id);
        var another = await _client.CreateMeasurementAsync(_trajectory.Id);

        using var unknown = await _client.VoteAsync(measurement, SupportMeasurementCodes.New(), "agree");
        using var othersCode = await _client.VoteAsync(measurement, another.CodeOf(0), "agree");
        using var badChoice = await _client.VoteAsync(measurement, measurement.CodeOf(0), "maybe");
        using var noCode = await _client.VoteAsync(measurement, string.Empty, "agree");

        foreach (var response in new[] { unknown, othersCode })
        {
            var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "code");
            Assert.DoesNotContain(measurement.Codes[0].HomeKey.Split(' ')[0], problem.GetRawText(), StringComparison.Ordinal);
        }

        await badChoice.AssertProblemAsync(HttpStatusCode.BadRequest, "choice");
        await noCode.AssertProblemAsync(HttpStatusCode.BadRequest, "code");
        Assert.Equal((10, 0, 0, 0, false), (await _client.ResultAsync(measurement)).Counts());
        Assert.Equal((10, 0, 0, 0, false), (await _client.ResultAsync(another)).Counts());
    }

    [Fact]
    public async Task The_openapi_document_describes_every_support_measurement_operation()
    {
        var document = await _client.GetFromJsonAsync<JsonElement>("/openapi.json", Cancel);

        var operations = document.GetProperty("paths").EnumerateObject()
            .Where(path => path.Name.StartsWith("/support-measurements", StringComparison.Ordinal))
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => (
                Operation: $"{operation.Name.ToUpperInvariant()} {path.Name}",
                Id: operation.Value.GetProperty("operationId").GetString(),
                HasBody: operation.Value.TryGetProperty("requestBody", out _))))
            .OrderBy(operation => operation.Id, StringComparer.Ordinal)
            .ToList();
        Assert.Equal(
            [
                ("POST /support-measurements/{measurementId}/votes", "CastSupportVote", true),
                ("POST /support-measurements/{measurementId}/close", "CloseSupportMeasurement", false),
                ("POST /support-measurements", "CreateSupportMeasurement", true),
                ("GET /support-measurements/{measurementId}", "GetSupportMeasurement", false),
                ("GET /support-measurements/{measurementId}/result", "GetSupportResult", false),
                ("GET /support-measurements", "ListSupportMeasurements", false),
                ("GET /support-measurements/{measurementId}/audit", "ListSupportVoteLog", false),
            ],
            operations);
    }
}
