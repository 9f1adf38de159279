using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using Npgsql;
using Participatie.Contracts;
using Participatie.Testing;
using static Participatie.Consultations.FunctionalTests.Requests;

namespace Participatie.Consultations.FunctionalTests;

public sealed class ConsultationsApiTests(ConsultationsService service, PlatformContainers containers)
    : IClassFixture<ConsultationsService>, IAsyncLifetime
{
    private readonly HttpClient _client = service.CreateClient();

    /// <summary>The municipality this test acts for, with a token of its own.</summary>
    private TestPartner _partner = null!;

    /// <summary>The trajectory the municipality leads, over two buurten of this test's own.</summary>
    private TestTrajectory _trajectory = null!;

    public async ValueTask InitializeAsync()
    {
        _partner = await containers.TokenServer.RegisterPartnerAsync("municipality");
        _partner.Authorize(_client);
        _trajectory = await containers.TokenServer.StartTrajectoryAsync(_partner);
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<int> CountConsultationsAsync(string buurtCode)
    {
        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        return await connection.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM consultations WHERE buurt_code = @BuurtCode", new { BuurtCode = buurtCode });
    }

    [Fact]
    public async Task Opening_a_consultation_answers_201_and_it_can_be_read_back_as_the_callers()
    {
        var buurtCode = _trajectory.BuurtCodes[1];
        var closesOn = DutchToday().AddDays(21);
        var before = DateTimeOffset.UtcNow;

        var created = await _client.PostAsJsonAsync(
            "/v1/consultations",
            NewConsultation(_trajectory.Id, buurtCode, closesOn, title: "  Nieuwe speeltuin  "),
            Cancel);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("1.0.0", created.Headers.GetValues("API-Version").Single());
        var consultation = await created.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        var id = consultation.Id();
        Assert.Equal($"/v1/consultations/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal(_partner.PartnerId, consultation.GetProperty("partnerId").GetGuid());
        Assert.Equal(_trajectory.Id, consultation.GetProperty("trajectoryId").GetGuid());
        Assert.Equal("Nieuwe speeltuin", consultation.Value("title"));
        Assert.Equal(buurtCode, consultation.Value("buurtCode"));
        Assert.Equal(closesOn.ToString("yyyy-MM-dd", null), consultation.Value("closesOn"));
        Assert.InRange(
            consultation.GetProperty("openedAt").GetDateTimeOffset(), before.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));

        var read = await _client.GetFromJsonAsync<JsonElement>($"/v1/consultations/{id}", Cancel);
        Assert.Equal(id, read.Id());
        Assert.Equal("Nieuwe speeltuin", read.Value("title"));
        Assert.Equal(consultation.Value("description"), read.Value("description"));
        Assert.Equal(buurtCode, read.Value("buurtCode"));
        Assert.Equal(closesOn.ToString("yyyy-MM-dd", null), read.Value("closesOn"));
        Assert.Equal(_partner.PartnerId, read.GetProperty("partnerId").GetGuid());
        Assert.Equal(_trajectory.Id, read.GetProperty("trajectoryId").GetGuid());
    }

    [Fact]
    public async Task Opening_records_a_ConsultationOpened_event_in_the_outbox_and_relays_it()
    {
        var buurtCode = _trajectory.BuurtCodes[1];
        var consultation = await _client.OpenConsultationAsync(_trajectory, buurtCode, title: "Veilige oversteek Hoofdweg");

        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        var message = await Eventually.MatchesAsync(
            () => connection.QuerySingleOrDefaultAsync<(string MessageType, string Payload, DateTime? PublishedAt)>(
                "SELECT message_type, payload::text, published_at FROM outbox_messages WHERE payload->>'consultationId' = @Id",
                new { Id = consultation.Id().ToString() }),
            row => row.PublishedAt is not null,
            "the ConsultationOpened event to be relayed");

        Assert.StartsWith("Participatie.Contracts.ConsultationOpened", message.MessageType, StringComparison.Ordinal);
        using var payload = JsonDocument.Parse(message.Payload);
        Assert.Equal(buurtCode, payload.RootElement.Value("buurtCode"));
        Assert.Equal("Veilige oversteek Hoofdweg", payload.RootElement.Value("title"));
        Assert.Equal(_partner.PartnerId, payload.RootElement.GetProperty("partnerId").GetGuid());
        Assert.Equal(_trajectory.Id, payload.RootElement.GetProperty("trajectoryId").GetGuid());
        Assert.Equal(consultation.Value("closesOn"), payload.RootElement.Value("closesOn"));
    }

    [Fact]
    public async Task A_body_that_names_another_partner_as_owner_is_refused_and_nothing_is_stored()
    {
        var buurtCode = _trajectory.BuurtCode;
        var other = await containers.TokenServer.RegisterPartnerAsync();
        await containers.TokenServer.SetMemberAsync(_partner, _trajectory.Id, other.PartnerId, TrajectoryRoles.CoOwner);
        const string title = "Wie is de eigenaar?";

        // The owner is always the caller: a partnerId in the body is not a field of the request, and is named.
        var created = await _client.PostAsJsonAsync(
            "/v1/consultations",
            new
            {
                partnerId = other.PartnerId,
                trajectoryId = _trajectory.Id,
                title,
                description = "Een raadpleging die een andere partner noemt.",
                buurtCode,
                closesOn = DutchToday().AddDays(14),
            },
            Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, created.StatusCode);
        var problem = await created.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.True(problem.GetProperty("errors").TryGetProperty("partnerId", out _), problem.ToString());
        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM consultations WHERE title = @Title AND trajectory_id = @TrajectoryId",
            new { Title = title, TrajectoryId = _trajectory.Id }));
    }

    [Fact]
    public async Task Consultations_of_different_partners_each_belong_to_their_own_partner()
    {
        var buurtCode = _trajectory.BuurtCode;
        var corporation = await containers.TokenServer.RegisterPartnerAsync("housing-corporation");
        await containers.TokenServer.SetMemberAsync(_partner, _trajectory.Id, corporation.PartnerId, TrajectoryRoles.Contributor);
        using var corporationClient = corporation.Authorize(service.CreateClient());

        var mine = await _client.OpenConsultationAsync(_trajectory, buurtCode, "Van de gemeente");
        var theirs = await corporationClient.OpenConsultationAsync(_trajectory, buurtCode, "Van de corporatie");

        var list = await _client.GetFromJsonAsync<JsonElement>($"/v1/consultations?buurtCode={buurtCode}", Cancel);
        var owners = list.GetProperty("items").EnumerateArray()
            .ToDictionary(item => item.Id(), item => item.GetProperty("partnerId").GetGuid());
        Assert.Equal(2, owners.Count);
        Assert.Equal(_partner.PartnerId, owners[mine.Id()]);
        Assert.Equal(corporation.PartnerId, owners[theirs.Id()]);
    }

    [Fact]
    public async Task A_closing_date_in_the_past_gets_a_422_problem_naming_closesOn_while_today_is_accepted()
    {
        var buurtCode = _trajectory.BuurtCode;

        var yesterday = await _client.PostAsJsonAsync(
            "/v1/consultations", NewConsultation(_trajectory.Id, buurtCode, closesOn: DutchToday().AddDays(-1)), Cancel);

        await yesterday.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "closesOn");
        Assert.Equal(0, await CountConsultationsAsync(buurtCode));

        var today = await _client.PostAsJsonAsync(
            "/v1/consultations", NewConsultation(_trajectory.Id, buurtCode, closesOn: DutchToday()), Cancel);
        Assert.Equal(HttpStatusCode.Created, today.StatusCode);
        Assert.Equal(1, await CountConsultationsAsync(buurtCode));
    }

    [Fact]
    public async Task Missing_fields_get_a_400_problem_naming_each_of_them()
    {
        var response = await _client.PostAsJsonAsync("/v1/consultations", new { description = "Alleen een beschrijving." }, Cancel);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "title");
        var errors = problem.GetProperty("errors");
        Assert.Equal(
            ["buurtCode", "closesOn", "title", "trajectoryId"],
            errors.EnumerateObject().Select(error => error.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_malformed_buurt_code_is_a_400_problem_naming_buurtCode_and_is_not_stored()
    {
        var response = await _client.PostAsJsonAsync("/v1/consultations", NewConsultation(_trajectory.Id, "BU0363"), Cancel);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "buurtCode");
        Assert.Equal(0, await CountConsultationsAsync("BU0363"));
    }

    [Fact]
    public async Task A_closing_date_that_is_not_a_date_gets_a_problem_naming_closesOn()
    {
        using var content = new StringContent(
            $$"""
            { "trajectoryId": "{{_trajectory.Id}}", "title": "Park", "description": "Meer bomen?",
              "buurtCode": "{{_trajectory.BuurtCode}}", "closesOn": "31-12-2099" }
            """,
            Encoding.UTF8,
            "application/json");

        var response = await _client.PostAsync("/v1/consultations", content, Cancel);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "closesOn");
    }

    [Fact]
    public async Task The_list_of_a_buurt_pages_newest_first()
    {
        var buurtCode = _trajectory.BuurtCode;
        var first = await _client.OpenConsultationAsync(_trajectory, buurtCode, "Eerste");
        var second = await _client.OpenConsultationAsync(_trajectory, buurtCode, "Tweede");
        var third = await _client.OpenConsultationAsync(_trajectory, buurtCode, "Derde");
        var elsewhere = await _client.OpenConsultationAsync(_trajectory, _trajectory.BuurtCodes[1], "Elders");

        var page1 = await _client.GetFromJsonAsync<JsonElement>(
            $"/v1/consultations?buurtCode={buurtCode}&page=1&pageSize=2", Cancel);
        var page2 = await _client.GetFromJsonAsync<JsonElement>(
            $"/v1/consultations?buurtCode={buurtCode}&page=2&pageSize=2", Cancel);

        Assert.Equal([third.Id(), second.Id()], page1.GetProperty("items").EnumerateArray().Select(item => item.Id()));
        Assert.Equal([first.Id()], page2.GetProperty("items").EnumerateArray().Select(item => item.Id()));
        foreach (var (page, number) in new[] { (page1, 1), (page2, 2) })
        {
            Assert.Equal(number, page.GetProperty("pageNumber").GetInt32());
            Assert.Equal(2, page.GetProperty("pageSize").GetInt32());
            Assert.Equal(3, page.GetProperty("totalCount").GetInt64());
        }

        // Without a buurt: everything of the caller's trajectories, which here is exactly what this test opened.
        var everything = await _client.GetFromJsonAsync<JsonElement>("/v1/consultations?pageSize=100", Cancel);
        Assert.Equal(4, everything.GetProperty("totalCount").GetInt64());
        Assert.Equal(
            [elsewhere.Id(), third.Id(), second.Id(), first.Id()],
            everything.GetProperty("items").EnumerateArray().Select(item => item.Id()));
        Assert.Equal(20, (await _client.GetFromJsonAsync<JsonElement>("/v1/consultations", Cancel)).GetProperty("pageSize").GetInt32());
    }

    [Theory]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=101", "pageSize")]
    [InlineData("page=0", "page")]
    public async Task A_page_out_of_range_is_a_400_problem_naming_the_parameter(string query, string field)
    {
        var response = await _client.GetAsync($"/v1/consultations?{query}", Cancel);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task Unknown_consultations_and_routes_are_problem_404s()
    {
        var id = Guid.NewGuid();
        var unknown = await _client.GetAsync($"/v1/consultations/{id}", Cancel);
        var problem = await unknown.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains(id.ToString(), problem.Value("detail"), StringComparison.Ordinal);

        var noRoute = await _client.GetAsync("/v1/consultations/not-a-guid", Cancel);
        await noRoute.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_service_describes_itself_at_openapi_json()
    {
        var document = await _client.GetFromJsonAsync<JsonElement>("/openapi.json", Cancel);

        Assert.Equal("Participatie Consultations API", document.GetProperty("info").Value("title"));
        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/consultations", out _));
        Assert.True(paths.GetProperty("/consultations/{consultationId}/reactions/{reactionId}/answer").TryGetProperty("put", out _));
    }

    [Fact]
    public async Task The_openapi_document_names_every_path_parameter_of_every_operation()
    {
        var document = await _client.GetFromJsonAsync<JsonElement>("/openapi.json", Cancel);

        // Handlers take what the route access check loaded, not the ids: the document must still name each one.
        var misdescribed = new List<string>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            var inTemplate = Regex.Matches(path.Name, @"\{(\w+)\}").Select(match => match.Groups[1].Value).Order(StringComparer.Ordinal).ToList();
            foreach (var operation in path.Value.EnumerateObject())
            {
                var described = operation.Value.TryGetProperty("parameters", out var parameters)
                    ? parameters.EnumerateArray()
                        .Where(parameter => parameter.GetProperty("in").GetString() == "path")
                        .Select(parameter => parameter.GetProperty("name").GetString()!)
                        .Order(StringComparer.Ordinal)
                        .ToList()
                    : [];
                if (!inTemplate.SequenceEqual(described, StringComparer.Ordinal))
                {
                    misdescribed.Add($"{operation.Name} {path.Name}: [{string.Join(", ", described)}]");
                }
            }
        }

        Assert.Empty(misdescribed);
    }
}
