using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Npgsql;
using Participatie.Contracts;
using Participatie.Testing;
using static Participatie.Consultations.FunctionalTests.AnswerWorkflowRequests;
using static Participatie.Consultations.FunctionalTests.Requests;
using static Participatie.Consultations.FunctionalTests.SupportMeasurementRequests;

namespace Participatie.Consultations.FunctionalTests;

/// <summary>
/// Who gets in at all: only a partner, with a token that the platform's token server signed for this audience. The
/// service checks this itself, so a request that bypasses the gateway gets no further.
/// </summary>
public sealed class AuthenticationTests(ConsultationsService service, PlatformContainers containers)
    : IClassFixture<ConsultationsService>, IAsyncLifetime
{
    private const string Issuer = ServiceFactory<Participatie.Consultations.EntryPoint>.Issuer;
    private const string Audience = "participatie-api";
    private const string Explanation = "We plaatsen in het voorjaar drie extra bankjes.";

    /// <summary>Sends no token of its own: each request carries the one the test chose.</summary>
    private readonly HttpClient _client = service.CreateClient();

    private TestPartner _partner = null!;

    /// <summary>The partner's trajectory: its first buurt has the consultation, its second is still empty.</summary>
    private TestTrajectory _trajectory = null!;
    private Guid _consultationId;
    private Guid _reactionId;

    /// <summary>A resident of the consultation's buurt, for whom the owner's reaction body is accepted.</summary>
    private Guid _residentId;

    public async ValueTask InitializeAsync()
    {
        _partner = await containers.TokenServer.RegisterPartnerAsync("municipality");
        _trajectory = await containers.TokenServer.StartTrajectoryAsync(_partner);
        using var owner = _partner.Authorize(service.CreateClient());
        await owner.WaitForTrajectoryAsync(_trajectory.Id);
        _consultationId = (await owner.OpenConsultationAsync(_trajectory)).Id();
        _reactionId = (await owner.SubmitReactionAsync(containers, _consultationId)).Id();
        _residentId = await containers.NewResidentOfAsync(_consultationId);
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Every operation of the API as its OpenAPI document lists it (so a new endpoint is covered without a line here),
    /// with the test's own ids in the path and a body: for the operations named in <see cref="Bodies"/> one that the
    /// owning partner would get accepted, for the others an empty object (refused or not, it is not authentication
    /// that decides on it). Ids the test has no resource for are new, and lead to a 404 at worst.
    /// </summary>
    private async Task<List<(HttpMethod Method, string Path, object? Body, string OperationId)>> EndpointsAsync(
        string buurtCode,
        IReadOnlyDictionary<string, Guid>? moreIds = null,
        IReadOnlyDictionary<string, object>? moreBodies = null,
        ApiArea area = ApiArea.Partners)
    {
        var document = await _client.GetFromJsonAsync<JsonElement>("/openapi.json", Cancel);
        var server = document.GetProperty("servers")[0].GetProperty("url").GetString()!.TrimEnd('/');
        var ids = new Dictionary<string, Guid>(StringComparer.Ordinal)
        {
            ["consultationId"] = _consultationId,
            ["reactionId"] = _reactionId,
            ["trajectoryId"] = _trajectory.Id,
        };
        foreach (var (name, id) in moreIds ?? new Dictionary<string, Guid>())
        {
            ids[name] = id;
        }

        var bodies = Bodies(buurtCode);
        foreach (var (operationId, body) in moreBodies ?? new Dictionary<string, object>())
        {
            bodies[operationId] = body;
        }

        var endpoints = new List<(HttpMethod, string, object?, string)>();
        foreach (var path in document.GetProperty("paths").EnumerateObject().Where(path => AreaOf(path.Name) == area))
        {
            var concrete = System.Text.RegularExpressions.Regex.Replace(
                path.Name, "{([^}:]+)(:[^}]*)?}", match => ids.GetValueOrDefault(match.Groups[1].Value, Guid.NewGuid()).ToString());
            foreach (var operation in path.Value.EnumerateObject().Where(operation => operation.Name is "get" or "post" or "put" or "patch" or "delete"))
            {
                var operationId = operation.Value.GetProperty("operationId").GetString()!;
                var body = operation.Value.TryGetProperty("requestBody", out _) ? bodies.GetValueOrDefault(operationId, new { }) : null;
                endpoints.Add((new HttpMethod(operation.Name.ToUpperInvariant()), server + concrete, body, operationId));
            }
        }

        // A floor, so that an enumeration that finds nothing cannot pass: the partners' API had 43 operations when this
        // was written, the residents' own 14 and the public one 2.
        var floor = area switch { ApiArea.Partners => 43, ApiArea.Residents => 14, _ => 2 };
        Assert.True(endpoints.Count >= floor, $"Only {endpoints.Count} {area} operations in the consultations API's OpenAPI document.");
        return endpoints;
    }

    /// <summary>Who an operation is for: partners, a resident with their own token (/me), or anyone (/public).</summary>
    private enum ApiArea
    {
        Partners,
        Residents,
        Public,
    }

    private static ApiArea AreaOf(string path) =>
        path.StartsWith("/me/", StringComparison.Ordinal) ? ApiArea.Residents
        : path.StartsWith("/public/", StringComparison.Ordinal) ? ApiArea.Public
        : ApiArea.Partners;

    [Fact]
    public async Task A_resident_token_is_forbidden_on_every_partner_endpoint_and_a_partner_token_on_every_residents_endpoint()
    {
        var buurtCode = _trajectory.BuurtCodes[1];
        var residentToken = containers.TokenServer.IssueResidentToken(Guid.NewGuid());

        foreach (var (method, path, body, operationId) in await EndpointsAsync(buurtCode))
        {
            using var response = await SendAsync(method, path, body, residentToken);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{operationId} ({method} {path}) with a resident token: {(int)response.StatusCode}");
            await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        }

        foreach (var (method, path, body, operationId) in await EndpointsAsync(buurtCode, area: ApiArea.Residents))
        {
            using var withPartner = await SendAsync(method, path, body, _partner.AccessToken);
            Assert.True(withPartner.StatusCode == HttpStatusCode.Forbidden, $"{operationId} ({method} {path}) with a partner token: {(int)withPartner.StatusCode}");
            await withPartner.AssertProblemAsync(HttpStatusCode.Forbidden);
            using var withoutToken = await SendAsync(method, path, body, token: null);
            await withoutToken.AssertProblemAsync(HttpStatusCode.Unauthorized);
            // The resident's own token gets in: whatever the answer (404 for an id that is not theirs), it is no refusal of the token.
            using var withResident = await SendAsync(method, path, body, residentToken);
            Assert.True(
                withResident.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden),
                $"{operationId} ({method} {path}) with a resident token: {(int)withResident.StatusCode}");
        }

        foreach (var (method, path, body, operationId) in await EndpointsAsync(buurtCode, area: ApiArea.Public))
        {
            using var response = await SendAsync(method, path, body, token: null);
            Assert.True(
                response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden),
                $"{operationId} ({method} {path}) is public, yet without a token: {(int)response.StatusCode}");
        }

        await AssertNothingChangedAsync(buurtCode);
    }

    /// <summary>Bodies the owning partner gets accepted, for the operations the tests below expect to succeed.</summary>
    private Dictionary<string, object> Bodies(string buurtCode) => new(StringComparer.Ordinal)
    {
        ["OpenConsultation"] = NewConsultation(_trajectory.Id, buurtCode),
        ["SubmitReaction"] = new { residentId = _residentId, text = "Mag ik meedoen?" },
        ["AnswerReaction"] = new { status = "adopted", explanation = Explanation },
    };

    /// <summary>Operations that succeed for the owner with the test's ids and <see cref="Bodies"/>: its token did get it in.</summary>
    private static readonly HashSet<string> SucceedForTheOwner =
        ["ListConsultations", "GetConsultation", "ListReactions", "SubmitReaction", "GetReaction", "AnswerReaction", "OpenConsultation"];

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body, string? token)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await _client.SendAsync(request, Cancel);
    }

    private Task<HttpResponseMessage> ListAsync(string token) => SendAsync(HttpMethod.Get, "/v1/consultations", null, token);

    /// <summary>Nothing that the refused requests of <see cref="Endpoints"/> would have written is there.</summary>
    private async Task AssertNothingChangedAsync(string buurtCode)
    {
        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM consultations WHERE buurt_code = @BuurtCode", new { BuurtCode = buurtCode }));
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM reactions WHERE consultation_id = @Id", new { Id = _consultationId }));
        Assert.Equal("received", await connection.ExecuteScalarAsync<string>(
            "SELECT status FROM reactions WHERE id = @Id", new { Id = _reactionId }));
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM reaction_status_changes WHERE reaction_id = @Id", new { Id = _reactionId }));
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM outbox_messages WHERE message_type LIKE 'Participatie.Contracts.ReactionAnswered%' AND payload->>'reactionId' = @Id",
            new { Id = _reactionId.ToString() }));
    }

    /// <summary>The key the token server signs with, read from its database: a test can sign what the platform would.</summary>
    private async Task<RsaSecurityKey> PlatformSigningKeyAsync()
    {
        var connectionString = new NpgsqlConnectionStringBuilder(containers.Postgres.GetConnectionString()) { Database = "token_server" }
            .ConnectionString;
        // Stored encrypted (issue 11): the test decrypts it with the key-encryption key the fixture configured.
        var key = await TokenServer.ReadSigningKeyAsync(connectionString);
        // The token the test partner got names this key, so this is the key that really signs.
        Assert.Equal(key.KeyId, new JsonWebToken(_partner.AccessToken).Kid);
        return key;
    }

    /// <summary>A token like the token server's, for the test partner, signed with the given key (or not at all).</summary>
    private string CreateToken(
        SecurityKey? key,
        bool withPartnerId = true,
        string? scope = "api",
        string issuer = Issuer,
        string audience = Audience,
        DateTime? expires = null)
    {
        var claims = new Dictionary<string, object> { ["sub"] = _partner.ClientId, ["client_id"] = _partner.ClientId };
        if (withPartnerId)
        {
            claims["partner_id"] = _partner.PartnerId.ToString();
        }

        if (scope is not null)
        {
            claims["scope"] = scope;
        }

        var until = expires ?? DateTime.UtcNow.AddHours(1);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = until.AddHours(-1),
            NotBefore = until.AddHours(-1),
            Expires = until,
            TokenType = "at+jwt",
            SigningCredentials = key is null ? null : new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }

    private static async Task AssertRejectedTokenAsync(HttpResponseMessage response)
    {
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains("invalid_token", challenge.Parameter ?? string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_token_every_endpoint_answers_a_401_problem_and_nothing_is_stored()
    {
        var buurtCode = _trajectory.BuurtCodes[1];

        foreach (var (method, path, body, operationId) in await EndpointsAsync(buurtCode))
        {
            var response = await SendAsync(method, path, body, token: null);

            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{operationId} ({method} {path}) without a token: {(int)response.StatusCode}");
            await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
            Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        }

        await AssertNothingChangedAsync(buurtCode);
    }

    [Fact]
    public async Task The_partners_own_token_is_accepted_on_every_endpoint()
    {
        var buurtCode = _trajectory.BuurtCodes[1];
        var succeeded = new List<string>();

        foreach (var (method, path, body, operationId) in await EndpointsAsync(buurtCode))
        {
            var response = await SendAsync(method, path, body, _partner.AccessToken);
            var text = await response.Content.ReadAsStringAsync(Cancel);

            // Authenticated and authorised: whatever else the answer is (404 for an id it has no resource for, 400
            // for an empty body), it is not a refusal of the token or of the partner.
            Assert.True(
                response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden),
                $"{operationId} ({method} {path}) with the owner's token: {(int)response.StatusCode} {text}");
            if (SucceedForTheOwner.Contains(operationId))
            {
                Assert.True(response.IsSuccessStatusCode, $"{operationId} ({method} {path}): {(int)response.StatusCode} {text}");
                succeeded.Add(operationId);
            }
        }

        Assert.Equal(SucceedForTheOwner.Order(StringComparer.Ordinal), succeeded.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("not a JWT at all")]
    [InlineData("a JWT with a made-up signature")]
    public async Task A_garbage_token_is_a_401_problem(string garbage)
    {
        var token = garbage == "not a JWT at all"
            ? "not-a-token"
            // {"alg":"RS256","typ":"at+jwt"}.{"partner_id":"1","scope":"api"}.signature
            : "eyJhbGciOiJSUzI1NiIsInR5cCI6ImF0K2p3dCJ9.eyJwYXJ0bmVyX2lkIjoiMSIsInNjb3BlIjoiYXBpIn0.c2lnbmF0dXJl";

        await AssertRejectedTokenAsync(await ListAsync(token));
    }

    [Fact]
    public async Task An_unsigned_token_with_the_right_claims_is_a_401_problem()
    {
        var unsigned = CreateToken(key: null);
        Assert.Equal("none", new JsonWebToken(unsigned).Alg);

        await AssertRejectedTokenAsync(await ListAsync(unsigned));
    }

    [Fact]
    public async Task A_token_signed_by_another_key_is_a_401_problem_while_the_platforms_key_gets_the_same_claims_in()
    {
        var platformKey = await PlatformSigningKeyAsync();
        // Another key under the platform key's id: only the signature tells them apart.
        using var otherRsa = RSA.Create(2048);
        var otherKey = new RsaSecurityKey(otherRsa) { KeyId = platformKey.KeyId };
        var buurtCode = _trajectory.BuurtCodes[1];

        var forged = await SendAsync(HttpMethod.Post, "/v1/consultations", NewConsultation(_trajectory.Id, buurtCode), CreateToken(otherKey));

        await AssertRejectedTokenAsync(forged);
        await AssertNothingChangedAsync(buurtCode);

        var genuine = await SendAsync(HttpMethod.Post, "/v1/consultations", NewConsultation(_trajectory.Id, buurtCode), CreateToken(platformKey));
        Assert.Equal(HttpStatusCode.Created, genuine.StatusCode);
        var consultation = await genuine.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal(_partner.PartnerId, consultation.GetProperty("partnerId").GetGuid());
    }

    [Theory]
    [InlineData("expired")]
    [InlineData("another issuer")]
    [InlineData("another audience")]
    public async Task A_token_signed_by_the_platform_but_expired_or_meant_for_someone_else_is_a_401_problem(string flaw)
    {
        var key = await PlatformSigningKeyAsync();
        var token = flaw switch
        {
            "expired" => CreateToken(key, expires: DateTime.UtcNow.AddMinutes(-5)),
            "another issuer" => CreateToken(key, issuer: "http://elsewhere.test/"),
            _ => CreateToken(key, audience: "another-api"),
        };

        await AssertRejectedTokenAsync(await ListAsync(token));
    }

    [Theory]
    [InlineData(false, "api")]
    [InlineData(true, null)]
    [InlineData(true, "platform")]
    public async Task A_valid_token_without_a_partner_or_the_api_scope_is_a_403_problem(bool withPartnerId, string? scope)
    {
        var token = CreateToken(await PlatformSigningKeyAsync(), withPartnerId, scope);

        await (await ListAsync(token)).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_platform_operator_is_forbidden_on_every_endpoint_with_a_403_problem_and_nothing_is_stored()
    {
        var operatorToken = await containers.TokenServer.GetOperatorTokenAsync();
        var claims = new JsonWebToken(operatorToken);
        Assert.Equal("platform", claims.GetClaim("scope").Value);
        Assert.False(claims.TryGetClaim("partner_id", out _));
        var buurtCode = _trajectory.BuurtCodes[1];

        foreach (var (method, path, body, operationId) in await EndpointsAsync(buurtCode))
        {
            var response = await SendAsync(method, path, body, operatorToken);

            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{operationId} ({method} {path}) as the operator: {(int)response.StatusCode}");
            await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        }

        await AssertNothingChangedAsync(buurtCode);
    }

    /// <summary>A text in every supported language, as questionnaires and polls require.</summary>
    private static Dictionary<string, string> InAll(string text) => Languages.All.ToDictionary(language => language, _ => text, StringComparer.Ordinal);

    /// <summary>
    /// Something of every kind in the owner's consultation (a theme with the reaction in it, a meeting with a resident
    /// registered, a questionnaire, a poll, a support measurement), so that every path names a real resource; and a
    /// body for every operation that the owner would get accepted, so that only the caller's role can refuse it.
    /// </summary>
    private async Task<(Dictionary<string, Guid> Ids, Dictionary<string, object> Bodies)> OwnerWithEverythingAsync(HttpClient owner)
    {
        var consultation = $"/v1/consultations/{_consultationId}";
        var themeId = (await owner.CreateThemeAsync(_consultationId, "Groen", "Bomen in plaats van stenen")).Id();
        Assert.Equal(HttpStatusCode.OK, (await owner.AddToThemeAsync(_consultationId, themeId, _reactionId)).StatusCode);
        var startsAt = DateTimeOffset.UtcNow.AddDays(10);
        var meeting = new { place = "Buurthuis De Meeuw", startsAt, endsAt = startsAt.AddHours(2), capacity = 40 };
        using var planned = await owner.PostAsJsonAsync($"{consultation}/meetings", meeting, Cancel);
        Assert.True(planned.StatusCode == HttpStatusCode.Created, await planned.Content.ReadAsStringAsync(Cancel));
        var meetingId = (await planned.Content.ReadFromJsonAsync<JsonElement>(Cancel)).Id();
        var residentId = await containers.NewResidentOfAsync(_consultationId);
        using (var registered = await owner.PostAsJsonAsync($"{consultation}/meetings/{meetingId}/registrations", new { residentId }, Cancel))
        {
            Assert.True(registered.StatusCode == HttpStatusCode.Created, await registered.Content.ReadAsStringAsync(Cancel));
        }

        var questionnaire = new { questions = new[] { new { id = "wensen", type = "open", texts = InAll("Wat wilt u op het plein?") } } };
        var poll = new { texts = InAll("Welke naam?"), options = new[] { new { id = "meeuw", texts = InAll("Meeuwplein") }, new { id = "zon", texts = InAll("Zonneplein") } } };
        foreach (var (part, body) in new (string, object)[] { ("questionnaire", questionnaire), ("poll", poll) })
        {
            using var set = await owner.PutAsJsonAsync($"{consultation}/{part}", body, Cancel);
            Assert.True(set.StatusCode == HttpStatusCode.Created, await set.Content.ReadAsStringAsync(Cancel));
        }

        var measurement = await owner.CreateMeasurementAsync(service.Services, _trajectory.Id);
        var ids = new Dictionary<string, Guid>(StringComparer.Ordinal)
        {
            ["themeId"] = themeId,
            ["meetingId"] = meetingId,
            ["residentId"] = residentId,
            ["measurementId"] = measurement.Id,
        };
        var bodies = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["SetTrajectorySettings"] = new { answerWorkingDays = 10 },
            ["CreateMeeting"] = meeting,
            ["RegisterForMeeting"] = new { residentId = await containers.NewResidentOfAsync(_consultationId) },
            ["RecordMeetingAttendance"] = new { attended = true },
            ["SetQuestionnaire"] = questionnaire,
            ["SubmitQuestionnaireResponse"] = new { residentId = await containers.NewResidentOfAsync(_consultationId), answers = new[] { new { questionId = "wensen", text = "Bankjes" } } },
            ["SetPoll"] = poll,
            ["SubmitPollResponse"] = new { residentId = await containers.NewResidentOfAsync(_consultationId), optionId = "meeuw" },
            ["AssignReaction"] = new { partnerId = _partner.PartnerId, assignee = "j.devries@example.org" },
            ["AddInternalNote"] = new { text = "Bellen na de bewonersavond", author = "Jan" },
            ["CreateSupportMeasurement"] = NewMeasurement(_trajectory.Id, NewHomes(10)),
            ["EnterPaperVote"] = new { homeKey = measurement.HomeOf(0), choice = "agree", formReference = "FORM-0001" },
            ["ExcludeSupportMeasurementHome"] = new { homeKey = measurement.HomeOf(1), reason = "vacant" },
            ["CreateTheme"] = new { title = "Verkeer", description = "Minder auto's" },
            ["AddReactionsToTheme"] = new { reactionIds = new[] { _reactionId } },
            ["AnswerTheme"] = new { status = "adopted", explanation = Explanation },
        };
        return (ids, bodies);
    }

    /// <summary>What the owner reads through every GET operation, to compare before and after another partner's calls.</summary>
    private async Task<Dictionary<string, string>> OwnerSeesAsync(HttpClient owner, IEnumerable<(HttpMethod Method, string Path, object? Body, string OperationId)> endpoints)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (_, path, _, operationId) in endpoints.Where(endpoint => endpoint.Method == HttpMethod.Get))
        {
            using var response = await owner.GetAsync(new Uri(path, UriKind.Relative), Cancel);
            seen[operationId] = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Cancel)}";
            Assert.True(response.IsSuccessStatusCode, $"The owner's {operationId}: {seen[operationId]}");
        }

        return seen;
    }

    [Fact]
    public async Task An_observer_reads_through_every_operation_and_is_refused_every_change_with_a_403_problem()
    {
        using var owner = _partner.Authorize(service.CreateClient());
        var (ids, bodies) = await OwnerWithEverythingAsync(owner);
        var observer = await containers.TokenServer.RegisterPartnerAsync("social-institution");
        await containers.TokenServer.SetMemberAsync(_partner, _trajectory.Id, observer.PartnerId, TrajectoryRoles.Observer);
        using var observerClient = observer.Authorize(service.CreateClient());
        await observerClient.WaitForTrajectoryAsync(_trajectory.Id);
        var endpoints = await EndpointsAsync(_trajectory.BuurtCodes[1], ids, bodies);
        var before = await OwnerSeesAsync(owner, endpoints);
        var failures = new List<string>();

        foreach (var (method, path, body, operationId) in endpoints)
        {
            var response = await SendAsync(method, path, body, observer.AccessToken);
            var text = await response.Content.ReadAsStringAsync(Cancel);
            var expected = ObserverExceptions.TryGetValue(operationId, out var exception)
                ? exception
                : method == HttpMethod.Get ? HttpStatusCode.OK : HttpStatusCode.Forbidden;
            if (response.StatusCode != expected)
            {
                failures.Add($"{operationId} ({method} {path}) as an observer: {(int)response.StatusCode}, {(int)expected} expected: {text}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        var after = await OwnerSeesAsync(owner, endpoints);
        // Nothing moved: not even a vote, since an observer enters none (a code is the resident's own).
        Assert.All(before, read => Assert.True(read.Value == after[read.Key], $"{read.Key} changed:\n{read.Value}\n{after[read.Key]}"));
        var result = await owner.GetFromJsonAsync<JsonElement>($"/v1/support-measurements/{ids["measurementId"]}/result", Cancel);
        Assert.Equal(0, result.GetProperty("votes").GetInt32());
    }

    /// <summary>Where an observer is not simply a reader, by design (each as the API describes the operation).</summary>
    private static readonly Dictionary<string, HttpStatusCode> ObserverExceptions = new(StringComparer.Ordinal)
    {
        // None any more: every member reads all of a support measurement, and an observer enters no vote.
    };

    [Fact]
    public async Task An_outsider_gets_a_404_problem_from_every_operation_on_the_owners_data_and_nothing_changes()
    {
        using var owner = _partner.Authorize(service.CreateClient());
        var (ids, bodies) = await OwnerWithEverythingAsync(owner);
        var outsider = await containers.TokenServer.RegisterPartnerAsync("social-institution");
        var endpoints = await EndpointsAsync(_trajectory.BuurtCodes[1], ids, bodies);
        var before = await OwnerSeesAsync(owner, endpoints);
        var failures = new List<string>();

        foreach (var (method, path, body, operationId) in endpoints)
        {
            var response = await SendAsync(method, path, body, outsider.AccessToken);
            var text = await response.Content.ReadAsStringAsync(Cancel);
            var ok = operationId switch
            {
                // Its own lists: empty of the owner's.
                "ListConsultations" or "ListSupportMeasurements" => response.StatusCode == HttpStatusCode.OK
                    && !text.Contains(_consultationId.ToString(), StringComparison.Ordinal) && !text.Contains(ids["measurementId"].ToString(), StringComparison.Ordinal),
                // The owner's trajectory named in the body: the API answers a reference it cannot use with 422 naming it.
                "OpenConsultation" or "CreateSupportMeasurement" => response.StatusCode == HttpStatusCode.UnprocessableEntity && text.Contains("\"trajectoryId\"", StringComparison.Ordinal),
                _ => response.StatusCode == HttpStatusCode.NotFound,
            };
            if (!ok)
            {
                failures.Add($"{operationId} ({method} {path}) as an outsider: {(int)response.StatusCode} {text}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        var after = await OwnerSeesAsync(owner, endpoints);
        Assert.All(before, read => Assert.True(read.Value == after[read.Key], $"{read.Key} changed:\n{read.Value}\n{after[read.Key]}"));
    }
}
