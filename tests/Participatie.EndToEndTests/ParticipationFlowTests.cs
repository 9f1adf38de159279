using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Participatie.Testing;

namespace Participatie.EndToEndTests;

/// <summary>The flow the platform exists for, through the gateway only, across all four services and the broker.</summary>
public sealed class ParticipationFlowTests(PlatformFixture platform) : IAsyncLifetime
{
    private HttpClient _gateway = null!;
    private Guid _partnerId;

    public async ValueTask InitializeAsync()
    {
        // Every test acts as a housing corporation with a real token from the platform's token server.
        (_partnerId, _gateway) = await platform.RegisterPartnerAsync(
            TestData.NewPartnerName("Woonstichting De Linde"), "housing-corporation", TestData.NewRegistryNumber("housing-corporation"));
    }

    public ValueTask DisposeAsync()
    {
        _gateway.Dispose();
        return ValueTask.CompletedTask;
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_reaction_is_received_answered_and_the_resident_is_told_in_their_own_language()
    {
        // A buurt of this test's own: every resident in it is one this test registered.
        var buurtCode = TestData.NewBuurtCode();

        // The partner (registered by the platform operator) is known by its token.
        Assert.Equal("housing-corporation", (await GetAsync($"/v1/partners/{_partnerId}")).GetProperty("kind").GetString());

        // Residents register in the buurt, each with a language and a channel; one lives elsewhere.
        var anna = await PostAsync("/v1/residents", Resident("Anna de Vries", buurtCode, "nl", "email", email: "anna@example.org"));
        var fatima = await PostAsync("/v1/residents", Resident("Fatima El Amrani", buurtCode, "ar", "letter"));
        var outsider = await PostAsync("/v1/residents", Resident("Piet Jansen", TestData.NewBuurtCode(), "nl", "letter"));
        var annaId = anna.GetProperty("id").GetGuid();
        var fatimaId = fatima.GetProperty("id").GetGuid();

        // The partner starts a trajectory over the buurt and opens a consultation in it; it owns both.
        var trajectory = await PostAsync("/v1/trajectories", new { name = "Renovatie Kolenkitbuurt 2027", buurtCodes = new[] { buurtCode } });
        Assert.Equal("lead", trajectory.GetProperty("myRole").GetString());
        await PlatformFixture.WaitForConsultationsAccessAsync(_gateway, trajectory.GetProperty("id").GetGuid());
        var closesOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(30));
        var consultation = await PostAsync("/v1/consultations", new
        {
            trajectoryId = trajectory.GetProperty("id").GetGuid(),
            title = "Renovatie Kolenkitbuurt 2027",
            description = "Hoe wilt u dat de nieuwe entree eruitziet?",
            buurtCode,
            closesOn,
        });
        var consultationId = consultation.GetProperty("id").GetGuid();
        Assert.Equal(_partnerId, consultation.GetProperty("partnerId").GetGuid());
        Assert.Equal(consultationId, (await GetAsync($"/v1/consultations/{consultationId}")).GetProperty("id").GetGuid());

        // The notifications service heard of it over RabbitMQ: one invitation per resident of the buurt, in their language.
        var invitations = await EventuallyAsync($"/v1/notifications?subjectId={consultationId}", items => items.Count >= 2, "an invitation for each of the buurt's two residents");
        Assert.Equal(2, invitations.Count);
        var toAnnaFirst = Single(invitations, annaId);
        Assert.Equal("nl", toAnnaFirst.GetProperty("language").GetString());
        // The invitation tells her until when she can react, on her calendar.
        Assert.Contains(closesOn.ToString("d MMMM yyyy", Dutch), toAnnaFirst.GetProperty("body").GetString(), StringComparison.Ordinal);
        var arabic = Single(invitations, fatimaId);
        Assert.Equal("ar", arabic.GetProperty("language").GetString());
        Assert.Equal("letter", arabic.GetProperty("channel").GetString());
        Assert.StartsWith("نطلب رأيك", arabic.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Empty(await ItemsAsync($"/v1/notifications?residentId={outsider.GetProperty("id").GetGuid()}"));

        // Anna reacts; she gets a receipt.
        await platform.WaitUntilConsultationsKnowAsync(annaId);
        var reaction = await PostAsync($"/v1/consultations/{consultationId}/reactions", new { residentId = annaId, text = "Graag meer licht in het portiek." });
        var reactionId = reaction.GetProperty("id").GetGuid();
        Assert.Equal("received", reaction.GetProperty("status").GetString());
        // The promised date comes from the service; whatever today is, fifteen working days are at least three weeks
        // and, with the most holidays the Dutch calendar packs together, less than five.
        var answerDueOn = DateOnly.Parse(reaction.GetProperty("answerDueOn").GetString()!, CultureInfo.InvariantCulture);
        var receivedOn = DateOnly.FromDateTime(reaction.GetProperty("submittedAt").GetDateTimeOffset().UtcDateTime);
        Assert.InRange(answerDueOn.DayNumber - receivedOn.DayNumber, 21, 34);
        var receipts = await EventuallyAsync($"/v1/notifications?subjectId={reactionId}", items => items.Count >= 1, "Anna's receipt");
        var receipt = Assert.Single(receipts);
        Assert.Equal("reaction-received", receipt.GetProperty("kind").GetString());
        Assert.Equal(annaId, receipt.GetProperty("residentId").GetGuid());
        Assert.Equal("nl", receipt.GetProperty("language").GetString());
        Assert.Equal("email", receipt.GetProperty("channel").GetString());
        Assert.Equal("We hebben uw reactie ontvangen", receipt.GetProperty("title").GetString());
        // The receipt tells her by when she hears what is done with it: the reaction's own due date, in Dutch.
        Assert.Equal(
            $"Bedankt voor uw reactie op: Renovatie Kolenkitbuurt 2027. Uiterlijk {answerDueOn.ToString("d MMMM yyyy", Dutch)} laten we u weten wat we ermee doen.",
            receipt.GetProperty("body").GetString());

        // The partner answers with a status and an explanation.
        using var answer = await _gateway.PutAsJsonAsync(
            $"/v1/consultations/{consultationId}/reactions/{reactionId}/answer",
            new { status = "adopted", explanation = "Er komt extra verlichting in elk portiek." },
            Cancel);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var answered = await GetAsync($"/v1/consultations/{consultationId}/reactions/{reactionId}");
        Assert.Equal("adopted", answered.GetProperty("status").GetString());
        Assert.Equal(2, answered.GetProperty("history").GetArrayLength());

        // Anna is told the answer, in Dutch, with the reason.
        var toAnna = await EventuallyAsync($"/v1/notifications?subjectId={reactionId}", items => items.Count >= 2, "Anna's answer after her receipt");
        Assert.Equal(2, toAnna.Count);
        var told = Assert.Single(toAnna, n => n.GetProperty("kind").GetString() == "reaction-answered");
        Assert.Equal(annaId, told.GetProperty("residentId").GetGuid());
        Assert.Equal("Antwoord op uw reactie: overgenomen", told.GetProperty("title").GetString());
        Assert.Contains("Er komt extra verlichting in elk portiek.", told.GetProperty("body").GetString(), StringComparison.Ordinal);

        // The trajectory moves on to making the plan; every resident of the buurt is told, in their own language.
        using (var phase = await _gateway.PutAsJsonAsync($"/v1/trajectories/{trajectory.GetProperty("id").GetGuid()}/phase", new { phase = "plan-making" }, Cancel))
        {
            Assert.Equal(HttpStatusCode.OK, phase.StatusCode);
        }

        var phaseNotices = await EventuallyAsync($"/v1/notifications?subjectId={trajectory.GetProperty("id").GetGuid()}", items => items.Count >= 2, "a phase notice for each of the buurt's two residents");
        Assert.Equal(2, phaseNotices.Count);
        Assert.Contains("het plan maken", Single(phaseNotices, annaId).GetProperty("body").GetString(), StringComparison.Ordinal);
        Assert.Equal("ar", Single(phaseNotices, fatimaId).GetProperty("language").GetString());

        // Personal data stayed in the residents service: other services know Anna only by her pseudonymous id.
        var elsewhere = string.Join('\n',
            (await GetRawAsync($"/v1/notifications?residentId={annaId}")),
            (await GetRawAsync($"/v1/consultations/{consultationId}/reactions")));
        Assert.Contains(annaId.ToString(), elsewhere, StringComparison.Ordinal);
        Assert.DoesNotContain("Anna", elsewhere, StringComparison.Ordinal);
        Assert.DoesNotContain("anna@example.org", elsewhere, StringComparison.Ordinal);
        Assert.Equal("Anna de Vries", (await GetAsync($"/v1/residents/{annaId}?purpose=e2e-test")).GetProperty("fullName").GetString());
    }

    [Fact]
    public async Task A_consultation_for_some_addresses_reaches_only_the_residents_living_there()
    {
        var buurtCode = TestData.NewBuurtCode();
        var trajectory = await PostAsync("/v1/trajectories", new { name = "Kozijnen blok 3", buurtCodes = new[] { buurtCode } });
        await PlatformFixture.WaitForConsultationsAccessAsync(_gateway, trajectory.GetProperty("id").GetGuid());
        // A street of this test's own: nobody else in the run lives at the block's address, so one invitation is exact.
        var street = TestData.NewPostcode();
        var inBlock = await PostAsync("/v1/residents", Resident("Bewoner Blok", buurtCode, "pl", "app", houseNumber: 3, postcode: street));
        var nextDoor = await PostAsync("/v1/residents", Resident("Bewoner Naast", buurtCode, "nl", "letter", houseNumber: 5, postcode: street));
        var blockAddress = new { postcode = inBlock.GetProperty("postcode").GetString(), houseNumber = inBlock.GetProperty("houseNumber").GetInt32() };

        var consultation = await PostAsync("/v1/consultations", new
        {
            trajectoryId = trajectory.GetProperty("id").GetGuid(),
            title = "Nieuwe kozijnen",
            description = "Welke kleur krijgen de kozijnen?",
            buurtCode,
            closesOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(20)),
            // A list of addresses names at least ten homes; the other nine of the block have nobody registered yet.
            addresses = new[] { blockAddress }.Concat(Enumerable.Range(0, 9).Select(i => new { postcode = blockAddress.postcode, houseNumber = 101 + i })).ToArray(),
        });
        Assert.True(consultation.GetProperty("addressScoped").GetBoolean());

        var invited = await EventuallyAsync($"/v1/notifications?subjectId={consultation.GetProperty("id").GetGuid()}", items => items.Count >= 1, "the invitation at the block's address");
        var invitation = Assert.Single(invited);
        Assert.Equal(inBlock.GetProperty("id").GetGuid(), invitation.GetProperty("residentId").GetGuid());
        Assert.Equal("pl", invitation.GetProperty("language").GetString());
        Assert.NotEqual(nextDoor.GetProperty("id").GetGuid(), invitation.GetProperty("residentId").GetGuid());
    }

