using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Participatie.Testing;

namespace Participatie.EndToEndTests;

/// <summary>
/// Partners own their part. Every operation of every API, as its OpenAPI document lists it, is called by an outsider
/// (a partner that takes part in nothing of the owner's) with the owner's ids and a body that would succeed for the
/// owner, and without a token at all. Only the access check can refuse it then: exactly 403 or 404, never a 422 that
/// a bad body would give. After every outsider write the owner reads its data again: nothing changed.
/// </summary>
public sealed class IsolationTests(PlatformFixture platform, ITestOutputHelper output)
{
    /// <summary>
    /// The operations each API has. A new operation fails the test until it has a case here: an expectation (below)
    /// and, when it takes a body, a body in <see cref="Bodies"/>; and, inside a trajectory, an expectation per role in
    /// <see cref="TrajectoryRoleTests"/>, which calls every operation from this same catalogue.
    /// </summary>
    internal static readonly Dictionary<string, int> ExpectedOperations = new(StringComparer.Ordinal)
    {
        ["partner-coordination"] = 65,
        ["residents"] = 18,
        ["consultations"] = 51,
        ["notifications"] = 20,
    };

    /// <summary>
    /// Shared with every partner of the platform by design: the partner directory (name, kind, public registry number)
    /// and published best practices. The outsider reads them (200).
    /// </summary>
    private static readonly HashSet<string> DirectoryOperations = ["ListPartners", "GetPartner", "GetPartnerLogo", "SearchBestPractices", "GetBestPractice", "ListDeclaredHolidays", "ListChannels"];

    /// <summary>
    /// Operations on the caller's own collections: the outsider succeeds (2xx), on its own data, and sees nothing of
    /// the owner's.
    /// </summary>
    private static readonly HashSet<string> OwnScopeOperations =
    [
        "CreateTrajectory", "ListTrajectories", "PublishBestPractice", "RegisterResident", "RegisterResidentsInBulk", "GetResidentAggregates", "ListResidents",
        "ListConsultations", "ListSupportMeasurements", "ListNotifications", "ListLetterBatches", "CutLetterBatches", "ListSubscriptions",
        // Reads nobody's data: it scores the text the caller sends.
        "CheckText",
    ];

    /// <summary>Operations without an id in the path that the outsider is refused all the same: only the operator may.</summary>
    private static readonly HashSet<string> RefusedWithoutIdInPath = ["RegisterPartner"];

    /// <summary>
    /// Operations that name the owner's trajectory in the body, not the path. The API answers a reference in a body
    /// that the caller cannot use with 422 naming the field (ConsultationAccess: "you take part in no trajectory"), so
    /// here, and only here, the refusal is a 422 naming trajectoryId; the owner's data was made with these very bodies,
    /// so nothing else in them can be what is refused.
    /// </summary>
    internal static readonly HashSet<string> RefusedByReferenceInBody = ["OpenConsultation", "CreateSupportMeasurement", "CreateSubscription"];

