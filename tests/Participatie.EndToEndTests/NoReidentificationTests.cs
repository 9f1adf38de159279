using System.Net;
using System.Text.Json;
using Participatie.Testing;
using static Participatie.EndToEndTests.ResidentJourneyTests;

namespace Participatie.EndToEndTests;

/// <summary>
/// No re-identification (issue 11, part 2), through the gateway against the real token server, PostgreSQL and
/// RabbitMQ: a consultation three residents react to publishes no count of 1 to 4 anywhere (reach, summaries, poll
/// results, meeting, delivery counts, the buurt's aggregates); another partner of the trajectory reads what residents
/// said and did, not who; a list of addresses needs ten homes.
/// </summary>
public sealed class NoReidentificationTests(PlatformFixture platform)
{
    private static readonly string[] AllLanguages = ["nl", "en", "tr", "ar", "pl", "uk", "so", "ti"];

    [Fact]
    public async Task Three_residents_reacting_leave_no_count_of_one_to_four_and_no_id_for_another_partner()
    {
        var corporation = await platform.RegisterPartnerWithClientAsync(TestData.NewPartnerName("Woonstichting Anoniem"), "housing-corporation");
        var municipality = await platform.RegisterPartnerWithClientAsync(TestData.NewPartnerName("Gemeente Anoniem"), "municipality");
        var buurtCode = TestData.NewBuurtCode();
        var postcode = TestData.NewPostcode();
        var residents = new List<Guid>();
        foreach (var (name, language, houseNumber) in new[] { ("Anna", "nl", 1), ("Fatma", "tr", 3), ("Oksana", "uk", 5) })
        {
            var resident = await SendAsync(corporation.Client, HttpMethod.Post, "/v1/residents", new
            {
                fullName = $"{name} Anoniem", postcode, houseNumber, buurtCode, email = $"{name.ToLowerInvariant()}-{Guid.NewGuid():N}@example.org",
                preferredLanguage = language, preferredChannel = "email",
            }, HttpStatusCode.Created);
            residents.Add(resident.GetProperty("id").GetGuid());
        }

        var trajectoryId = (await SendAsync(corporation.Client, HttpMethod.Post, "/v1/trajectories", new { name = "Renovatie Anoniem", buurtCodes = new[] { buurtCode } }, HttpStatusCode.Created))
            .GetProperty("id").GetGuid();
        await SendAsync(corporation.Client, HttpMethod.Put, $"/v1/trajectories/{trajectoryId}/members/{municipality.PartnerId}", new { role = "contributor" }, HttpStatusCode.OK);
        await PlatformFixture.WaitForConsultationsAccessAsync(corporation.Client, trajectoryId);
        await PlatformFixture.WaitForConsultationsAccessAsync(municipality.Client, trajectoryId);

        // A list of one home is refused, naming the field; so is a home outside the trajectory's buurten.
        var closesOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(20));
        AssertNames(await SendAsync(corporation.Client, HttpMethod.Post, "/v1/consultations", new
        {
            trajectoryId, title = "Eén woning", description = "Wat vindt u?", buurtCode, closesOn, addresses = new[] { new { postcode, houseNumber = 1 } },
        }, HttpStatusCode.UnprocessableEntity), "addresses");
        AssertNames(await SendAsync(corporation.Client, HttpMethod.Post, "/v1/consultations", new
        {
            trajectoryId, title = "Buiten de buurt", description = "Wat vindt u?", buurtCode, closesOn,
            addresses = Enumerable.Range(1, 10).Select(number => new { postcode, houseNumber = number, buurtCode = number == 10 ? TestData.NewBuurtCode() : buurtCode }).ToArray(),
        }, HttpStatusCode.UnprocessableEntity), "addresses[9].buurtCode");