    [Fact]
    public async Task Without_a_valid_token_the_gateway_answers_401_problem()
    {
        using var anonymous = platform.Anonymous();
        using var missing = await anonymous.GetAsync("/v1/consultations", Cancel);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);

        anonymous.DefaultRequestHeaders.Authorization = new("Bearer", "not-a-token");
        using var bad = await anonymous.GetAsync("/v1/consultations", Cancel);
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
    }

    [Fact]
    public async Task Only_the_platform_operator_registers_partners()
    {
        using var response = await _gateway.PostAsJsonAsync(
            "/v1/partners", new { name = "Zelfbenoemd", kind = "social-institution", registryNumber = "11223344" }, Cancel);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Outsiders_do_not_see_a_trajectory_and_observers_cannot_answer_in_it()
    {
        var buurtCode = TestData.NewBuurtCode();
        var trajectory = await PostAsync("/v1/trajectories", new { name = "Groen in de buurt", buurtCodes = new[] { buurtCode } });
        var trajectoryId = trajectory.GetProperty("id").GetGuid();
        await PlatformFixture.WaitForConsultationsAccessAsync(_gateway, trajectoryId);
        var consultation = await PostAsync("/v1/consultations", new
        {
            trajectoryId,
            title = "Groen in de buurt",
            description = "Waar wilt u meer groen?",
            buurtCode,
            closesOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(10)),
        });
        var consultationId = consultation.GetProperty("id").GetGuid();
        var residentId = (await PostAsync("/v1/residents", Resident("Gijs de Boom", buurtCode, "nl", "letter"))).GetProperty("id").GetGuid();
        await platform.WaitUntilConsultationsKnowAsync(residentId);
        var reaction = await PostAsync($"/v1/consultations/{consultationId}/reactions", new { residentId, text = "Bomen langs de gracht." });
        var answerPath = $"/v1/consultations/{consultationId}/reactions/{reaction.GetProperty("id").GetGuid()}/answer";
        var answerBody = new { status = "adopted", explanation = "Dat beslissen wij, niet de corporatie." };
        var (municipalityId, municipality) = await platform.RegisterPartnerAsync(
            TestData.NewPartnerName("Gemeente Zuidwijk"), "municipality", TestData.NewRegistryNumber("municipality"));
        using (municipality)
        {
            // An outsider: the consultation does not exist for it.
            using (var outsider = await municipality.PutAsJsonAsync(answerPath, answerBody, Cancel))
            {
                Assert.Equal(HttpStatusCode.NotFound, outsider.StatusCode);
            }

            Assert.Equal(HttpStatusCode.NotFound, (await municipality.GetAsync($"/v1/trajectories/{trajectoryId}", Cancel)).StatusCode);

            // Made an observer by the lead: it reads, but it does not answer.
            using (var membership = await _gateway.PutAsJsonAsync(
                $"/v1/trajectories/{trajectoryId}/members/{municipalityId}", new { role = "observer" }, Cancel))
            {
                Assert.Equal(HttpStatusCode.OK, membership.StatusCode);
            }

            await PlatformFixture.WaitForConsultationsAccessAsync(municipality, trajectoryId);
            Assert.Equal(HttpStatusCode.OK, (await municipality.GetAsync($"/v1/consultations/{consultationId}", Cancel)).StatusCode);
            using var observer = await municipality.PutAsJsonAsync(answerPath, answerBody, Cancel);
            Assert.Equal(HttpStatusCode.Forbidden, observer.StatusCode);
        }

        // The lead sees who changed which role, and with which client.
        var audit = await GetAsync($"/v1/trajectories/{trajectoryId}/audit");
        Assert.Contains(audit.GetProperty("items").EnumerateArray(), entry =>
            entry.GetProperty("action").GetString() == "member-added" && entry.GetProperty("subject").GetString() == $"partner {municipalityId}");
    }

    [Fact]
    public async Task The_gateway_answers_unknown_routes_with_a_problem()
    {
        using var response = await _gateway.GetAsync("/v2/nothing", Cancel);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_gateway_passes_the_trace_context_on_to_the_services()
    {
        var traceId = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/residents/{Guid.NewGuid()}");
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");

        using var response = await _gateway.SendAsync(request, Cancel);

        // The residents service answered 404 inside the trace the caller started.
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal(traceId.ToString(), problem.GetProperty("traceId").GetString());
    }

    [Theory]
    [InlineData("residents", "Participatie Residents API")]
    [InlineData("consultations", "Participatie Consultations API")]
    [InlineData("partner-coordination", "Participatie Partner Coordination API")]
    [InlineData("notifications", "Participatie Notifications API")]
    public async Task Each_api_describes_itself_through_the_gateway_without_a_token(string api, string title)
    {
        using var anonymous = platform.Anonymous();
        using var response = await anonymous.GetAsync($"/{api}/openapi.json", Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1.0.0", response.Headers.GetValues("API-Version").Single());
        var document = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal(title, document.GetProperty("info").GetProperty("title").GetString());
    }

    private static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl");

    /// <summary>A resident at an address of its own (a new postcode) unless the test gives the street.</summary>
    private static object Resident(
        string name, string buurtCode, string language, string channel, string? email = null, int? houseNumber = null, string? postcode = null) => new
    {
        fullName = name,
        postcode = postcode ?? TestData.NewPostcode(),
        houseNumber = houseNumber ?? 1,
        buurtCode,
        email,
        preferredLanguage = language,
        preferredChannel = channel,
    };

    private static JsonElement Single(IReadOnlyList<JsonElement> notifications, Guid residentId) =>
        Assert.Single(notifications, n => n.GetProperty("residentId").GetGuid() == residentId);

    private async Task<JsonElement> PostAsync(string path, object body)
    {
        using var response = await _gateway.PostAsJsonAsync(path, body, Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST {path}: {(int)response.StatusCode} {text}");
        Assert.NotNull(response.Headers.Location);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<JsonElement> GetAsync(string path) =>
        JsonDocument.Parse(await GetRawAsync(path)).RootElement.Clone();

    private async Task<string> GetRawAsync(string path)
    {
        using var response = await _gateway.GetAsync(path, Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return text;
    }

    private async Task<IReadOnlyList<JsonElement>> ItemsAsync(string path) =>
        [.. (await GetAsync(path)).GetProperty("items").EnumerateArray()];

    private Task<IReadOnlyList<JsonElement>> EventuallyAsync(string path, Func<IReadOnlyList<JsonElement>, bool> isDone, string what) =>
        Eventually.MatchesAsync(() => ItemsAsync(path), isDone, $"{what} (GET {path})", TimeSpan.FromSeconds(60));
}
