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
/// The draagvlakmeting (art. 7:220 BW) through the API: a corporation puts a renovation proposal to a complex, the
/// platform sends each home its code by letter, each home votes (with its code, or on a paper form a partner enters),
/// and the proposal is deemed reasonable when 70% of the tenants' homes agree.
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

    private Task<TestMeasurement> CreateAsync(int homes = 10) => _client.CreateMeasurementAsync(service.Services, _trajectory.Id, homes);

    /// <summary>The deadline passes (moved in the database, so that the test need not wait for it).</summary>
    private Task PassDeadlineAsync(TestMeasurement measurement) =>
        QueryAsync<int>("UPDATE support_measurements SET deadline = now() - interval '1 minute' WHERE id = @Id RETURNING 1", new { Id = measurement.Id });

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
    public async Task The_platform_sends_each_homes_code_to_the_letters_and_no_partner_endpoint_answers_one()
    {
        var postcode = NewPostcode();
        object[] homes =
        [
            .. NewHomes(10, postcode),
            new { postcode = postcode.ToLowerInvariant().Replace(" ", string.Empty, StringComparison.Ordinal), houseNumber = 11, houseNumberSuffix = "a" },
            new { postcode, houseNumber = 11, houseNumberSuffix = "B" },
        ];
        var compact = postcode.Replace(" ", string.Empty, StringComparison.Ordinal);
        var letters = await VotingCodeLetters.OfAsync(service.Services);

        using var response = await _client.PostAsJsonAsync("/v1/support-measurements", NewMeasurement(_trajectory.Id, homes), Cancel);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var createdText = await response.Content.ReadAsStringAsync(Cancel);
        var created = JsonDocument.Parse(createdText).RootElement;
        var id = created.Id();
        Assert.Equal($"/v1/support-measurements/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal(_corporation.PartnerId, created.GetProperty("partnerId").GetGuid());
        Assert.Equal(12, created.GetProperty("homeCount").GetInt32());
        Assert.False(created.TryGetProperty("votingCodes", out _));

        // The codes go to the notifications service for the letters, one per home.
        var issued = await letters.IssuedAsync(id);
        var codes = issued.Homes.Select(home => (home.HomeKey, home.Code)).ToList();
        Assert.Equal(_trajectory.Id, issued.TrajectoryId);
        Assert.Equal([.. Enumerable.Range(1, 10).Select(number => $"{compact} {number}"), $"{compact} 11-A", $"{compact} 11-B"], codes.Select(code => code.HomeKey));
        Assert.Equal(12, codes.Select(code => code.Code).Distinct(StringComparer.Ordinal).Count());
        Assert.All(codes, code => Assert.Matches("^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$", code.Code));

        // No partner endpoint answers a code: not the creation, nor reading or listing.
        var read = await _client.GetStringAsync(new Uri($"/v1/support-measurements/{id}", UriKind.Relative), Cancel);
        var list = await _client.GetStringAsync(new Uri($"/v1/support-measurements?trajectoryId={_trajectory.Id}", UriKind.Relative), Cancel);
        Assert.Equal(codes.Select(code => code.HomeKey), JsonDocument.Parse(read).RootElement.GetProperty("homes").EnumerateArray().Select(home => home.GetString()));
        foreach (var (_, code) in codes)
        {
            Assert.DoesNotContain(code, createdText, StringComparison.Ordinal);
            Assert.DoesNotContain(code, read, StringComparison.Ordinal);
            Assert.DoesNotContain(code, list, StringComparison.Ordinal);
        }

        // In the database only their hashes, and the outbox row that carried them is blanked once relayed.
        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        var stored = (await connection.QueryAsync<(string HomeKey, byte[] CodeHash, string Row)>(
            "SELECT home_key, code_hash, h::text FROM support_measurement_homes h WHERE measurement_id = @Id ORDER BY position",
            new { Id = id })).ToList();
        Assert.Equal(codes.Select(code => code.HomeKey), stored.Select(row => row.HomeKey));
        var outbox = await Eventually.MatchesAsync(
            () => connection.QuerySingleAsync<(DateTime? PublishedAt, string Payload)>(
                """
                SELECT published_at, payload::text FROM outbox_messages
                WHERE message_type LIKE 'Participatie.Contracts.SupportVotingCodesIssued,%' AND payload ->> 'measurementId' = @Id
                """,
                new { Id = id.ToString() }),
            row => row.PublishedAt is not null, "the outbox row of the codes to be marked relayed");
        Assert.Equal(12, JsonDocument.Parse(outbox.Payload).RootElement.GetProperty("homes").EnumerateArray().Count(home => home.Value("code") == string.Empty));
        foreach (var ((_, code), row) in codes.Zip(stored))
        {
            Assert.Equal(SupportMeasurementCodes.Hash(id, code), row.CodeHash);
            Assert.DoesNotContain(code, outbox.Payload, StringComparison.OrdinalIgnoreCase);
            foreach (var form in new[] { code, SupportMeasurementCodes.Normalise(code), code.ToLowerInvariant() })
            {
                Assert.DoesNotContain(form, row.Row, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    public static TheoryData<int, int, int, bool> Thresholds => new()
    {
        // homes, agreeing, disagreeing, threshold met
        { 10, 7, 3, true }, // exactly 70%
        { 20, 14, 0, true }, // exactly 70%, 6 homes not voting
        { 10, 6, 4, false }, // just below
        { 10, 6, 0, false }, // every vote cast agrees, but only 60% of the homes
    };

    [Theory]
    [MemberData(nameof(Thresholds))]
    public async Task The_proposal_is_deemed_reasonable_when_70_percent_of_all_homes_agree(int homes, int agreeing, int disagreeing, bool met)
    {
        var measurement = await CreateAsync(homes);

        await _client.VoteManyAsync(measurement, agreeing, disagreeing);

        var result = await _client.ResultAsync(measurement);
        Assert.Equal((homes, agreeing + disagreeing, agreeing, disagreeing, met), result.Counts());
        Assert.Equal(homes - agreeing - disagreeing, result.GetProperty("notVoted").GetInt32());
        Assert.Equal((decimal)agreeing / homes, result.GetProperty("agreeingShare").GetDecimal());
        Assert.Equal(70, result.GetProperty("thresholdPercent").GetInt32());
        Assert.Equal("open", result.Value("status"));
        Assert.False(result.GetProperty("final").GetBoolean());
    }

    [Fact]
    public async Task A_partner_enters_paper_forms_but_never_overwrites_a_residents_vote_nor_another_partners()
    {
        var measurement = await CreateAsync();
        var (tenants, client) = await MemberAsync(TrajectoryRoles.Contributor, "tenants-organisation");
        using var tenantsClient = client;

        // Home 0: the resident votes with the letter code; home 1: the tenants' organisation enters a signed form.
        using var resident = await _client.VoteAsync(measurement, measurement.CodeOf(0), "disagree");
        Assert.Equal(HttpStatusCode.OK, resident.StatusCode);
        using var paper = await tenantsClient.EnterPaperVoteAsync(measurement, measurement.HomeOf(1), "agree", formReference: "SCAN-2025-0042");
        var paperReceipt = await paper.JsonAsync(HttpStatusCode.OK);
        Assert.Equal("paper-form", paperReceipt.Value("channel"));

        // The owner cannot replace the resident's vote, nor the other partner's form: 409 naming the home.
        using var overResident = await _client.EnterPaperVoteAsync(measurement, measurement.HomeOf(0), "agree");
        using var overPartner = await _client.EnterPaperVoteAsync(measurement, measurement.HomeOf(1), "disagree");
        await overResident.AssertProblemAsync(HttpStatusCode.Conflict, "homeKey");
        await overPartner.AssertProblemAsync(HttpStatusCode.Conflict, "homeKey");
        Assert.Equal((10, 2, 1, 1, false), (await _client.ResultAsync(measurement)).Counts());

        // The partner that entered a form corrects it; the resident's own code replaces a form.
        using var corrected = await tenantsClient.EnterPaperVoteAsync(measurement, measurement.HomeOf(1), "disagree", formReference: "SCAN-2025-0043");
        Assert.True((await corrected.JsonAsync(HttpStatusCode.OK)).GetProperty("replacedEarlierVote").GetBoolean());
        using var own = await _client.VoteAsync(measurement, measurement.CodeOf(1), "agree");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        using var afterOwn = await tenantsClient.EnterPaperVoteAsync(measurement, measurement.HomeOf(1), "disagree");
        await afterOwn.AssertProblemAsync(HttpStatusCode.Conflict, "homeKey");
        Assert.Equal((10, 2, 1, 1, false), (await _client.ResultAsync(measurement)).Counts());

        // A home the measurement does not have is a 422 naming it.
        using var unknown = await _client.EnterPaperVoteAsync(measurement, "9999 ZZ 1", "agree");
        await unknown.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "homeKey");

        // The log keeps every change with who entered it: 4 accepted, the refused ones left no trace. While open it shows
        // no choice and no receipt hash, and the home only of a paper form, with the form's reference.
        var log = await _client.GetFromJsonAsync<JsonElement>($"{measurement.Path}/audit", Cancel);
        var entries = log.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(
            [
                ((string?)null, (string?)null, "letter", "resident", (Guid?)null),
                (measurement.HomeOf(1), "SCAN-2025-0042", "paper-form", "partner", tenants.PartnerId),
                (measurement.HomeOf(1), "SCAN-2025-0043", "paper-form", "partner", tenants.PartnerId),
                (null, null, "letter", "resident", null),
            ],
            entries.Select(entry => (
                entry.Value("homeKey"), entry.Value("formReference"), entry.Value("channel")!, entry.Value("enteredBy")!,
                entry.GetProperty("enteredByPartnerId").ValueKind == JsonValueKind.Null ? (Guid?)null : entry.GetProperty("enteredByPartnerId").GetGuid())));
        Assert.All(entries, entry => Assert.Equal<(string?, string?, string?)>(
            (null, null, null), (entry.Value("choice"), entry.Value("previousChoice"), entry.Value("receiptHash"))));
        Assert.Equal(tenants.ClientId, entries[1].Value("enteredByClientId"));
        Assert.False(string.IsNullOrEmpty(entries[1].Value("enteredByStaff")));

        // Once closed the log shows each choice and receipt hash, and neither home nor form reference.
        await PassDeadlineAsync(measurement);
        var closedEntries = (await _client.GetFromJsonAsync<JsonElement>($"{measurement.Path}/audit", Cancel)).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(
            [("disagree", (string?)null), ("agree", null), ("disagree", "agree"), ("agree", "disagree")],
            closedEntries.Select(entry => (entry.Value("choice")!, entry.Value("previousChoice"))));
        Assert.All(closedEntries, entry => Assert.Equal<(string?, string?)>((null, null), (entry.Value("homeKey"), entry.Value("formReference"))));
        Assert.Equal(paperReceipt.Value("receiptHash"), closedEntries[1].Value("receiptHash"));

        // The log is append-only: not even the database changes or removes an entry.
        await AssertDatabaseRefusesAsync(
            "UPDATE support_vote_log SET choice = 'agree' WHERE measurement_id = @Id", new { Id = measurement.Id }, "append-only");
        await AssertDatabaseRefusesAsync("DELETE FROM support_vote_log WHERE measurement_id = @Id", new { Id = measurement.Id }, "append-only");
    }

    [Fact]
    public async Task Nobody_enters_a_coded_vote_for_a_resident_and_an_observer_enters_no_vote_at_all()
    {
        var measurement = await CreateAsync();
        using var observer = (await MemberAsync(TrajectoryRoles.Observer, "tenants-organisation")).Client;

        // The owner holding a code (as a corporation once did) cannot vote with it through the partner API...
        using var ownerWithCode = await _client.PostAsJsonAsync($"{measurement.Path}/votes", new { code = measurement.CodeOf(0), choice = "agree" }, Cancel);
        await ownerWithCode.AssertProblemAsync(HttpStatusCode.BadRequest, "code");
        // ...nor can an observer, with a code or with a paper form.
        using var observerWithCode = await observer.PostAsJsonAsync($"{measurement.Path}/votes", new { code = measurement.CodeOf(0), choice = "agree" }, Cancel);
        await observerWithCode.AssertProblemAsync(HttpStatusCode.Forbidden);
        using var observerPaper = await observer.EnterPaperVoteAsync(measurement, measurement.HomeOf(0), "agree");
        await observerPaper.AssertProblemAsync(HttpStatusCode.Forbidden);
        using var observerExcludes = await observer.PostAsJsonAsync($"{measurement.Path}/exclusions", new { homeKey = measurement.HomeOf(0), reason = "vacant" }, Cancel);
        await observerExcludes.AssertProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal((10, 0, 0, 0, false), (await _client.ResultAsync(measurement)).Counts());
        Assert.Equal(0, (await _client.GetFromJsonAsync<JsonElement>($"{measurement.Path}/audit", Cancel)).GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task Every_member_reads_the_result_and_the_vote_log_and_an_observer_neither_starts_nor_closes()
    {
        var measurement = await CreateAsync();
        using var observer = (await MemberAsync(TrajectoryRoles.Observer, "tenants-organisation")).Client;
        await _client.VoteManyAsync(measurement, agreeing: 1, disagreeing: 0);

        var created = await observer.PostAsJsonAsync("/v1/support-measurements", NewMeasurement(_trajectory.Id, NewHomes(10)), Cancel);
        await created.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(1, await CountMeasurementsAsync(_trajectory.Id));

        // The tenants' organisation, even as observer, checks the count and every vote.
        Assert.Equal((10, 1, 1, 0, false), (await observer.ResultAsync(measurement)).Counts());
        var log = await observer.GetFromJsonAsync<JsonElement>($"{measurement.Path}/audit", Cancel);
        var entry = Assert.Single(log.GetProperty("items").EnumerateArray());
        Assert.Equal(("letter", "resident"), (entry.Value("channel"), entry.Value("enteredBy")));
        var list = await observer.GetFromJsonAsync<JsonElement>("/v1/support-measurements", Cancel);
        Assert.Equal([measurement.Id], list.GetProperty("items").EnumerateArray().Select(item => item.Id()));
    }

    [Fact]
    public async Task Nobody_closes_before_the_deadline_a_422_naming_deadline()
    {
        var measurement = await CreateAsync();
        await _client.VoteManyAsync(measurement, agreeing: 7, disagreeing: 0);

        using var early = await _client.CloseAsync(measurement);

        await early.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "deadline");
        var result = await _client.ResultAsync(measurement);
        Assert.Equal("open", result.Value("status"));
        Assert.False(result.GetProperty("final").GetBoolean());
        // Votes still count.
        using var vote = await _client.VoteAsync(measurement, measurement.CodeOf(7), "disagree");
        Assert.Equal(HttpStatusCode.OK, vote.StatusCode);
    }

    [Fact]
    public async Task At_the_deadline_the_result_is_frozen_home_and_choice_are_unlinked_and_each_home_verifies_its_own_vote()
    {
        var measurement = await CreateAsync();
        var (_, client) = await MemberAsync(TrajectoryRoles.Contributor, "tenants-organisation");
        using var tenantsClient = client;
        var letters = await VotingCodeLetters.OfAsync(service.Services);
        await _client.VoteManyAsync(measurement, agreeing: 6, disagreeing: 1);
        // Home 7 changes its mind: only its last vote counts.
        using (await _client.VoteAsync(measurement, measurement.CodeOf(7), "disagree"))
        {
        }

        var last = await (await _client.VoteAsync(measurement, measurement.CodeOf(7), "agree")).JsonAsync(HttpStatusCode.OK);
        var paper = await (await tenantsClient.EnterPaperVoteAsync(measurement, measurement.HomeOf(8), "disagree")).JsonAsync(HttpStatusCode.OK);
        await PassDeadlineAsync(measurement);

        using var late = await _client.VoteAsync(measurement, measurement.CodeOf(9), "agree");
        await late.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "deadline");
        using var close = await tenantsClient.CloseAsync(measurement);
        var closed = await close.JsonAsync(HttpStatusCode.OK);

        Assert.Equal((10, 9, 7, 2, true), closed.Counts());
        Assert.Equal("closed", closed.Value("status"));
        Assert.True(closed.GetProperty("final").GetBoolean());
        Assert.Equal(closed.GetProperty("deadline").GetDateTimeOffset(), closed.GetProperty("closedAt").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, closed.GetProperty("closedByPartnerId").ValueKind);

        // The written notice to the tenants went out at closing; the 8 weeks to go to court run from it.
        var noticeAt = closed.GetProperty("noticeRequestedAt").GetDateTimeOffset();
        var courtPeriodEndsOn = DateOnly.Parse(closed.Value("courtPeriodEndsOn")!, System.Globalization.CultureInfo.InvariantCulture);
        var noticeDate = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(noticeAt, TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam")).DateTime);
        Assert.InRange(courtPeriodEndsOn.DayNumber - noticeDate.DayNumber, 56, 60);
        Assert.True(courtPeriodEndsOn.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday));
        var notice = Assert.Single(await letters.ClosedAsync(measurement.Id));
        Assert.Equal((10, 7, 2, true, courtPeriodEndsOn), (notice.TenantHomes, notice.Agreeing, notice.Disagreeing, notice.ThresholdMet, notice.CourtPeriodEndsOn));
        Assert.Equal(measurement.Codes.Select(code => code.HomeKey), notice.TenantHomeKeys);

        // Home and choice are unlinked: the log keeps every change and its hash, but no home; the homes no vote.
        var log = await tenantsClient.GetFromJsonAsync<JsonElement>($"{measurement.Path}/audit?pageSize=100", Cancel);
        Assert.Equal(10, log.GetProperty("totalCount").GetInt32());
        Assert.All(log.GetProperty("items").EnumerateArray(), entry => Assert.Equal(JsonValueKind.Null, entry.GetProperty("homeKey").ValueKind));
        Assert.Equal(0, await QueryAsync<int>(
            "SELECT count(*)::int FROM support_measurement_homes WHERE measurement_id = @Id AND (choice IS NOT NULL OR receipt_hash IS NOT NULL)",
            new { Id = measurement.Id }));
        Assert.Equal(0, await QueryAsync<int>(
            "SELECT count(*)::int FROM support_vote_log WHERE measurement_id = @Id AND (home_key IS NOT NULL OR resident_id IS NOT NULL)",
            new { Id = measurement.Id }));

        // The counted votes are the last vote of each home, by hash: they add up to the result.
        var counted = (await tenantsClient.GetFromJsonAsync<JsonElement>($"{measurement.Path}/counted-votes?pageSize=100", Cancel))
            .GetProperty("items").EnumerateArray().Select(vote => (Hash: vote.Value("receiptHash")!, Choice: vote.Value("choice")!)).ToList();
        Assert.Equal(9, counted.Count);
        Assert.Equal(7, counted.Count(vote => vote.Choice == "agree"));
        Assert.Contains((last.Value("receiptHash")!, "agree"), counted);
        Assert.Contains((paper.Value("receiptHash")!, "disagree"), counted);

        // Home 7 recomputes its hash from its receipt and finds it counted, without anyone learning its address.
        var salt = Convert.FromBase64String(last.Value("receipt")!.Replace('-', '+').Replace('_', '/') + "==");
        var recomputed = Convert.ToHexStringLower(SupportVoteReceipts.Hash(measurement.Id, measurement.HomeOf(7), "agree", salt));
        Assert.Equal(last.Value("receiptHash"), recomputed);
        using var anonymous = service.CreateClient();
        var verified = await (await anonymous.GetAsync($"/v1/public/support-measurements/{measurement.Id}/counted-votes/{recomputed}", Cancel)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("agree", verified.Value("choice"));
        var replaced = Convert.ToHexStringLower(SupportVoteReceipts.Hash(measurement.Id, measurement.HomeOf(7), "disagree", salt));
        await (await anonymous.GetAsync($"/v1/public/support-measurements/{measurement.Id}/counted-votes/{replaced}", Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);

        // Closing again and reading again change nothing; no second notice; not even the database changes the result.
        var again = await (await _client.CloseAsync(measurement)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(closed.Counts(), again.Counts());
        Assert.Equal(noticeAt, again.GetProperty("noticeRequestedAt").GetDateTimeOffset());
        Assert.Single(letters.ClosedSoFar(measurement.Id));
        await AssertDatabaseRefusesAsync(
            "UPDATE support_measurements SET final_agreeing = 10, final_votes = 12 WHERE id = @Id", new { Id = measurement.Id }, "is closed");
        await AssertDatabaseRefusesAsync(
            "UPDATE support_measurement_homes SET choice = 'agree' WHERE measurement_id = @Id", new { Id = measurement.Id }, "is closed");
        await AssertDatabaseRefusesAsync(
            "DELETE FROM support_counted_votes WHERE measurement_id = @Id", new { Id = measurement.Id }, "final");
    }

    [Fact]
    public async Task Vacant_and_owner_occupied_homes_are_left_out_of_the_count_with_a_reason_before_the_first_vote()
    {
        var measurement = await CreateAsync();
        var (tenants, client) = await MemberAsync(TrajectoryRoles.Contributor, "tenants-organisation");
        using var tenantsClient = client;
        var letters = await VotingCodeLetters.OfAsync(service.Services);

        using var vacant = await _client.PostAsJsonAsync($"{measurement.Path}/exclusions", new { homeKey = measurement.HomeOf(8), reason = "vacant", note = "Leeg sinds maart" }, Cancel);
        using var owned = await tenantsClient.PostAsJsonAsync($"{measurement.Path}/exclusions", new { homeKey = measurement.HomeOf(9), reason = "owner-occupied" }, Cancel);
        Assert.Equal("vacant", (await vacant.JsonAsync(HttpStatusCode.OK)).Value("reason"));
        Assert.Equal(tenants.PartnerId, (await owned.JsonAsync(HttpStatusCode.OK)).GetProperty("excludedByPartnerId").GetGuid());
        var read = await tenantsClient.GetFromJsonAsync<JsonElement>(measurement.Path, Cancel);
        Assert.Equal(
            [(measurement.HomeOf(8), "vacant", "Leeg sinds maart"), (measurement.HomeOf(9), "owner-occupied", (string?)null)],
            read.GetProperty("excludedHomes").EnumerateArray().Select(home => (home.Value("homeKey")!, home.Value("reason")!, home.Value("note"))));

        // Not a home twice, nor with a reason the law does not know; a partner's paper form does not bring a home back.
        await (await _client.PostAsJsonAsync($"{measurement.Path}/exclusions", new { homeKey = measurement.HomeOf(8), reason = "owner-occupied" }, Cancel))
            .AssertProblemAsync(HttpStatusCode.Conflict, "homeKey");
        await (await _client.PostAsJsonAsync($"{measurement.Path}/exclusions", new { homeKey = measurement.HomeOf(7), reason = "disagrees" }, Cancel))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "reason");
        await (await tenantsClient.EnterPaperVoteAsync(measurement, measurement.HomeOf(8), "agree")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "homeKey");

        // 6 of the 8 tenants' homes agree: 75%.
        await _client.VoteManyAsync(measurement, agreeing: 6, disagreeing: 1);
        var result = await _client.ResultAsync(measurement);
        Assert.Equal((8, 7, 6, 1, true), result.Counts());
        Assert.Equal((10, 2), (result.GetProperty("complexHomes").GetInt32(), result.GetProperty("excludedHomes").GetInt32()));

        // Once the first vote is cast, leaving out a home that has not voted could tip the 70%: 409 naming the home.
        await (await _client.PostAsJsonAsync($"{measurement.Path}/exclusions", new { homeKey = measurement.HomeOf(7), reason = "vacant" }, Cancel))
            .AssertProblemAsync(HttpStatusCode.Conflict, "homeKey");
        await (await tenantsClient.PostAsJsonAsync($"{measurement.Path}/exclusions", new { homeKey = measurement.HomeOf(0), reason = "owner-occupied" }, Cancel))
            .AssertProblemAsync(HttpStatusCode.Conflict, "homeKey");
        Assert.Equal(2, (await _client.ResultAsync(measurement)).GetProperty("excludedHomes").GetInt32());

        // After the deadline nothing is left out any more, and the frozen result keeps the exclusions.
        await PassDeadlineAsync(measurement);
        await (await _client.PostAsJsonAsync($"{measurement.Path}/exclusions", new { homeKey = measurement.HomeOf(7), reason = "vacant" }, Cancel))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "deadline");
        var final = await _client.ResultAsync(measurement);
        Assert.True(final.GetProperty("final").GetBoolean());
        Assert.Equal((8, 7, 6, 1, true), final.Counts());
        Assert.Equal(2, final.GetProperty("excludedHomes").GetInt32());

        // The notice of the result goes to every home, the excluded ones too: a tenant living there learns of it.
        var notice = Assert.Single(await letters.ClosedAsync(measurement.Id));
        Assert.Equal(measurement.Codes.Select(code => code.HomeKey), notice.TenantHomeKeys);
        Assert.Equal(8, notice.TenantHomes);
    }

    [Fact]
    public async Task A_residents_own_vote_for_an_excluded_home_brings_it_back_into_the_count_and_the_log_says_so()
    {
        var measurement = await CreateAsync();
        using (var excluded = await _client.PostAsJsonAsync($"{measurement.Path}/exclusions", new { homeKey = measurement.HomeOf(4), reason = "vacant" }, Cancel))
        {
            await excluded.JsonAsync(HttpStatusCode.OK);
        }

        Assert.Equal(9, (await _client.ResultAsync(measurement)).GetProperty("homes").GetInt32());

        // Someone lives there after all: the resident votes with the code from the letter.
        var receipt = await (await _client.VoteAsync(measurement, measurement.CodeOf(4), "disagree")).JsonAsync(HttpStatusCode.OK);

        var result = await _client.ResultAsync(measurement);
        Assert.Equal((10, 1, 0, 1, false), result.Counts());
        Assert.Equal(0, result.GetProperty("excludedHomes").GetInt32());
        Assert.Empty((await _client.GetFromJsonAsync<JsonElement>(measurement.Path, Cancel)).GetProperty("excludedHomes").EnumerateArray());
        var entry = Assert.Single((await _client.GetFromJsonAsync<JsonElement>($"{measurement.Path}/audit", Cancel)).GetProperty("items").EnumerateArray());
        Assert.Equal(("vacant", "resident"), (entry.Value("undidExclusion"), entry.Value("enteredBy")));

        // The vote counts in the final result, as the resident cast it.
        await PassDeadlineAsync(measurement);
        Assert.Equal((10, 1, 0, 1, false), (await _client.ResultAsync(measurement)).Counts());
        var counted = (await _client.GetFromJsonAsync<JsonElement>($"{measurement.Path}/counted-votes", Cancel)).GetProperty("items").EnumerateArray();
        Assert.Equal(receipt.Value("receiptHash"), Assert.Single(counted).Value("receiptHash"));
    }

    [Fact]
    public async Task A_paper_form_needs_its_reference_a_400_naming_formReference()
    {
        var measurement = await CreateAsync();

        using var missing = await _client.PostAsJsonAsync($"{measurement.Path}/votes", new { homeKey = measurement.HomeOf(0), choice = "agree" }, Cancel);
        using var blank = await _client.EnterPaperVoteAsync(measurement, measurement.HomeOf(0), "agree", formReference: "  ");
        using var tooLong = await _client.EnterPaperVoteAsync(measurement, measurement.HomeOf(0), "agree", formReference: new string('7', 101));

        await missing.AssertProblemAsync(HttpStatusCode.BadRequest, "formReference");
        await blank.AssertProblemAsync(HttpStatusCode.BadRequest, "formReference");
        await tooLong.AssertProblemAsync(HttpStatusCode.BadRequest, "formReference");
        Assert.Equal((10, 0, 0, 0, false), (await _client.ResultAsync(measurement)).Counts());

        using var longest = await _client.EnterPaperVoteAsync(measurement, measurement.HomeOf(0), "agree", formReference: new string('7', 100));
        await longest.JsonAsync(HttpStatusCode.OK);
        var entry = Assert.Single((await _client.GetFromJsonAsync<JsonElement>($"{measurement.Path}/audit", Cancel)).GetProperty("items").EnumerateArray());
        Assert.Equal(new string('7', 100), entry.Value("formReference"));
    }

    [Fact]
    public async Task Votes_entered_at_the_same_time_count_each_home_once_and_the_log_keeps_every_change_in_order()
    {
        var measurement = await CreateAsync();
        var code = measurement.CodeOf(0);

        // Home 0 votes ten times at once, alternating; homes 1 to 9 vote once each, at the same time.
        var responses = await Task.WhenAll(
            Enumerable.Range(0, 10).Select(attempt => _client.VoteAsync(measurement, code, attempt % 2 == 0 ? "agree" : "disagree"))
                .Concat(Enumerable.Range(1, 9).Select(home => _client.VoteAsync(measurement, measurement.CodeOf(home), "agree"))));

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        var result = await _client.ResultAsync(measurement);
        Assert.Equal(10, result.GetProperty("votes").GetInt32());
        var log = await _client.GetFromJsonAsync<JsonElement>($"{measurement.Path}/audit?pageSize=100", Cancel);
        Assert.Equal(19, log.GetProperty("totalCount").GetInt32());
        // The open log names no home of a resident's vote: home 0's changes are read from the database.
        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        var homeZero = (await connection.QueryAsync<(string Choice, string? Previous)>(
            "SELECT choice, previous_choice FROM support_vote_log WHERE measurement_id = @Id AND home_key = @HomeKey ORDER BY id",
            new { Id = measurement.Id, HomeKey = measurement.HomeOf(0) })).ToList();
        Assert.Equal(10, homeZero.Count);
        // Each change names the vote it replaced: none was lost between two at once.
        Assert.Null(homeZero[0].Previous);
        Assert.All(homeZero.Skip(1).Zip(homeZero), pair => Assert.Equal(pair.Second.Choice, pair.First.Previous));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task An_outsider_finds_no_measurement_and_changes_nothing()
    {
        var measurement = await CreateAsync();
        using var outsider = (await MemberAsync(role: null)).Client;

        await (await outsider.GetAsync(measurement.Path, Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await outsider.GetAsync($"{measurement.Path}/result", Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await outsider.GetAsync($"{measurement.Path}/audit", Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await outsider.GetAsync($"{measurement.Path}/counted-votes", Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await outsider.EnterPaperVoteAsync(measurement, measurement.HomeOf(0), "agree")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await outsider.CloseAsync(measurement)).AssertProblemAsync(HttpStatusCode.NotFound);
        var created = await outsider.PostAsJsonAsync("/v1/support-measurements", NewMeasurement(_trajectory.Id, NewHomes(10)), Cancel);
        await created.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "trajectoryId");
        var list = await outsider.GetFromJsonAsync<JsonElement>("/v1/support-measurements", Cancel);
        Assert.Equal(0, list.GetProperty("totalCount").GetInt32());

        Assert.Equal(1, await CountMeasurementsAsync(_trajectory.Id));
        Assert.Equal((10, 0, 0, 0, false), (await _client.ResultAsync(measurement)).Counts());
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
        await CreateAsync(10);
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
        var measurement = await CreateAsync();
        var another = await CreateAsync();

        using var unknown = await _client.VoteAsync(measurement, SupportMeasurementCodes.New(), "agree");
        using var othersCode = await _client.VoteAsync(measurement, another.CodeOf(0), "agree");
        using var badChoice = await _client.VoteAsync(measurement, measurement.CodeOf(0), "maybe");
        using var noCode = await _client.VoteAsync(measurement, string.Empty, "agree");

        foreach (var response in new[] { unknown, othersCode })
        {
            var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "code");
            Assert.DoesNotContain(measurement.HomeOf(0).Split(' ')[0], problem.GetRawText(), StringComparison.Ordinal);
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
                ("POST /support-measurements/{measurementId}/close", "CloseSupportMeasurement", false),
                ("POST /support-measurements", "CreateSupportMeasurement", true),
                ("POST /support-measurements/{measurementId}/votes", "EnterPaperVote", true),
                ("POST /support-measurements/{measurementId}/exclusions", "ExcludeSupportMeasurementHome", true),
                ("GET /support-measurements/{measurementId}/exports/result", "ExportSupportResult", false),
                ("GET /support-measurements/{measurementId}", "GetSupportMeasurement", false),
                ("GET /support-measurements/{measurementId}/result", "GetSupportResult", false),
                ("GET /support-measurements/{measurementId}/counted-votes", "ListCountedSupportVotes", false),
                ("GET /support-measurements", "ListSupportMeasurements", false),
                ("GET /support-measurements/{measurementId}/audit", "ListSupportVoteLog", false),
            ],
            operations);
    }
}
