using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Participatie.EndToEndTests;

/// <summary>
/// Partners own their part. Every endpoint of every API, as its OpenAPI document lists it, is called by an outsider
/// (a partner that takes part in nothing of the owner's) with the owner's ids, and without a token at all.
/// </summary>
public sealed class IsolationTests(PlatformFixture platform, ITestOutputHelper output)
{
    private static readonly string[] Apis = ["partner-coordination", "residents", "consultations", "notifications"];

    /// <summary>
    /// Shared with every partner of the platform by design: the partner directory (name, kind, public registry number)
    /// and published best practices.
    /// </summary>
    private static readonly HashSet<string> DirectoryOperations = ["ListPartners", "GetPartner", "GetBestPractice"];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_outsider_reaches_none_of_another_partners_data_through_any_endpoint()
    {
        var owner = await OwnerWithDataAsync();
        var outsider = await platform.RegisterPartnerWithClientAsync("Buitenstaander", "social-institution");
        using var anonymous = platform.Anonymous();
        var endpoints = await EndpointsAsync(anonymous);
        var cases = 0;

        foreach (var endpoint in endpoints)
        {
            var path = endpoint.Path(owner.Ids);
            var body = Bodies(owner.Ids).GetValueOrDefault(endpoint.OperationId);
            Assert.True(!endpoint.HasBody || body is not null, $"Give {endpoint.OperationId} an example body in {nameof(Bodies)}.");

            // Without a token: 401, whatever the endpoint.
            using (var response = await SendAsync(anonymous, endpoint.Method, path, body))
            {
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{endpoint} without a token answered {(int)response.StatusCode}");
            }

            // As the outsider: refused, or (for its own collections and new resources) nothing of the owner's in the answer.
            using (var response = await SendAsync(outsider.Client, endpoint.Method, path, body))
            {
                var text = await response.Content.ReadAsStringAsync(Cancel);
                if (endpoint.NamesOwnersResource && !DirectoryOperations.Contains(endpoint.OperationId))
                {
                    Assert.True(
                        response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.UnprocessableEntity,
                        $"{endpoint} as an outsider answered {(int)response.StatusCode}: {text}");
                }

                // A problem may echo what the outsider itself sent (an id in the path or body); that is no leak.
                var sent = path + (body is null ? string.Empty : JsonSerializer.Serialize(body, JsonSerializerOptions.Web));
                foreach (var secret in owner.Private.Where(secret => !sent.Contains(secret, StringComparison.Ordinal)))
                {
                    Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{endpoint} showed the outsider '{secret}': {text}");
                }
            }

            cases += 2;
        }

        // Nothing the outsider tried changed the owner's data.
        var consultation = await owner.Client.GetFromJsonAsync<JsonElement>($"/v1/consultations/{owner.Ids["consultationId"]}/reactions/{owner.Ids["reactionId"]}", Cancel);
        Assert.Equal("received", consultation.GetProperty("status").GetString());
        var summary = $"Isolation: {endpoints.Count} endpoints from {Apis.Length} OpenAPI documents, {cases} cases.";
        output.WriteLine(summary);
        Console.WriteLine(summary);
        Assert.True(endpoints.Count >= 25, $"Only {endpoints.Count} endpoints were found in the OpenAPI documents.");
    }