    /// <summary>
    /// Reads that are no witness of the owner's data: lists that change when anyone publishes, the access log (which
    /// grows with the owner's own reads), the proofs of an erasure, which exist only once there was one, and the
    /// aggregates, which need a buurt to count. An advice request's PDF dossier is rendered anew on each read (its creation
    /// time differs); GetAdviceRequest, beside it, witnesses the same data.
    /// </summary>
    private static readonly HashSet<string> SharedLists =
        ["ListPartners", "SearchBestPractices", "GetResidentAccessLog", "GetResidentErasure", "GetErasure", "GetResidentAggregates", "ListDeclaredHolidays",
         "GetAdviceDossier"];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_outsider_reaches_none_of_another_partners_data_through_any_endpoint()
    {
        var owner = await OwnerWithDataAsync(platform);
        var outsider = await platform.RegisterPartnerWithClientAsync(TestData.NewPartnerName("Buitenstaander"), "social-institution");
        using var anonymous = platform.Anonymous();
        var endpoints = await EndpointsAsync(anonymous);
        var reads = new OwnerReads(owner.Client, endpoints, owner.Ids);
        var cases = 0;
        var rereads = 0;
        // Every operation is tried and every failure reported at once: one run of the platform shows them all.
        var failures = new List<string>();
        void Check(bool condition, string failure)
        {
            if (!condition)
            {
                failures.Add(failure);
            }
        }

        foreach (var api in ExpectedOperations.Keys)
        {
            var found = endpoints.Where(endpoint => endpoint.Api == api).ToList();
            Assert.True(
                found.Count == ExpectedOperations[api],
                $"The {api} API has {found.Count} operations, {ExpectedOperations[api]} expected; give a new one a case in {nameof(IsolationTests)}: "
                + string.Join(", ", found.Select(endpoint => endpoint.OperationId)));
        }

        foreach (var endpoint in endpoints)
        {
            var expectation = ExpectationOf(endpoint);
            var path = endpoint.Path(owner.Ids);
            var body = Bodies(owner.Ids).GetValueOrDefault(endpoint.OperationId);
            Assert.True(!endpoint.HasBody || body is not null, $"Give {endpoint.OperationId} a body that succeeds for the owner in {nameof(Bodies)}.");

            // Without a token: 401, whatever the endpoint.
            using (var response = await SendAsync(anonymous, endpoint.Method, path, body))
            {
                Check(response.StatusCode == HttpStatusCode.Unauthorized, $"{endpoint} without a token answered {(int)response.StatusCode}");
            }

            // What the owner sees where the outsider is about to write, read before the write.
            var witnesses = endpoint.Method == HttpMethod.Get ? [] : reads.WitnessesOf(endpoint);
            var before = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var witness in witnesses)
            {
                before[witness] = await reads.ReadAsync(witness);
            }

            using (var response = await SendAsync(outsider.Client, endpoint.Method, path, body))
            {
                var text = await response.Content.ReadAsStringAsync(Cancel);
                switch (expectation)
                {
                    case Expectation.Refused:
                        Check(
                            response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound,
                            $"{endpoint} as an outsider answered {(int)response.StatusCode}, not 403 or 404: {text}");
                        break;
                    case Expectation.RefusedByReference:
                        Check(
                            response.StatusCode == HttpStatusCode.UnprocessableEntity && NamesField(text, "trajectoryId"),
                            $"{endpoint} as an outsider answered {(int)response.StatusCode}, not 422 naming trajectoryId: {text}");
                        break;
                    case Expectation.OwnScope:
                    case Expectation.Directory:
                        Check(response.IsSuccessStatusCode, $"{endpoint} as an outsider, on its own or shared data, answered {(int)response.StatusCode}: {text}");
                        break;
                }

                // A problem may echo what the outsider itself sent (an id in the path or body); that is no leak.
                var sent = path + (body is null ? string.Empty : JsonSerializer.Serialize(body, JsonSerializerOptions.Web));
                foreach (var secret in owner.Private.Where(secret => !sent.Contains(secret, StringComparison.Ordinal)))
                {
                    Check(!text.Contains(secret, StringComparison.Ordinal), $"{endpoint} showed the outsider '{secret}': {text}");
                }
            }

            // The owner reads again: the outsider's write changed nothing of the owner's.
            foreach (var witness in witnesses)
            {
                var after = await reads.ReadAsync(witness, fresh: true);
                Check(before[witness] == after, $"After {endpoint} by the outsider, the owner's GET {witness} changed:\nbefore: {before[witness]}\nafter:  {after}");
                rereads++;
            }

            cases += 2;
        }

