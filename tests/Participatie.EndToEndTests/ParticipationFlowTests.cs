using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Participatie.Client;
using Participatie.Client.Consultations;
using Participatie.Client.Notifications;
using Participatie.Client.PartnerCoordination;
using Participatie.Client.Residents;
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
        // A partner's system as a .NET integrator builds it: the typed client with its own credentials (issue 12).
        using var corporation = await platform.RegisterPartnerSystemAsync(
            TestData.NewPartnerName("Woonstichting De Linde"), RegisterPartnerRequestKind.HousingCorporation, TestData.NewRegistryNumber("housing-corporation"));
        var api = corporation.Api;
        // A buurt of this test's own: every resident in it is one this test registered.
        var buurtCode = TestData.NewBuurtCode();

        // The partner (registered by the platform operator) is known by its token.
        Assert.Equal(PartnerResponseKind.HousingCorporation, (await api.PartnerCoordination.GetPartnerAsync(corporation.PartnerId, Cancel)).Kind);

        // Residents register in the buurt, each with a language and a channel; one lives elsewhere.
        var annaId = await api.Residents.RegisterAsync(
            TypedResident("Anna de Vries", buurtCode, RegisterResidentRequestPreferredLanguage.Nl, RegisterResidentRequestPreferredChannel.Email, "anna@example.org"), Cancel);
        var fatimaId = await api.Residents.RegisterAsync(
            TypedResident("Fatima El Amrani", buurtCode, RegisterResidentRequestPreferredLanguage.Ar, RegisterResidentRequestPreferredChannel.Letter), Cancel);
        var outsiderId = await api.Residents.RegisterAsync(
            TypedResident("Piet Jansen", TestData.NewBuurtCode(), RegisterResidentRequestPreferredLanguage.Nl, RegisterResidentRequestPreferredChannel.Letter), Cancel);

        // The partner starts a trajectory over the buurt and opens a consultation in it; it owns both.
        var trajectory = await api.PartnerCoordination.CreateTrajectoryAsync(
            new CreateTrajectoryRequest { Name = "Renovatie Kolenkitbuurt 2027", BuurtCodes = [buurtCode] }, Cancel);
        Assert.Equal(TrajectoryResponseMyRole.Lead, trajectory.MyRole);
        await WaitForConsultationsAccessAsync(api, trajectory.Id);
        var closesOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(30));
        var consultation = await api.Consultations.OpenConsultationAsync(new OpenConsultationRequest
        {
            TrajectoryId = trajectory.Id,
            Title = "Renovatie Kolenkitbuurt 2027",
            Description = "Hoe wilt u dat de nieuwe entree eruitziet?",
            BuurtCode = buurtCode,
            ClosesOn = closesOn,
        }, Cancel);
        Assert.Equal(corporation.PartnerId, consultation.PartnerId);
        Assert.Equal(consultation.Id, (await api.Consultations.GetConsultationAsync(consultation.Id, Cancel)).Id);

        // The notifications service heard of it over RabbitMQ: one invitation per resident of the buurt, in their language.
        var invitations = await NotificationsAsync(api, consultation.Id, count: 2, "an invitation for each of the buurt's two residents");
        Assert.Equal(2, invitations.Count);
        var toAnnaFirst = Assert.Single(invitations, n => n.ResidentId == annaId);
        Assert.Equal(NotificationResponseLanguage.Nl, toAnnaFirst.Language);
        // The invitation tells her until when she can react, on her calendar.
        Assert.Contains(closesOn.ToString("d MMMM yyyy", Dutch), toAnnaFirst.Body, StringComparison.Ordinal);
        var arabic = Assert.Single(invitations, n => n.ResidentId == fatimaId);
        Assert.Equal(NotificationResponseLanguage.Ar, arabic.Language);
        Assert.Equal(NotificationResponseChannel.Letter, arabic.Channel);
        Assert.StartsWith("نطلب رأيك", arabic.Title, StringComparison.Ordinal);
        Assert.Empty((await api.Notifications.ListNotificationsAsync(outsiderId, null, null, null, Cancel)).Items);

        // Anna reacts; she gets a receipt.
        await platform.WaitUntilConsultationsKnowAsync(annaId);
        var reaction = await api.Consultations.SubmitReactionAsync(
            consultation.Id, new SubmitReactionRequest { ResidentId = annaId, Text = "Graag meer licht in het portiek." }, Cancel);
        Assert.Equal(ReactionResponseStatus.Received, reaction.Status);
        // The promised date comes from the service; whatever today is, fifteen working days are at least three weeks
        // and, with the most holidays the Dutch calendar packs together, less than five.
        var answerDueOn = reaction.AnswerDueOn;
        var receivedOn = DateOnly.FromDateTime(reaction.SubmittedAt.UtcDateTime);
        Assert.InRange(answerDueOn.DayNumber - receivedOn.DayNumber, 21, 34);
        var receipt = Assert.Single(await NotificationsAsync(api, reaction.Id, count: 1, "Anna's receipt"));
        Assert.Equal(NotificationResponseKind.ReactionReceived, receipt.Kind);
        Assert.Equal(annaId, receipt.ResidentId);
        Assert.Equal(NotificationResponseLanguage.Nl, receipt.Language);
        Assert.Equal(NotificationResponseChannel.Email, receipt.Channel);
        Assert.Equal("We hebben uw reactie ontvangen", receipt.Title);
        // The receipt tells her by when she hears what is done with it: the reaction's own due date, in Dutch.
        Assert.Equal(
            $"Bedankt voor uw reactie op: Renovatie Kolenkitbuurt 2027. Uiterlijk {answerDueOn.ToString("d MMMM yyyy", Dutch)} laten we u weten wat we ermee doen.",
            receipt.Body);

        // The partner answers with a status and an explanation.
        await api.Consultations.AnswerReactionAsync(consultation.Id, reaction.Id, new AnswerReactionRequest
        {
            Status = AnswerReactionRequestStatus.Adopted,
            Explanation = "Er komt extra verlichting in elk portiek.",
        }, Cancel);
        var answered = await api.Consultations.GetReactionAsync(consultation.Id, reaction.Id, Cancel);
        Assert.Equal(ReactionResponseStatus.Adopted, answered.Status);
        Assert.Equal(2, answered.History?.Count);

        // Anna is told the answer, in Dutch, with the reason.
        var toAnna = await NotificationsAsync(api, reaction.Id, count: 2, "Anna's answer after her receipt");
        Assert.Equal(2, toAnna.Count);
        var told = Assert.Single(toAnna, n => n.Kind == NotificationResponseKind.ReactionAnswered);
        Assert.Equal(annaId, told.ResidentId);
        Assert.Equal("Antwoord op uw reactie: overgenomen", told.Title);
        Assert.Contains("Er komt extra verlichting in elk portiek.", told.Body, StringComparison.Ordinal);

        // The trajectory moves on to making the plan; every resident of the buurt is told, in their own language.
        await api.PartnerCoordination.ChangeTrajectoryPhaseAsync(trajectory.Id, new ChangePhaseRequest { Phase = ChangePhaseRequestPhase.PlanMaking }, Cancel);
        var phaseNotices = await NotificationsAsync(api, trajectory.Id, count: 2, "a phase notice for each of the buurt's two residents");
        Assert.Equal(2, phaseNotices.Count);
        Assert.Contains("het plan maken", Assert.Single(phaseNotices, n => n.ResidentId == annaId).Body, StringComparison.Ordinal);
        Assert.Equal(NotificationResponseLanguage.Ar, Assert.Single(phaseNotices, n => n.ResidentId == fatimaId).Language);

        // Personal data stayed in the residents service: other services know Anna only by her pseudonymous id.
        var elsewhere = JsonSerializer.Serialize(new object[]
        {
            await api.Notifications.ListNotificationsAsync(annaId, null, null, null, Cancel),
            await api.Consultations.ListReactionsAsync(consultation.Id, null, null, null, Cancel),
        });
        Assert.Contains(annaId.ToString(), elsewhere, StringComparison.Ordinal);
        Assert.DoesNotContain("Anna", elsewhere, StringComparison.Ordinal);
        Assert.DoesNotContain("anna@example.org", elsewhere, StringComparison.Ordinal);
        Assert.Equal("Anna de Vries", (await api.Residents.GetResidentAsync(annaId, "e2e-test", Cancel)).FullName);

        // A refused request is a typed exception naming the field, as the problem's errors do.
        var refused = await Assert.ThrowsAnyAsync<ParticipatieApiException>(() => api.Consultations.OpenConsultationAsync(new OpenConsultationRequest
        {
            TrajectoryId = trajectory.Id,
            Title = "Zonder buurt",
            Description = "Een buurtcode die er geen is.",
            BuurtCode = "BU123",
            ClosesOn = closesOn,
        }, Cancel));
        Assert.True(refused.StatusCode is 400 or 422, refused.Message);
        Assert.True(refused.ErrorsFor("buurtCode").Count > 0, $"{refused.GetType().Name}: {refused.Message} | {refused.Response}");
    }

    [Fact]
    public async Task A_partner_system_subscribes_and_receives_signed_events_it_verifies_with_the_client()
    {
        using var corporation = await platform.RegisterPartnerSystemAsync(
            TestData.NewPartnerName("Woonstichting Zuidwijk"), RegisterPartnerRequestKind.HousingCorporation, TestData.NewRegistryNumber("housing-corporation"));
        var api = corporation.Api;
        var buurtCode = TestData.NewBuurtCode();
        var trajectory = await api.PartnerCoordination.CreateTrajectoryAsync(
            new CreateTrajectoryRequest { Name = "Nieuwe speeltuin", BuurtCodes = [buurtCode] }, Cancel);

        // The partner's own system, a real HTTP endpoint, subscribes to three kinds of event of its trajectory.
        await using var receiver = new PartnerReceiver();
        await receiver.StartAsync(Cancel);
        var channels = await api.Notifications.ListChannelsAsync(Cancel);
        string[] wanted = ["nl.participatie.consultation.opened", "nl.participatie.reaction.submitted", "nl.participatie.reaction.answered"];
        Assert.Subset(channels.Items.Select(channel => OnTheWire(channel.Type)).ToHashSet(StringComparer.Ordinal), wanted.ToHashSet(StringComparer.Ordinal));
        var subscription = await api.Notifications.CreateSubscriptionAsync(new CreateSubscriptionRequest
        {
            CallbackUrl = receiver.CallbackUrl.ToString(),
            TrajectoryId = trajectory.Id,
            EventTypes = [.. wanted.Select(FromTheWire<EventTypes>)],
        }, Cancel);
        // The secret is in the answer to the creation only; the receiver keeps it.
        Assert.NotNull(subscription.Secret);
        Assert.StartsWith("whsec_", subscription.Secret, StringComparison.Ordinal);
        receiver.Secret = subscription.Secret;

        // The flow the events tell of: a consultation opens, a resident reacts, the partner answers.
        var residentId = await api.Residents.RegisterAsync(
            TypedResident("Sanne Bakker", buurtCode, RegisterResidentRequestPreferredLanguage.Nl, RegisterResidentRequestPreferredChannel.Email, "sanne@example.org"), Cancel);
        await WaitForConsultationsAccessAsync(api, trajectory.Id);
        var consultation = await api.Consultations.OpenConsultationAsync(new OpenConsultationRequest
        {
            TrajectoryId = trajectory.Id,
            Title = "Nieuwe speeltuin",
            Description = "Waar moet de speeltuin komen?",
            BuurtCode = buurtCode,
            ClosesOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(20)),
        }, Cancel);
        await platform.WaitUntilConsultationsKnowAsync(residentId);
        var reaction = await api.Consultations.SubmitReactionAsync(
            consultation.Id, new SubmitReactionRequest { ResidentId = residentId, Text = "Bij het water, met een bankje." }, Cancel);
        await api.Consultations.AnswerReactionAsync(consultation.Id, reaction.Id, new AnswerReactionRequest
        {
            Status = AnswerReactionRequestStatus.PartlyAdopted,
            Explanation = "Bij het water; het bankje past niet in het budget.",
        }, Cancel);

        // Each event arrives signed; the receiver accepted it only after WebhookSignature.Verify said so.
        var accepted = await Eventually.MatchesAsync(
            () => Task.FromResult(receiver.Accepted),
            events => events.Select(e => e.Type).Distinct(StringComparer.Ordinal).Count() == wanted.Length,
            "a verified event of each subscribed kind",
            TimeSpan.FromSeconds(90));
        Assert.Empty(receiver.Refused);
        Assert.Equal(wanted.Order(StringComparer.Ordinal), accepted.Select(e => e.Type).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        var submitted = accepted.First(e => e.Type == "nl.participatie.reaction.submitted");
        Assert.Equal(reaction.Id.ToString(), submitted.CloudEvent.GetProperty("data").GetProperty("reactionId").GetString());
        // Ids and links only: the resident's words stay on the platform.
        Assert.DoesNotContain("bankje", string.Concat(accepted.Select(e => e.Body)), StringComparison.Ordinal);

        // The same delivery with one byte of its body changed, or with another secret, does not verify.
        var body = Encoding.UTF8.GetBytes(submitted.Body);
        body[body.Length / 2] ^= 0x01;
        Assert.False(WebhookSignature.Verify(subscription.Secret, submitted.Headers, Encoding.UTF8.GetString(body)));
        Assert.False(WebhookSignature.Verify("whsec_" + Convert.ToBase64String(new byte[32]), submitted.Headers, submitted.Body));
        Assert.True(WebhookSignature.Verify(subscription.Secret, submitted.Headers, submitted.Body));

        // The platform lists the deliveries as delivered.
        var deliveries = await api.Notifications.ListSubscriptionDeliveriesAsync(subscription.Id, null, null, null, Cancel);
        Assert.Contains(deliveries.Items, delivery => delivery.EventType == DeliveryResponseEventType.Nl_participatie_reaction_submitted && delivery.Status == DeliveryResponseStatus.Delivered);
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

    /// <summary>A registration through the typed client, at an address of its own (a new postcode).</summary>
    private static RegisterResidentRequest TypedResident(
        string name, string buurtCode, RegisterResidentRequestPreferredLanguage language, RegisterResidentRequestPreferredChannel channel, string? email = null) => new()
    {
        FullName = name,
        Postcode = TestData.NewPostcode(),
        HouseNumber = 1,
        BuurtCode = buurtCode,
        Email = email,
        PreferredLanguage = language,
        PreferredChannel = channel,
    };

    /// <summary>Waits until the consultations service lets the partner into the trajectory (it hears of it by an event).</summary>
    private static Task WaitForConsultationsAccessAsync(ParticipatieClient api, Guid trajectoryId) =>
        Eventually.MatchesAsync(
            async () =>
            {
                try
                {
                    await api.Consultations.GetTrajectorySettingsAsync(trajectoryId, Cancel);
                    return 200;
                }
                catch (ParticipatieApiException refused) when (refused.StatusCode is 403 or 404)
                {
                    return refused.StatusCode;
                }
            },
            status => status == 200,
            $"the consultations service to let the partner into trajectory {trajectoryId}",
            TimeSpan.FromSeconds(60));

    /// <summary>The notifications about a subject, once there are at least <paramref name="count"/>.</summary>
    private static async Task<IReadOnlyList<NotificationResponse>> NotificationsAsync(ParticipatieClient api, Guid subjectId, int count, string what) =>
        await Eventually.MatchesAsync(
            async () => (IReadOnlyList<NotificationResponse>)(await api.Notifications.ListNotificationsAsync(null, subjectId, null, null, Cancel)).Items,
            items => items.Count >= count,
            $"{what} (notifications about {subjectId})",
            TimeSpan.FromSeconds(60));

    /// <summary>The generated client's enums carry their value as it is sent (JsonStringEnumMemberName).</summary>
    private static readonly JsonSerializerOptions EnumsOnTheWire = new() { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    private static string OnTheWire<T>(T value)
        where T : struct, Enum =>
        JsonSerializer.Serialize(value, EnumsOnTheWire).Trim('"');

    private static T FromTheWire<T>(string value)
        where T : struct, Enum =>
        JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(value), EnumsOnTheWire);

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