    public static TheoryData<string, bool, bool, bool, bool> Roles => new()
    {
        // role, open consultations and enter reactions, answer reactions it does not own, manage members, read the audit
        { "co-owner", true, true, true, true },
        { "contributor", true, false, false, false },
        { "observer", false, false, false, false },
    };

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task A_partner_gets_exactly_what_its_role_allows(string role, bool contributes, bool answers, bool manages, bool readsAudit)
    {
        var owner = await OwnerWithDataAsync();
        var member = await platform.RegisterPartnerWithClientAsync($"Partner als {role}", "municipality");
        var third = await platform.RegisterPartnerWithClientAsync("Derde partij", "tenants-organisation");
        using (var set = await owner.Client.PutAsJsonAsync($"/v1/trajectories/{owner.Ids["trajectoryId"]}/members/{member.PartnerId}", new { role }, Cancel))
        {
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        }

        var ids = owner.Ids;
        var client = member.Client;

        // Every role reads the trajectory and what is in it.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/v1/trajectories/{ids["trajectoryId"]}", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/v1/consultations/{ids["consultationId"]}", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/v1/consultations/{ids["consultationId"]}/reactions", Cancel)).StatusCode);

        Expect(contributes, await client.PostAsJsonAsync("/v1/consultations", Bodies(ids)["OpenConsultation"], Cancel), HttpStatusCode.Created);
        Expect(contributes, await client.PostAsJsonAsync($"/v1/consultations/{ids["consultationId"]}/reactions", Bodies(ids)["SubmitReaction"], Cancel), HttpStatusCode.Created);
        Expect(answers, await client.PutAsJsonAsync($"/v1/consultations/{ids["consultationId"]}/reactions/{ids["reactionId"]}/answer", Bodies(ids)["AnswerReaction"], Cancel), HttpStatusCode.OK);
        Expect(manages, await client.PutAsJsonAsync($"/v1/trajectories/{ids["trajectoryId"]}/members/{third.PartnerId}", new { role = "observer" }, Cancel), HttpStatusCode.OK);
        Expect(readsAudit, await client.GetAsync($"/v1/trajectories/{ids["trajectoryId"]}/audit", Cancel), HttpStatusCode.OK);

        // No role reads another partner's private notes: a co-owner sees only its own.
        var notes = await client.GetFromJsonAsync<JsonElement>($"/v1/trajectories/{ids["trajectoryId"]}/private-notes", Cancel);
        Assert.Equal(0, notes.GetProperty("totalCount").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync($"/v1/trajectories/{ids["trajectoryId"]}/private-notes/{ids["noteId"]}", Cancel)).StatusCode);