        // The consultation for the whole buurt; the three residents react, vote and register for the meeting.
        var consultationId = (await SendAsync(corporation.Client, HttpMethod.Post, "/v1/consultations", new
        {
            trajectoryId, title = "Nieuwe entree", description = "Hoe wilt u de entree?", buurtCode, closesOn,
        }, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var path = $"/v1/consultations/{consultationId}";
        await SendAsync(corporation.Client, HttpMethod.Put, $"{path}/poll", new
        {
            texts = AllLanguages.ToDictionary(language => language, language => $"[{language}] Welke kleur?"),
            options = new[] { "rood", "blauw", "groen" }.Select(id => new { id, texts = AllLanguages.ToDictionary(language => language, language => $"[{language}] {id}") }),
        }, HttpStatusCode.Created);
        var meetingId = (await SendAsync(corporation.Client, HttpMethod.Post, $"{path}/meetings", new
        {
            place = "Buurthuis", startsAt = DateTimeOffset.UtcNow.AddDays(3), endsAt = DateTimeOffset.UtcNow.AddDays(3).AddHours(2), capacity = 40,
        }, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await platform.WaitUntilConsultationsKnowAsync([.. residents]);
        foreach (var (residentId, index) in residents.Select((residentId, index) => (residentId, index)))
        {
            await SendAsync(corporation.Client, HttpMethod.Post, $"{path}/reactions", new { residentId, text = $"Reactie {index}: graag meer licht." }, HttpStatusCode.Created);
            await SendAsync(corporation.Client, HttpMethod.Post, $"{path}/poll/responses", new { residentId, optionId = index == 0 ? "rood" : "blauw" }, HttpStatusCode.Created);
            await SendAsync(corporation.Client, HttpMethod.Post, $"{path}/meetings/{meetingId}/registrations", new { residentId }, HttpStatusCode.Created);
        }

        // Each resident was invited: the corporation, which registered them, sees the three invitations.
        await Eventually.MatchesAsync(
            async () => (await SendAsync(corporation.Client, HttpMethod.Get, $"/v1/notifications?subjectId={consultationId}", null, HttpStatusCode.OK)).GetProperty("totalCount").GetInt32(),
            count => count == 3,
            "an invitation to each of the three residents");

        // Every aggregate, reach and summary, for both partners: no count of 1 to 4 anywhere.
        string[] aggregates =
        [
            $"{path}/reach", $"{path}/summary", $"/v1/consultations/trajectories/{trajectoryId}/summary", $"{path}/poll/results", $"{path}/poll",
            $"{path}/meetings/{meetingId}", $"{path}/meetings", $"/v1/notifications/consultations/{consultationId}/delivery-counts",
            $"/v1/residents/aggregates?buurtCode={buurtCode}",
        ];
        foreach (var client in new[] { corporation.Client, municipality.Client })
        {
            foreach (var aggregate in aggregates)
            {
                var document = await SendAsync(client, HttpMethod.Get, aggregate, null, HttpStatusCode.OK);
                var small = CountFields(document).Where(field => field.Value is > 0 and < 5).ToList();
                Assert.True(small.Count == 0, $"{aggregate} publishes {string.Join(", ", small.Select(field => $"{field.Name} = {field.Value}"))}: {document}");
            }
        }

        // What the three did is there, as "< 5".
        var reach = await SendAsync(corporation.Client, HttpMethod.Get, $"{path}/reach", null, HttpStatusCode.OK);
        Assert.Equal("< 5", reach.GetProperty("residents").GetProperty("display").GetString());
        Assert.Equal("< 5", reach.GetProperty("respondents").GetProperty("display").GetString());
        var summary = await SendAsync(municipality.Client, HttpMethod.Get, $"{path}/summary", null, HttpStatusCode.OK);
        Assert.True(summary.GetProperty("reactionCount").GetProperty("fewerThanFive").GetBoolean());
        var delivery = await SendAsync(municipality.Client, HttpMethod.Get, $"/v1/notifications/consultations/{consultationId}/delivery-counts", null, HttpStatusCode.OK);
        // Invitations and receipts (up to six): counted per channel and status, each cell shown only from 5 up.
        Assert.NotEmpty(delivery.GetProperty("counts").EnumerateArray());
        Assert.All(delivery.GetProperty("counts").EnumerateArray(), cell =>
        {
            var count = cell.GetProperty("count").GetProperty("count");
            Assert.True(count.ValueKind == JsonValueKind.Null || count.GetInt64() is 0 or >= 5, cell.GetRawText());
        });

        // The municipality reads the reactions and registrations, not whose they are, and no notification of the
        // corporation's residents (their ids, language and channel).
        var reactions = (await SendAsync(municipality.Client, HttpMethod.Get, $"{path}/reactions", null, HttpStatusCode.OK)).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(3, reactions.Count);
        Assert.All(reactions, reaction => Assert.Equal(JsonValueKind.Null, reaction.GetProperty("residentId").ValueKind));
        Assert.Contains(reactions, reaction => reaction.GetProperty("text").GetString() == "Reactie 1: graag meer licht.");
        var registrations = await SendAsync(municipality.Client, HttpMethod.Get, $"{path}/meetings/{meetingId}/registrations", null, HttpStatusCode.OK);
        Assert.All(registrations.GetProperty("items").EnumerateArray(), registration => Assert.Equal(JsonValueKind.Null, registration.GetProperty("residentId").ValueKind));
        var theirNotifications = await SendAsync(municipality.Client, HttpMethod.Get, $"/v1/notifications?subjectId={consultationId}", null, HttpStatusCode.OK);
        Assert.Equal(0, theirNotifications.GetProperty("totalCount").GetInt32());
        foreach (var document in new[] { registrations, theirNotifications }.Concat(reactions))
        {
            Assert.All(residents, residentId => Assert.DoesNotContain(residentId.ToString(), document.GetRawText(), StringComparison.OrdinalIgnoreCase));
        }

        // The corporation registered them: it sees who reacted.
        await Eventually.MatchesAsync(
            async () => (await SendAsync(corporation.Client, HttpMethod.Get, $"{path}/reactions", null, HttpStatusCode.OK)).GetProperty("items").EnumerateArray()
                .Select(reaction => reaction.GetProperty("residentId")).Where(id => id.ValueKind == JsonValueKind.String).Select(id => id.GetGuid()).Order().ToList(),
            ids => ids.SequenceEqual(residents.Order()),
            "the corporation to see its own residents' ids on their reactions");
    }

    /// <summary>
    /// Every number under a property that counts residents or what they did: "count", or a name ending in "Count"
    /// (reactionCount, voteCount ...); not a page's totalCount, which counts meetings or themes.
    /// </summary>
    private static IEnumerable<(string Name, long Value)> CountFields(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(property =>
            (property.Name == "count" || (property.Name.EndsWith("Count", StringComparison.Ordinal) && property.Name != "totalCount"))
                && property.Value.ValueKind == JsonValueKind.Number
                ? [(property.Name, property.Value.GetInt64())]
                : CountFields(property.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(CountFields),
        _ => [],
    };

    private static void AssertNames(JsonElement problem, string field) =>
        Assert.True(problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out _), $"The problem does not name '{field}': {problem}");
}
