using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Participatie.Testing;
using static Participatie.EndToEndTests.IsolationTests;

namespace Participatie.EndToEndTests;

/// <summary>
/// What each trajectory role may do, for every operation the OpenAPI documents list (the isolation test's catalogue
/// and bodies). The lead's partner has a trajectory with everything in it; a second partner joins it as co-owner,
/// contributor or observer and calls every operation with the lead's ids. The expectations follow the documented rules
/// (README "roles", docs/architecture.md "Ownership", <c>Contracts/TrajectoryRoles.cs</c>): every role reads; an
/// observer is refused (403, never 404) every write; a contributor adds to the trajectory but is refused what only
/// managers do; a co-owner does what the lead does, except what is the lead's alone as the partner that recorded or
/// started it. The few designed exceptions are named below.
/// </summary>
public sealed class TrajectoryRoleTests(PlatformFixture platform, ITestOutputHelper output)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>Writes that add to the trajectory (<c>TrajectoryRoles.CanContribute</c>): lead, co-owner, contributor.</summary>
    private static readonly HashSet<string> Contributing =
    [
        "OpenConsultation", "CreateSupportMeasurement", "SubmitReaction", "AddInternalNote", "SubmitQuestionnaireResponse",
        "SubmitPollResponse", "RegisterForMeeting", "CreateTask", "CreateAgreement", "CreateActivity", "AddCommunicationPlanEntry",
        "RecordInterest", "RequestAdvice", "EnterPaperVote", "ExcludeSupportMeasurementHome", "CloseSupportMeasurement",
    ];

    /// <summary>
    /// What only managers (<c>TrajectoryRoles.CanManageMembers</c>: lead, co-owner) do: who takes part, the phase, the
    /// audit log, what the trajectory promises; and answering and organising a consultation, which the partner that
    /// opened it (here the lead) shares with the managers only.
    /// </summary>
    private static readonly HashSet<string> ManagersOnly =
    [
        "SetTrajectoryMember", "RemoveTrajectoryMember", "ChangeTrajectoryPhase", "AddTrajectoryBuurten", "ListTrajectoryAudit", "SetTrajectorySettings",
        "AnswerReaction", "AssignReaction", "UnassignReaction", "CreateTheme", "AddReactionsToTheme", "RemoveReactionFromTheme",
        "AnswerTheme", "SetQuestionnaire", "SetPoll", "CreateMeeting", "RecordMeetingAttendance",
    ];

    /// <summary>
    /// The lead's alone, whatever the other's role: an item is changed by the partner that recorded it (tasks also by
    /// their assignee, here the lead); each Overlegwet step by the partner that owes it (the advice by the tenants' organisation, the
    /// decision and reasoned answer by the corporation that asked).
    /// </summary>
    private static readonly HashSet<string> LeadsAlone =
    [
        "UpdateTask", "SetTaskStatus", "DeleteTask", "UpdateActivity", "DeleteActivity", "UpdateCommunicationPlanEntry",
        "DeleteCommunicationPlanEntry", "UpdateInterest", "DeleteInterest",
        "RecordAdvice", "RecordAdviceDecision", "RecordReasonedAnswer",
    ];

    /// <summary>
    /// Designed exceptions: every partner keeps private notes of its own, and every member, an observer too, may
    /// subscribe to the events of what it can read.
    /// </summary>
    private static readonly HashSet<string> AnyMember = ["AddPrivateNote", "CreateSubscription"];

    /// <summary>Private notes are each partner's own: another partner's note does not exist for the caller (404), whatever its role.</summary>
    private static readonly HashSet<string> AnotherPartnersNote = ["DeletePrivateNote"];

    /// <summary>
    /// Allowed writes that the lead's data refuses for the lead too, after the access check: attendance is recorded once
    /// a meeting has begun, and the lead's meeting lies ahead; a support measurement closes only after its deadline,
    /// and the lead's lies ahead. A permitted role gets the lead's 422 naming this field.
    /// </summary>
    private static readonly Dictionary<string, string> RefusedByStateForTheLeadToo = new(StringComparer.Ordinal)
    {
        ["RecordMeetingAttendance"] = "attended",
        ["CloseSupportMeasurement"] = "deadline",
    };

    /// <summary>Path ids that put an operation inside one trajectory; other operations are about the caller's own or shared data.</summary>
    private static readonly string[] TrajectoryScopedIds = ["{trajectoryId", "{consultationId", "{measurementId", "{notificationId"];

    /// <summary>What a member sees nowhere, whatever its role: the lead's residents' personal data, private notes and staff.</summary>
    private static readonly string[] NeverShown = ["Geheime Bewoner", "geheim@example.org", "Geheime notitie", "Geheime Medewerker"];

    public static TheoryData<string> Roles => new() { "co-owner", "contributor", "observer" };

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task A_partner_gets_exactly_what_its_role_allows_at_every_operation(string role)
    {
        var lead = await OwnerWithDataAsync(platform);
        // A housing corporation, like the lead: the Overlegwet lets only a landlord ask advice, and that rule of its kind is not what is tested here.
        var member = await platform.RegisterPartnerWithClientAsync(TestData.NewPartnerName($"Partner als {role}"), "housing-corporation");
        using var anonymous = platform.Anonymous();
        var endpoints = await EndpointsAsync(anonymous);
        foreach (var api in ExpectedOperations.Keys)
        {
            var count = endpoints.Count(endpoint => endpoint.Api == api);
            Assert.True(
                count == ExpectedOperations[api],
                $"The {api} API has {count} operations, {ExpectedOperations[api]} expected; give a new one an expectation in {nameof(IsolationTests)} and {nameof(TrajectoryRoleTests)}.");
        }

        var named = Contributing.Concat(ManagersOnly).Concat(LeadsAlone).Concat(AnyMember).Concat(AnotherPartnersNote).ToList();
        Assert.True(named.Count == named.Distinct(StringComparer.Ordinal).Count(), "An operation has more than one expectation.");
        var stale = named.Except(endpoints.Select(endpoint => endpoint.OperationId), StringComparer.Ordinal).ToList();
        Assert.True(stale.Count == 0, $"Expectations for operations no OpenAPI document lists: {string.Join(", ", stale)}");

        var trajectoryId = lead.Ids["trajectoryId"];
        using (var set = await lead.Client.PutAsJsonAsync($"/v1/trajectories/{trajectoryId}/members/{member.PartnerId}", new { role }, Cancel))
        {
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        }

        // The role reaches consultations and notifications by an event, a few milliseconds later.
        await PlatformFixture.WaitForConsultationsAccessAsync(member.Client, Guid.Parse(trajectoryId));
        await Eventually.MatchesAsync(
            async () =>
            {
                // Not a notification itself: those to the lead's residents are the lead's alone (issue 11).
                using var response = await member.Client.GetAsync($"/v1/notifications/consultations/{lead.Ids["consultationId"]}/delivery-counts", Cancel);
                return response.StatusCode;
            },
            status => status == HttpStatusCode.OK,
            $"the notifications service to let the {role} into trajectory {trajectoryId}",
            TimeSpan.FromSeconds(60));

        var failures = new List<string>();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var endpoint in InOrderOfSideEffects(endpoints))
        {
            var (expected, why) = Expect(endpoint, role);
            counts[expected.ToString()] = counts.GetValueOrDefault(expected.ToString()) + 1;
            var path = endpoint.Path(lead.Ids);
            var body = Bodies(lead.Ids).GetValueOrDefault(endpoint.OperationId);
            Assert.True(!endpoint.HasBody || body is not null, $"Give {endpoint.OperationId} a body that succeeds for the lead in {nameof(IsolationTests)}.{nameof(Bodies)}.");
            using var response = await SendAsync(member.Client, endpoint.Method, path, body);
            var text = await response.Content.ReadAsStringAsync(Cancel);
            var status = response.StatusCode;
            var met = expected switch
            {
                Outcome.Succeeds => response.IsSuccessStatusCode,
                Outcome.Forbidden => status == HttpStatusCode.Forbidden,
                Outcome.NotFound => status == HttpStatusCode.NotFound,
                Outcome.ForbiddenOrNotFound => status is HttpStatusCode.Forbidden or HttpStatusCode.NotFound,
                Outcome.RefusedByState => status == HttpStatusCode.UnprocessableEntity
                    && NamesField(text, RefusedByStateForTheLeadToo[endpoint.OperationId]),
                _ => false,
            };
            if (!met)
            {
                failures.Add($"{endpoint} as {role}: expected {expected} ({why}), got {(int)status}: {Shorten(text)}");
            }

            // The observer's rule, stated once more on its own: any write it makes is refused with 403, bar the named exceptions.
            if (role == "observer" && IsWrite(endpoint) && InTrajectory(endpoint)
                && !AnyMember.Contains(endpoint.OperationId) && !AnotherPartnersNote.Contains(endpoint.OperationId)
                && status != HttpStatusCode.Forbidden)
            {
                failures.Add($"{endpoint} as observer answered {(int)status}, not 403.");
            }

            var sent = path + (body is null ? string.Empty : JsonSerializer.Serialize(body, JsonSerializerOptions.Web));
            foreach (var secret in NeverShown.Where(secret => !sent.Contains(secret, StringComparison.Ordinal)))
            {
                if (text.Contains(secret, StringComparison.Ordinal))
                {
                    failures.Add($"{endpoint} showed the {role} '{secret}': {Shorten(text)}");
                }
            }
        }

        var summary = $"Role {role}: {endpoints.Count} operations, " + string.Join(", ", counts.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Value} {pair.Key}"));
        output.WriteLine(summary);
        Console.WriteLine(summary);
        Assert.True(failures.Count == 0, $"{failures.Count} failures for the {role}:\n" + string.Join("\n", failures));
    }

    private enum Outcome
    {
        Succeeds,
        Forbidden,
        NotFound,
        ForbiddenOrNotFound,
        RefusedByState,
    }

    /// <summary>The documented rule for this operation and role, and which rule it is.</summary>
    private static (Outcome Expected, string Why) Expect(Endpoint endpoint, string role)
    {
        var operation = endpoint.OperationId;
        var contributes = role is "co-owner" or "contributor";
        var manages = role is "co-owner";
        var permitted = manages ? Outcome.Succeeds : Outcome.Forbidden;
        if (operation is "GetResidentFeed" or "GetNotification" or "GetDeliveryEvents")
        {
            // A notification names its resident's id, language and channel: only the partner that registered the
            // resident (here the lead) sees it, whatever the other's role; the rest see delivery counts.
            return (Outcome.NotFound, "a notification to the lead's resident, which only the lead registered");
        }

        if (!InTrajectory(endpoint))
        {
            // Outside the trajectory the role gives nothing: the member is an outsider to the lead's partner data.
            return ExpectationOf(endpoint) switch
            {
                Expectation.Directory or Expectation.OwnScope => (Outcome.Succeeds, "its own or shared data"),
                _ => (Outcome.ForbiddenOrNotFound, "the lead's partner data, outside any trajectory"),
            };
        }

        if (AnyMember.Contains(operation))
        {
            return (Outcome.Succeeds, "any member, by design");
        }

        if (AnotherPartnersNote.Contains(operation))
        {
            return (Outcome.NotFound, "the lead's private note does not exist for another partner");
        }

        if (LeadsAlone.Contains(operation))
        {
            return (Outcome.Forbidden, "the lead's alone as the partner that recorded, started or owes it");
        }

        if (ManagersOnly.Contains(operation))
        {
            return (manages && RefusedByStateForTheLeadToo.ContainsKey(operation) ? Outcome.RefusedByState : permitted, "lead and co-owners only");
        }

        if (Contributing.Contains(operation))
        {
            return (
                !contributes ? Outcome.Forbidden : RefusedByStateForTheLeadToo.ContainsKey(operation) ? Outcome.RefusedByState : Outcome.Succeeds,
                "lead, co-owners and contributors");
        }

        return IsWrite(endpoint)
            ? throw new InvalidOperationException(
                $"{endpoint} changes something in a trajectory and has no expectation: add it to {nameof(Contributing)}, {nameof(ManagersOnly)}, {nameof(LeadsAlone)} or {nameof(AnyMember)}.")
            : (Outcome.Succeeds, "every role reads");
    }

    private static bool InTrajectory(Endpoint endpoint) =>
        RefusedByReferenceInBody.Contains(endpoint.OperationId)
        || TrajectoryScopedIds.Any(id => endpoint.Template.Contains(id, StringComparison.Ordinal));

    private static bool IsWrite(Endpoint endpoint) => endpoint.Method != HttpMethod.Get;

    /// <summary>
    /// Reads first, then changes, then removals, the member's removal last: a permitted change must not take away what
    /// a later operation works on (the tenants' organisation that advises, the reaction in a theme). A home may be left
    /// out of a draagvlakmeting only before its first vote, so that exclusion comes first among the changes.
    /// </summary>
    private static IEnumerable<Endpoint> InOrderOfSideEffects(IReadOnlyList<Endpoint> endpoints) =>
        endpoints
            .OrderBy(endpoint => endpoint.Method == HttpMethod.Get ? 0 : endpoint.Method == HttpMethod.Delete ? 2 : 1)
            .ThenBy(endpoint => endpoint.OperationId == "ExcludeSupportMeasurementHome" ? 0 : 1)
            .ThenBy(endpoint => endpoint.OperationId == "RemoveTrajectoryMember" ? 1 : 0);

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "...";
}