        // No role reaches the owner's residents' personal data, or the owner's clients.
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/v1/residents/{ids["residentId"]}", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/v1/partners/{ids["partnerId"]}/clients", Cancel)).StatusCode);
        // And nobody but the lead's own transfer can touch the lead.
        Assert.NotEqual(HttpStatusCode.NoContent, (await client.DeleteAsync($"/v1/trajectories/{ids["trajectoryId"]}/members/{ids["partnerId"]}", Cancel)).StatusCode);
    }

    private static void Expect(bool allowed, HttpResponseMessage response, HttpStatusCode success)
    {
        using (response)
        {
            Assert.True(
                allowed ? response.StatusCode == success : response.StatusCode == HttpStatusCode.Forbidden,
                $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}: expected {(allowed ? success : HttpStatusCode.Forbidden)}, got {(int)response.StatusCode}");
        }
    }

    private sealed record Owner(HttpClient Client, Dictionary<string, string> Ids, IReadOnlyList<string> Private);

    /// <summary>A housing corporation with a trajectory, a resident, a consultation, a reaction and a notification.</summary>
    private async Task<Owner> OwnerWithDataAsync()
    {
        var owner = await platform.RegisterPartnerWithClientAsync("Woonstichting Eigenaar", "housing-corporation");
        var buurtCode = $"BU{Random.Shared.Next(10_000_000, 99_999_999)}";
        var client = owner.Client;
        var ids = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["partnerId"] = owner.PartnerId.ToString(),
            ["clientId"] = owner.ClientId,
        };
        async Task<JsonElement> Post(string path, object body)
        {
            using var response = await client.PostAsJsonAsync(path, body, Cancel);
            var text = await response.Content.ReadAsStringAsync(Cancel);
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST {path}: {text}");
            return JsonDocument.Parse(text).RootElement.Clone();
        }

        ids["trajectoryId"] = (await Post("/v1/trajectories", new { name = "Eigen traject", buurtCodes = new[] { buurtCode } })).GetProperty("id").GetString()!;
        ids["buurtCode"] = buurtCode;
        ids["residentId"] = (await Post("/v1/residents", new
        {
            fullName = "Geheime Bewoner",
            postcode = "1021 AB",
            houseNumber = 9,
            buurtCode,
            email = "geheim@example.org",
            preferredLanguage = "nl",
            preferredChannel = "email",
        })).GetProperty("id").GetString()!;
        ids["contactId"] = (await Post($"/v1/partners/{owner.PartnerId}/contacts", new { name = "Contact Persoon", email = "contact@example.org" })).GetProperty("id").GetString()!;
        ids["consultationId"] = (await Post("/v1/consultations", new
        {
            trajectoryId = ids["trajectoryId"],
            title = "Eigen raadpleging",
            description = "Alleen voor de eigen partners.",
            buurtCode,
            closesOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(20)),
        })).GetProperty("id").GetString()!;
        ids["reactionId"] = (await Post($"/v1/consultations/{ids["consultationId"]}/reactions", new { residentId = ids["residentId"], text = "Geheime reactie" })).GetProperty("id").GetString()!;

        // Coordination between partners, inside the trajectory; and a best practice, which is shared with everyone.
        var bodies = Bodies(ids);
        var trajectoryPath = $"/v1/trajectories/{ids["trajectoryId"]}";
        ids["taskId"] = (await Post($"{trajectoryPath}/tasks", bodies["CreateTask"])).GetProperty("id").GetString()!;
        ids["agreementId"] = (await Post($"{trajectoryPath}/agreements", bodies["CreateAgreement"])).GetProperty("id").GetString()!;
        ids["activityId"] = (await Post($"{trajectoryPath}/activities", bodies["CreateActivity"])).GetProperty("id").GetString()!;
        ids["entryId"] = (await Post($"{trajectoryPath}/communication-plan/entries", bodies["AddCommunicationPlanEntry"])).GetProperty("id").GetString()!;
        ids["interestId"] = (await Post($"{trajectoryPath}/interests", bodies["RecordInterest"])).GetProperty("id").GetString()!;
        ids["bestPracticeId"] = (await Post("/v1/best-practices", bodies["PublishBestPractice"])).GetProperty("id").GetString()!;
        ids["noteId"] = (await Post($"{trajectoryPath}/private-notes", new { text = "Geheime notitie van de eigenaar" })).GetProperty("id").GetString()!;
        ids["measurementId"] = (await Post("/v1/support-measurements", bodies["CreateSupportMeasurement"])).GetProperty("id").GetString()!;
        ids["themeId"] = (await Post($"/v1/consultations/{ids["consultationId"]}/themes", bodies["CreateTheme"])).GetProperty("id").GetString()!;
        ids["meetingId"] = (await Post($"/v1/consultations/{ids["consultationId"]}/meetings", bodies["CreateMeeting"])).GetProperty("id").GetString()!;

        // An Overlegwet request for advice to a tenants' organisation that takes part in the trajectory.
        var tenants = await platform.RegisterPartnerWithClientAsync("Huurdersvereniging Eigen", "tenants-organisation");
        using (var join = await client.PutAsJsonAsync($"{trajectoryPath}/members/{tenants.PartnerId}", new { role = "contributor" }, Cancel))
        {
            Assert.Equal(HttpStatusCode.OK, join.StatusCode);
        }

        ids["tenantsOrganisationPartnerId"] = tenants.PartnerId.ToString();
        ids["adviceRequestId"] = (await Post($"{trajectoryPath}/advice-requests", Bodies(ids)["RequestAdvice"])).GetProperty("id").GetString()!;
        await Post($"/v1/consultations/{ids["consultationId"]}/reactions/{ids["reactionId"]}/internal-notes", new { text = "Geheime interne notitie", author = "Eigenaar" });
        await Post($"/v1/partners/{owner.PartnerId}/staff", new { email = $"staf-{Guid.NewGuid():N}@eigenaar.example", name = "Geheime Medewerker", password = "een-lang-wachtwoord" });

        var deadline = DateTime.UtcNow.AddSeconds(60);
        JsonElement notifications;
        do
        {
            await Task.Delay(250, Cancel);
            notifications = await client.GetFromJsonAsync<JsonElement>($"/v1/notifications?residentId={ids["residentId"]}", Cancel);
        }
        while (notifications.GetProperty("totalCount").GetInt32() < 2 && DateTime.UtcNow < deadline);
        ids["notificationId"] = notifications.GetProperty("items")[0].GetProperty("id").GetString()!;

        string[] secrets =
        [
            ids["trajectoryId"], ids["residentId"], ids["consultationId"], ids["reactionId"], ids["notificationId"], ids["contactId"],
            ids["taskId"], ids["agreementId"], ids["activityId"], ids["entryId"], ids["interestId"], ids["noteId"], "Geheime notitie",
            ids["measurementId"], "Geheime renovatie", ids["themeId"], "Geheim thema", "Geheime interne notitie",
            ids["adviceRequestId"], "Geheim adviesverzoek", ids["meetingId"], "Geheim buurthuis",
            owner.ClientId, "Geheime Bewoner", "geheim@example.org", "Geheime reactie", "Eigen raadpleging", "Contact Persoon",
            "Geheime taak", "Geheime afspraak", "Geheime bewonersavond", "Geheim belang", "Geheime Medewerker",
        ];
        return new Owner(client, ids, secrets);
    }

    /// <summary>A valid body for every operation that takes one, so that an outsider is refused for who it is, not for what it sent.</summary>
    private static Dictionary<string, object> Bodies(IReadOnlyDictionary<string, string> ids) => new(StringComparer.Ordinal)
    {
        ["RegisterPartner"] = new { name = "Indringer", kind = "social-institution", registryNumber = PlatformFixture.NewRegistryNumber("social-institution") },
        ["RegisterClient"] = new { displayName = "Indringer", kind = "system" },
        ["AddContact"] = new { name = "Indringer", email = "indringer@example.org" },
        ["CreateTrajectory"] = new { name = "Eigen traject van de buitenstaander", buurtCodes = new[] { "BU00000002" } },
        ["SetTrajectoryMember"] = new { role = "co-owner" },
        ["RegisterResident"] = new { fullName = "Andere Bewoner", postcode = "1021 AB", houseNumber = 11, buurtCode = "BU00000002", preferredLanguage = "nl", preferredChannel = "letter" },
        ["OpenConsultation"] = new { trajectoryId = ids["trajectoryId"], title = "Nog een raadpleging", description = "Wat vindt u?", buurtCode = ids["buurtCode"], closesOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(20)) },
        ["SubmitReaction"] = new { residentId = ids["residentId"], text = "Een reactie" },
        ["AnswerReaction"] = new { status = "adopted", explanation = "Dat nemen wij over, zeker weten." },
        ["ChangeTrajectoryPhase"] = new { phase = "decision" },
        ["CreateSupportMeasurement"] = new
        {
            trajectoryId = ids["trajectoryId"],
            title = "Geheime renovatie",
            proposal = "Nieuwe kozijnen en dakisolatie.",
            deadline = DateTimeOffset.UtcNow.AddDays(20),
            homes = Enumerable.Range(1, 10).Select(n => new { postcode = "1021 AB", houseNumber = n }).ToArray(),
        },
        ["CreateMeeting"] = new
        {
            place = "Geheim buurthuis",
            startsAt = DateTimeOffset.UtcNow.AddDays(10),
            endsAt = DateTimeOffset.UtcNow.AddDays(10).AddHours(2),
            capacity = 40,
        },
        ["RegisterForMeeting"] = new { residentId = ids["residentId"] },
        ["RecordMeetingAttendance"] = new { attended = true },
        ["SetQuestionnaire"] = new { questions = new[] { new { id = "wensen", type = "open", texts = AllLanguages("Wat wilt u?") } } },
        ["SubmitQuestionnaireResponse"] = new { residentId = ids["residentId"], answers = new[] { new { questionId = "wensen", text = "Bankjes" } } },
        ["SetPoll"] = new
        {
            texts = AllLanguages("Welke naam?"),
            options = new[] { new { id = "meeuw", texts = AllLanguages("Meeuwplein") }, new { id = "zon", texts = AllLanguages("Zonneplein") } },
        },
        ["SubmitPollResponse"] = new { residentId = ids["residentId"], optionId = "meeuw" },
        ["RequestAdvice"] = new
        {
            tenantsOrganisationPartnerId = ids.GetValueOrDefault("tenantsOrganisationPartnerId", ids["partnerId"]),
            subject = "Geheim adviesverzoek",
            proposal = "Isolatie en nieuwe kozijnen.",
        },
        ["RecordAdvice"] = new { text = "Geen huurverhoging zonder extra isolatie." },
        ["RecordAdviceDecision"] = new { followsAdvice = false },
        ["RecordReasonedAnswer"] = new { text = "De isolatie volgt in 2028." },
        ["SetTrajectorySettings"] = new { answerWorkingDays = 10 },
        ["AssignReaction"] = new { partnerId = ids["partnerId"], assignee = "j.devries@example.org" },
        ["AddInternalNote"] = new { text = "Notitie van een ander", author = "Indringer" },
        ["CreateTheme"] = new { title = "Geheim thema", description = "Bomen in plaats van stenen." },
        ["AddReactionsToTheme"] = new { reactionIds = new[] { ids["reactionId"] } },
        ["AnswerTheme"] = new { status = "adopted", explanation = "Dat nemen wij over, zeker weten." },
        ["CastSupportVote"] = new { code = "K7QM-3XRD-9HTW", choice = "agree", channel = "letter" },
        ["AddPrivateNote"] = new { text = "Notitie van een ander" },
        ["AddStaffMember"] = new { email = $"indringer-{Guid.NewGuid():N}@example.org", name = "Indringer", password = "een-lang-wachtwoord" },
        ["CreateTask"] = TaskBody(ids),
        ["UpdateTask"] = TaskBody(ids),
        ["SetTaskStatus"] = new { status = "done" },
        ["CreateAgreement"] = new { title = "Geheime afspraak", description = "Wie doet wat.", partnerIds = new[] { ids["partnerId"] } },
        ["CreateActivity"] = Activity(ids),
        ["UpdateActivity"] = Activity(ids),
        ["AddCommunicationPlanEntry"] = PlanEntry,
        ["UpdateCommunicationPlanEntry"] = PlanEntry,
        ["RecordInterest"] = Interest,
        ["UpdateInterest"] = Interest,
        ["PublishBestPractice"] = BestPractice,
        ["UpdateBestPractice"] = BestPractice,
    };

    /// <summary>The same text under every supported language, as questionnaires require.</summary>
    private static Dictionary<string, string> AllLanguages(string text) =>
        new[] { "nl", "en", "tr", "ar", "pl", "uk" }.ToDictionary(language => language, _ => text, StringComparer.Ordinal);

    private static object TaskBody(IReadOnlyDictionary<string, string> ids) => new
    {
        title = "Geheime taak",
        description = "Brieven bezorgen.",
        assigneePartnerId = ids["partnerId"],
        dueDate = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(7)),
    };

    private static object Activity(IReadOnlyDictionary<string, string> ids) => new
    {
        kind = "bewonersavond",
        title = "Geheime bewonersavond",
        place = "Buurthuis",
        startsAt = DateTimeOffset.UtcNow.AddDays(14),
        endsAt = DateTimeOffset.UtcNow.AddDays(14).AddHours(2),
        responsiblePartnerId = ids["partnerId"],
        targetGroups = new[] { "all-residents" },
    };

    private static readonly object PlanEntry = new { phase = "orientation", channel = "letter", targetGroups = new[] { "tenants" }, when = "maart 2027" };

    private static readonly object Interest = new { topic = "Geheim belang", position = "Wij willen de huren gelijk houden." };

    private static readonly object BestPractice = new
    {
        title = "Gedeelde les",
        lesson = "Een inloopspreekuur in de eigen taal bereikt meer bewoners.",
        targetGroups = new[] { "non-dutch-speakers" },
        theme = "bereik",
        trajectoryKind = "renovation",
    };

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), Encoding.UTF8, "application/json");
        }

        return await client.SendAsync(request, Cancel);
    }

    private sealed record Endpoint(string Api, HttpMethod Method, string Template, string OperationId, bool HasBody)
    {
        /// <summary>The path names a resource (by id) rather than a collection of the caller's own.</summary>
        public bool NamesOwnersResource =>
            Template.Contains('{', StringComparison.Ordinal) || OperationId is "OpenConsultation" or "CreateSupportMeasurement";

        public string Path(IReadOnlyDictionary<string, string> ids) =>
            System.Text.RegularExpressions.Regex.Replace(Template, "{([^}:]+)(:[^}]*)?}", match =>
                ids.TryGetValue(match.Groups[1].Value, out var value)
                    ? value
                    : throw new InvalidOperationException($"No value for {{{match.Groups[1].Value}}} in {Template}: add one to the owner's ids."));

        public override string ToString() => $"{Method} {Template} ({Api} {OperationId})";
    }

    private static async Task<IReadOnlyList<Endpoint>> EndpointsAsync(HttpClient anonymous)
    {
        var endpoints = new List<Endpoint>();
        foreach (var api in Apis)
        {
            var document = await anonymous.GetFromJsonAsync<JsonElement>($"/{api}/openapi.json", Cancel);
            // The paths sit below the document's server URL ("/v1").
            var server = document.GetProperty("servers")[0].GetProperty("url").GetString()!;
            foreach (var path in document.GetProperty("paths").EnumerateObject())
            {
                foreach (var operation in path.Value.EnumerateObject())
                {
                    endpoints.Add(new Endpoint(
                        api,
                        new HttpMethod(operation.Name.ToUpperInvariant()),
                        server + path.Name,
                        operation.Value.GetProperty("operationId").GetString()!,
                        operation.Value.TryGetProperty("requestBody", out _)));
                }
            }
        }

        return endpoints;
    }
}