        var summary = $"Isolation: {endpoints.Count} operations from {ExpectedOperations.Count} OpenAPI documents, {cases} cases, {rereads} re-reads by the owner.";
        output.WriteLine(summary);
        Console.WriteLine(summary);
        failures.AddRange(reads.Failures.Distinct(StringComparer.Ordinal));
        Assert.True(failures.Count == 0, $"{failures.Count} failures in {cases} cases:\n" + string.Join("\n", failures));
        Assert.True(rereads >= endpoints.Count(endpoint => endpoint.Method != HttpMethod.Get), $"Fewer re-reads ({rereads}) than writes.");
    }

    internal enum Expectation
    {
        Refused,
        RefusedByReference,
        OwnScope,
        Directory,
    }

    internal static bool NamesField(string problem, string field)
    {
        try
        {
            return JsonDocument.Parse(problem).RootElement.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    internal static Expectation ExpectationOf(Endpoint endpoint) =>
        DirectoryOperations.Contains(endpoint.OperationId) ? Expectation.Directory
        : OwnScopeOperations.Contains(endpoint.OperationId) ? Expectation.OwnScope
        : RefusedByReferenceInBody.Contains(endpoint.OperationId) ? Expectation.RefusedByReference
        : endpoint.HasIdInPath || RefusedWithoutIdInPath.Contains(endpoint.OperationId) ? Expectation.Refused
        : throw new InvalidOperationException(
            $"{endpoint} has no id in its path and no case: add it to {nameof(OwnScopeOperations)}, {nameof(DirectoryOperations)}, {nameof(RefusedByReferenceInBody)} or {nameof(RefusedWithoutIdInPath)}.");

    /// <summary>
    /// The owner's reads that show what an outsider's write would change: the GET on the same path, the GETs beside it
    /// (a vote's result, a poll's results), and the nearest GET above it (the reaction an answer is for).
    /// </summary>
    private sealed class OwnerReads(HttpClient owner, IReadOnlyList<Endpoint> endpoints, IReadOnlyDictionary<string, string> ids)
    {
        private readonly Dictionary<string, string> _lastSeen = new(StringComparer.Ordinal);

        private readonly HashSet<string> _gets = [.. endpoints
            .Where(endpoint => endpoint.Method == HttpMethod.Get && !SharedLists.Contains(endpoint.OperationId))
            .Select(endpoint => endpoint.Template)];

        public IReadOnlyList<string> WitnessesOf(Endpoint write)
        {
            var templates = new List<string>();
            if (_gets.Contains(write.Template))
            {
                templates.Add(write.Template);
            }

            var parent = Parent(write.Template);
            if (write.HasIdInPath)
            {
                templates.AddRange(_gets.Where(get => Parent(get) == parent && get != write.Template));
            }

            for (var above = parent; above is not null; above = Parent(above))
            {
                if (_gets.Contains(above))
                {
                    templates.Add(above);
                    break;
                }
            }

            return [.. templates.Distinct(StringComparer.Ordinal).Select(template => Endpoint.Fill(template, ids))];
        }

        /// <summary>Reads the owner could not make: a witness that is no witness.</summary>
        public List<string> Failures { get; } = [];

        /// <summary>Reads as the owner (status and body); the last read stands for "before" when nothing was written since.</summary>
        public async Task<string> ReadAsync(string path, bool fresh = false)
        {
            if (!fresh && _lastSeen.TryGetValue(path, out var seen))
            {
                return seen;
            }

            while (true)
            {
                using var response = await owner.GetAsync(path, Cancel);
                var text = await response.Content.ReadAsStringAsync(Cancel);
                // The owner's own reads may meet its rate limit; waiting is what a client does, and not what is tested.
                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1), Cancel);
                    continue;
                }

                if (!response.IsSuccessStatusCode)
                {
                    Failures.Add($"The owner's own GET {path} answered {(int)response.StatusCode}: {text}");
                }

                text = $"{(int)response.StatusCode} {text}";
                _lastSeen[path] = text;
                return text;
            }
        }

        private static string? Parent(string template)
        {
            var slash = template.LastIndexOf('/');
            return slash <= "/v1".Length ? null : template[..slash];
        }
    }

    internal sealed record Owner(HttpClient Client, Dictionary<string, string> Ids, IReadOnlyList<string> Private);

    /// <summary>A housing corporation with a trajectory, a resident, a consultation, a reaction and a notification.</summary>
    internal static async Task<Owner> OwnerWithDataAsync(PlatformFixture platform)
    {
        var owner = await platform.RegisterPartnerWithClientAsync(TestData.NewPartnerName("Woonstichting Eigenaar"), "housing-corporation");
        var buurtCode = TestData.NewBuurtCode();
        var address = TestData.NewAddress(9);
        var client = owner.Client;
        var ids = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["partnerId"] = owner.PartnerId.ToString(),
            ["clientId"] = owner.ClientId,
        };
        async Task<JsonElement> Post(string path, object body, HttpStatusCode expected = HttpStatusCode.Created)
        {
            using var response = await client.PostAsJsonAsync(path, body, Cancel);
            var text = await response.Content.ReadAsStringAsync(Cancel);
            Assert.True(response.StatusCode == expected, $"POST {path}: {text}");
            return JsonDocument.Parse(text).RootElement.Clone();
        }

        // The owner's logo, which any partner may read (the console shows it); only the owner may change it.
        using (var logo = new StringContent(
            """<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>""",
            System.Text.Encoding.UTF8,
            "image/svg+xml"))
        using (var logoSet = await client.PutAsync($"/v1/partners/{owner.PartnerId}/logo", logo, Cancel))
        {
            Assert.True(logoSet.IsSuccessStatusCode, $"PUT logo: {await logoSet.Content.ReadAsStringAsync(Cancel)}");
        }

        ids["trajectoryId"] = (await Post("/v1/trajectories", new { name = "Eigen traject", buurtCodes = new[] { buurtCode } })).GetProperty("id").GetString()!;
        await PlatformFixture.WaitForConsultationsAccessAsync(client, Guid.Parse(ids["trajectoryId"]));
        ids["buurtCode"] = buurtCode;
        // A day the operator may declare equal to a holiday (platform policy: a partner is refused).
        ids["day"] = "2099-12-31";
        ids["measurementPostcode"] = TestData.NewPostcode();
        ids["residentId"] = (await Post("/v1/residents", new
        {
            fullName = "Geheime Bewoner",
            postcode = address.Postcode,
            houseNumber = address.HouseNumber,
            buurtCode,
            email = "geheim@example.org",
            preferredLanguage = "nl",
            preferredChannel = "email",
        })).GetProperty("id").GetString()!;
        // Residents of the buurt for the entries a member makes in the role tests (a registration, answers, a choice):
        // the consultations service takes entries only for residents it knows, and the owner's resident is the owner's.
        foreach (var (key, name, number) in new[] { ("meetingResidentId", "Aanmelding", 21), ("questionnaireResidentId", "Vragenlijst", 23), ("pollResidentId", "Peiling", 25) })
        {
            ids[key] = (await Post("/v1/residents", new
            {
                fullName = $"Bewoner {name}", postcode = address.Postcode, houseNumber = number, buurtCode, preferredLanguage = "nl", preferredChannel = "letter",
            })).GetProperty("id").GetString()!;
        }

        // A resident who reads letters: the consultation's invitation to them goes into the owner's print batch.
        var letterAddress = TestData.NewAddress(11);
        await Post("/v1/residents", new
        {
            fullName = "Geheime Briefbewoner",
            street = "Geheime Straat",
            postcode = letterAddress.Postcode,
            houseNumber = letterAddress.HouseNumber,
            city = "Demostad",
            buurtCode,
            preferredLanguage = "nl",
            preferredChannel = "letter",
        });
        // A copy of the resident's data the owner asked for on their behalf; a consent purpose; an erasure id (of none).
        ids["exportId"] = (await Post($"/v1/residents/{ids["residentId"]}/data-exports", new { }, HttpStatusCode.Accepted)).GetProperty("id").GetString()!;
        ids["purpose"] = "research";
        ids["erasureId"] = Guid.NewGuid().ToString();
        ids["contactId"] = (await Post($"/v1/partners/{owner.PartnerId}/contacts", new { name = "Contact Persoon", email = "contact@example.org" })).GetProperty("id").GetString()!;
        // The body the outsider sends later, which must therefore be one that succeeds for the owner.
        ids["consultationId"] = (await Post("/v1/consultations", OpenConsultationBody(ids))).GetProperty("id").GetString()!;
        await platform.WaitUntilConsultationsKnowAsync(
            [.. new[] { "residentId", "meetingResidentId", "questionnaireResidentId", "pollResidentId" }.Select(key => Guid.Parse(ids[key]))]);
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
        var measurement = await Post("/v1/support-measurements", bodies["CreateSupportMeasurement"]);
        ids["measurementId"] = measurement.GetProperty("id").GetString()!;
        // Two of its homes: a paper form for the one, the other left out as vacant, were it a contributor of the trajectory.
        ids["homeKey"] = measurement.GetProperty("homes")[0].GetString()!;
        ids["otherHomeKey"] = measurement.GetProperty("homes")[1].GetString()!;
        ids["themeId"] = (await Post($"/v1/consultations/{ids["consultationId"]}/themes", bodies["CreateTheme"])).GetProperty("id").GetString()!;
        ids["meetingId"] = (await Post($"/v1/consultations/{ids["consultationId"]}/meetings", bodies["CreateMeeting"])).GetProperty("id").GetString()!;
        await Post($"/v1/consultations/{ids["consultationId"]}/meetings/{ids["meetingId"]}/registrations", new { residentId = ids["residentId"] });
        // A questionnaire and a poll, so that a response to them would be taken from the owner.
        foreach (var (part, operation) in new[] { ("questionnaire", "SetQuestionnaire"), ("poll", "SetPoll") })
        {
            using var set = await client.PutAsJsonAsync($"/v1/consultations/{ids["consultationId"]}/{part}", bodies[operation], Cancel);
            Assert.True(set.StatusCode == HttpStatusCode.Created, $"PUT {part}: {await set.Content.ReadAsStringAsync(Cancel)}");
        }

        // An Overlegwet request for advice to a tenants' organisation that takes part in the trajectory.
        var tenants = await platform.RegisterPartnerWithClientAsync(TestData.NewPartnerName("Huurdersvereniging Eigen"), "tenants-organisation");
        using (var join = await client.PutAsJsonAsync($"{trajectoryPath}/members/{tenants.PartnerId}", new { role = "contributor" }, Cancel))
        {
            Assert.Equal(HttpStatusCode.OK, join.StatusCode);
        }

        ids["tenantsOrganisationPartnerId"] = tenants.PartnerId.ToString();
        ids["adviceRequestId"] = (await Post($"{trajectoryPath}/advice-requests", Bodies(ids)["RequestAdvice"])).GetProperty("id").GetString()!;
        await Post($"/v1/consultations/{ids["consultationId"]}/reactions/{ids["reactionId"]}/internal-notes", new { text = "Geheime interne notitie", author = "Eigenaar" });
        ids["staffId"] = (await Post($"/v1/partners/{owner.PartnerId}/staff", new { email = $"staf-{Guid.NewGuid():N}@eigenaar.example", name = "Geheime Medewerker", password = "een-lang-wachtwoord" }))
            .GetProperty("id").GetString()!;

        // The invitation and the receipt reach the resident by the broker; the test goes on once both are there.
        var notifications = await Eventually.MatchesAsync(
            () => client.GetFromJsonAsync<JsonElement>($"/v1/notifications?residentId={ids["residentId"]}", Cancel),
            page => page.GetProperty("totalCount").GetInt32() >= 2,
            "the owner's resident to be invited and to get a receipt",
            TimeSpan.FromSeconds(60));
        Assert.Equal(
            ["consultation-opened", "reaction-received"],
            notifications.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("kind").GetString()).Order(StringComparer.Ordinal));
        ids["notificationId"] = notifications.GetProperty("items")[0].GetProperty("id").GetString()!;
        // A subscription to an event none of this data raises, so that its deliveries (none) read the same every time.
        var subscription = await Eventually.MatchesAsync(
            async () =>
            {
                using var response = await client.PostAsJsonAsync("/v1/subscriptions", Bodies(ids)["CreateSubscription"], Cancel);
                return (response.StatusCode, Text: await response.Content.ReadAsStringAsync(Cancel));
            },
            answer => answer.StatusCode == HttpStatusCode.Created,
            "the notifications service to let the owner subscribe to its trajectory");
        ids["subscriptionId"] = JsonDocument.Parse(subscription.Text).RootElement.GetProperty("id").GetString()!;
        // Any id: an outsider's replay is refused at the subscription, before the delivery is looked for.
        ids["deliveryId"] = Guid.NewGuid().ToString();

        // The letter resident's invitation, printed in a batch the owner cuts now rather than at 16:00.
        var batches = await Eventually.MatchesAsync(
            async () =>
            {
                await Post("/v1/notifications/letter-batches", new { }, HttpStatusCode.OK);
                return await client.GetFromJsonAsync<JsonElement>("/v1/notifications/letter-batches", Cancel);
            },
            page => page.GetProperty("totalCount").GetInt32() > 0,
            "the owner's letter resident's invitation to be printed in a batch",
            TimeSpan.FromSeconds(60));
        ids["letterBatchId"] = batches.GetProperty("items")[0].GetProperty("id").GetString()!;

        string[] secrets =
        [
            ids["trajectoryId"], ids["residentId"], ids["consultationId"], ids["reactionId"], ids["notificationId"], ids["contactId"],
            ids["taskId"], ids["agreementId"], ids["activityId"], ids["entryId"], ids["interestId"], ids["noteId"], "Geheime notitie",
            ids["measurementId"], "Geheime renovatie", ids["themeId"], "Geheim thema", "Geheime interne notitie",
            ids["adviceRequestId"], "Geheim adviesverzoek", ids["meetingId"], "Geheim buurthuis",
            ids["letterBatchId"], "Geheime Briefbewoner", "Geheime Straat", ids["subscriptionId"],
            owner.ClientId, "Geheime Bewoner", "geheim@example.org", "Geheime reactie", "Eigen raadpleging", "Contact Persoon",
            "Geheime taak", "Geheime afspraak", "Geheime bewonersavond", "Geheim belang", "Geheime Medewerker",
        ];
        return new Owner(client, ids, secrets);
    }

    /// <summary>A valid body for every operation that takes one, so that an outsider is refused for who it is, not for what it sent.</summary>
    internal static Dictionary<string, object> Bodies(IReadOnlyDictionary<string, string> ids) => new(StringComparer.Ordinal)
    {
        ["CreateSubscription"] = new
        {
            // A documentation address (TEST-NET-3): public, so accepted outside development, and never reached.
            callbackUrl = "https://203.0.113.10/participatie/hooks",
            trajectoryId = ids["trajectoryId"],
            eventTypes = new[] { "nl.participatie.task.overdue" },
        },
        ["RegisterPartner"] = new { name = "Indringer", kind = "social-institution", registryNumber = PlatformFixture.NewRegistryNumber("social-institution") },
        ["RegisterClient"] = new { displayName = "Indringer", kind = "system" },
        ["AddContact"] = new { name = "Indringer", email = "indringer@example.org" },
        ["CreateTrajectory"] = new { name = "Eigen traject van de buitenstaander", buurtCodes = new[] { TestData.NewBuurtCode() } },
        ["GrantPartnerAreas"] = new { areaCodes = new[] { "GM0363" } },
        ["AddTrajectoryBuurten"] = new { buurtCodes = new[] { TestData.NewBuurtCode() } },
        ["SetTrajectoryMember"] = new { role = "co-owner" },
        ["RegisterResident"] = new { fullName = "Andere Bewoner", postcode = TestData.NewPostcode(), houseNumber = 11, buurtCode = TestData.NewBuurtCode(), preferredLanguage = "nl", preferredChannel = "letter" },
        ["UpdateResident"] = new { fullName = "Indringer Naam" },
        ["MoveResident"] = new { postcode = TestData.NewPostcode(), houseNumber = 5, buurtCode = "BU00000002" },
        ["SetResidentConsent"] = new { given = true, channel = "paper-form", givenAt = DateOnly.FromDateTime(DateTime.UtcNow) },
        ["RegisterResidentsInBulk"] = new
        {
            residents = new[]
            {
                new { fullName = "Bewoner Een", postcode = TestData.NewPostcode(), houseNumber = 1, buurtCode = TestData.NewBuurtCode(), preferredLanguage = "nl", preferredChannel = "letter" },
                new { fullName = "Bewoner Twee", postcode = TestData.NewPostcode(), houseNumber = 2, buurtCode = TestData.NewBuurtCode(), preferredLanguage = "tr", preferredChannel = "letter" },
            },
        },
        ["OpenConsultation"] = OpenConsultationBody(ids),
        ["SubmitReaction"] = new { residentId = ids["residentId"], text = "Een reactie" },
        ["AnswerReaction"] = new { status = "adopted", explanation = "Dat nemen wij over, zeker weten." },
        ["ChangeTrajectoryPhase"] = new { phase = "decision" },
        ["CreateSupportMeasurement"] = new
        {
            trajectoryId = ids["trajectoryId"],
            title = "Geheime renovatie",
            proposal = "Nieuwe kozijnen en dakisolatie.",
            deadline = DateTimeOffset.UtcNow.AddDays(20),
            homes = Enumerable.Range(1, 10).Select(n => new { postcode = ids.GetValueOrDefault("measurementPostcode", "1021 AB"), houseNumber = n }).ToArray(),
        },
        ["CreateMeeting"] = new
        {
            place = "Geheim buurthuis",
            startsAt = DateTimeOffset.UtcNow.AddDays(10),
            endsAt = DateTimeOffset.UtcNow.AddDays(10).AddHours(2),
            capacity = 40,
        },
        // Another resident than the owner's registered one: a member does not register a resident the owner registered (409).
        ["RegisterForMeeting"] = new { residentId = ids.GetValueOrDefault("meetingResidentId") ?? Guid.NewGuid().ToString() },
        ["RecordMeetingAttendance"] = new { attended = true },
        ["SetQuestionnaire"] = new { questions = new[] { new { id = "wensen", type = "open", texts = AllLanguages("Wat wilt u?") } } },
        ["SubmitQuestionnaireResponse"] = new { residentId = ids.GetValueOrDefault("questionnaireResidentId") ?? Guid.NewGuid().ToString(), answers = new[] { new { questionId = "wensen", text = "Bankjes" } } },
        ["SetPoll"] = new
        {
            texts = AllLanguages("Welke naam?"),
            options = new[] { new { id = "meeuw", texts = AllLanguages("Meeuwplein") }, new { id = "zon", texts = AllLanguages("Zonneplein") } },
        },
        ["SubmitPollResponse"] = new { residentId = ids.GetValueOrDefault("pollResidentId") ?? Guid.NewGuid().ToString(), optionId = "meeuw" },
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
        ["EnterPaperVote"] = new { homeKey = ids.GetValueOrDefault("homeKey", "none yet"), choice = "agree", formReference = "FORM-0001" },
        ["ExcludeSupportMeasurementHome"] = new { homeKey = ids.GetValueOrDefault("otherHomeKey", "none yet"), reason = "vacant" },
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
        ["CheckText"] = new { text = "We willen weten wat u vindt.", language = "nl" },
        ["DeclareHoliday"] = new { name = "Gelijkgestelde dag" },
    };

    private static object OpenConsultationBody(IReadOnlyDictionary<string, string> ids) => new
    {
        trajectoryId = ids["trajectoryId"],
        title = "Eigen raadpleging",
        description = "Alleen voor de eigen partners.",
        buurtCode = ids["buurtCode"],
        closesOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(20)),
    };

    /// <summary>The same text under every supported language, as questionnaires require.</summary>
    private static Dictionary<string, string> AllLanguages(string text) =>
        new[] { "nl", "en", "tr", "ar", "pl", "uk", "so", "ti" }.ToDictionary(language => language, _ => text, StringComparer.Ordinal);

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

    internal static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), Encoding.UTF8, "application/json");
        }

        return await client.SendAsync(request, Cancel);
    }

    internal sealed record Endpoint(string Api, HttpMethod Method, string Template, string OperationId, bool HasBody)
    {
        /// <summary>The path names a resource by id rather than a collection of the caller's own.</summary>
        public bool HasIdInPath => Template.Contains('{', StringComparison.Ordinal);

        /// <summary>
        /// The owner's ids in the path. A trajectory member is the tenants' organisation (a real member, so that the
        /// owner could change or remove it), not the owner itself; and the aggregates are asked for the owner's buurt.
        /// </summary>
        public string Path(IReadOnlyDictionary<string, string> ids)
        {
            var path = Fill(Template, OperationId is "SetTrajectoryMember" or "RemoveTrajectoryMember"
                ? new Dictionary<string, string>(ids, StringComparer.Ordinal) { ["partnerId"] = ids["tenantsOrganisationPartnerId"] }
                : ids);
            return OperationId == "GetResidentAggregates" ? $"{path}?buurtCode={ids["buurtCode"]}" : path;
        }

        public static string Fill(string template, IReadOnlyDictionary<string, string> ids) =>
            System.Text.RegularExpressions.Regex.Replace(template, "{([^}:]+)(:[^}]*)?}", match =>
                ids.TryGetValue(match.Groups[1].Value, out var value)
                    ? value
                    : throw new InvalidOperationException($"No value for {{{match.Groups[1].Value}}} in {template}: add one to the owner's ids."));

        public override string ToString() => $"{Method} {Template} ({Api} {OperationId})";
    }

    internal static async Task<IReadOnlyList<Endpoint>> EndpointsAsync(HttpClient anonymous)
    {
        var endpoints = new List<Endpoint>();
        foreach (var api in ExpectedOperations.Keys)
        {
            var document = await anonymous.GetFromJsonAsync<JsonElement>($"/{api}/openapi.json", Cancel);
            // The paths sit below the document's server URL ("/v1").
            var server = document.GetProperty("servers")[0].GetProperty("url").GetString()!;
            // Residents' own routes and the anonymous ones are not a partner's: ResidentJourneyTests and each service's
            // tests keep residents apart; here partners are kept apart.
            foreach (var path in document.GetProperty("paths").EnumerateObject().Where(path => !IsResidentOrPublic(path.Name)))
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

    private static bool IsResidentOrPublic(string path) =>
        path.StartsWith("/me/", StringComparison.Ordinal) || path == "/me"
        || path.StartsWith("/public/", StringComparison.Ordinal) || path.StartsWith("/sign-in/", StringComparison.Ordinal)
        // The token endpoint (OAuth 2.0, anonymous by design) is described in partner coordination's document.
        || path == "/connect/token";
}
