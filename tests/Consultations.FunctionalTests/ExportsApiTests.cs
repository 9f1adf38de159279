using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Participatie.Contracts;
using Participatie.Testing;
using static Participatie.Consultations.FunctionalTests.Requests;
using static Participatie.Consultations.FunctionalTests.SupportMeasurementRequests;

namespace Participatie.Consultations.FunctionalTests;

/// <summary>
/// The CSV exports for a partner's own reporting, read back as a spreadsheet would: the columns, the values, who is
/// shown, and that no count of 1 to 4 gets out.
/// </summary>
public sealed class ExportsApiTests(ConsultationsService service, PlatformContainers containers)
    : IClassFixture<ConsultationsService>, IAsyncLifetime
{
    private readonly HttpClient _lead = service.CreateClient();
    private readonly HttpClient _contributor = service.CreateClient();
    private readonly HttpClient _outsider = service.CreateClient();
    private TestPartner _leadPartner = null!;
    private TestTrajectory _trajectory = null!;

    private TokenServer Tokens => containers.TokenServer;

    public async ValueTask InitializeAsync()
    {
        _leadPartner = await Tokens.RegisterPartnerAsync("housing-corporation");
        _leadPartner.Authorize(_lead);
        _trajectory = await Tokens.StartTrajectoryAsync(_leadPartner);
        var contributor = await Tokens.RegisterPartnerAsync("social-institution");
        contributor.Authorize(_contributor);
        await Tokens.SetMemberAsync(_leadPartner, _trajectory.Id, contributor.PartnerId, TrajectoryRoles.Contributor);
        (await Tokens.RegisterPartnerAsync("municipality")).Authorize(_outsider);
    }

    public ValueTask DisposeAsync()
    {
        _lead.Dispose();
        _contributor.Dispose();
        _outsider.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Reactions_export_as_csv_with_status_explanation_theme_and_dates_and_the_resident_only_for_the_partner_that_registered_them()
    {
        var consultation = await _lead.OpenConsultationAsync(_trajectory);
        using var resident = await service.ResidentAsync(containers, _trajectory.BuurtCode, registeredBy: _leadPartner.PartnerId);
        // Commas, quotes, a line break and Dutch letters: what a naive writer or a wrong encoding would break.
        const string text = "Café \"De Hoek\", graag meer groen;\nook bij de coöperatie.";
        var answered = await _lead.SubmitReactionAsync(containers, consultation.Id(), resident.Id, text);
        var formula = await _lead.SubmitReactionAsync(containers, consultation.Id(), resident.Id, "=HYPERLINK(\"http://example.org\")");
        const string explanation = "We planten in het voorjaar twaalf nieuwe bomen op het plein.";
        Assert.Equal(HttpStatusCode.OK, (await _lead.AnswerAsync(consultation.Id(), answered.Id(), ReactionStatuses.Adopted, explanation)).StatusCode);
        var theme = await (await _lead.PostAsJsonAsync(
            $"/v1/consultations/{consultation.Id()}/themes", new { title = "Groen, bomen", description = "Alles over groen" }, Cancel))
            .Content.ReadFromJsonAsync<JsonElement>(Cancel);
        var grouped = await _lead.PostAsJsonAsync(
            $"/v1/consultations/{consultation.Id()}/themes/{theme.Id()}/reactions", new { reactionIds = new[] { formula.Id() } }, Cancel);
        Assert.True(grouped.IsSuccessStatusCode, await grouped.Content.ReadAsStringAsync(Cancel));
        var path = $"/v1/consultations/{consultation.Id()}/exports/reactions";

        using var response = await _lead.GetAsync(new Uri(path, UriKind.Relative), Cancel);
        var bytes = await response.Content.ReadAsByteArrayAsync(Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal($"reacties-{consultation.Id()}.csv", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var rows = Csv.Read(bytes);
        Assert.Equal(
            ["reactionId", "residentId", "receivedAt", "channel", "language", "text", "status", "explanation", "themeId", "theme", "answerDueOn", "answeredAt", "overdue"],
            rows[0].Keys);
        Assert.Equal(2, rows.Count);
        var first = rows.Single(row => row["reactionId"] == answered.Id().ToString());
        Assert.Equal(resident.Id.ToString(), first["residentId"]);
        Assert.Equal(text, first["text"]);
        Assert.Equal((ReactionStatuses.Adopted, explanation), (first["status"], first["explanation"]));
        Assert.Equal(answered.GetProperty("answerDueOn").GetString(), first["answerDueOn"]);
        Assert.Equal(answered.GetProperty("submittedAt").GetDateTimeOffset(), DateTimeOffset.Parse(first["receivedAt"], System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromSeconds(1));
        Assert.NotEqual(string.Empty, first["answeredAt"]);
        Assert.Equal(("", "", "false"), (first["themeId"], first["theme"], first["overdue"]));
        var second = rows.Single(row => row["reactionId"] == formula.Id().ToString());
        Assert.Equal((theme.Id().ToString(), "Groen, bomen", ReactionStatuses.Received), (second["themeId"], second["theme"], second["status"]));
        // A spreadsheet shows what the resident typed instead of running it.
        Assert.Equal("'=HYPERLINK(\"http://example.org\")", second["text"]);

        // The contributor did not register the resident: what was said and its outcome, not who said it.
        var seenByContributor = Csv.Read(await _contributor.GetByteArrayAsync(new Uri(path, UriKind.Relative), Cancel));
        Assert.Equal([string.Empty, string.Empty], seenByContributor.Select(row => row["residentId"]));
        Assert.Equal(text, seenByContributor.Single(row => row["reactionId"] == answered.Id().ToString())["text"]);
        // Outside the trajectory the consultation and its exports do not exist.
        await (await _outsider.GetAsync(new Uri(path, UriKind.Relative), Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Reach_poll_questionnaire_and_meeting_exports_show_small_counts_as_fewer_than_five()
    {
        var consultation = await _lead.OpenConsultationAsync(_trajectory);
        var residents = new List<TestResident>();
        for (var i = 0; i < 6; i++)
        {
            residents.Add(await service.ResidentAsync(containers, _trajectory.BuurtCode, i == 0 ? Languages.Turkish : Languages.Dutch));
        }

        try
        {
            // Two of six react: the respondents are "< 5", the one Turkish-speaking resident too, and the five Dutch hidden;
            // so is the total, since only 1 + 5 ("< 5" and "hidden": 5 or more) would add up to a shown 6.
            await _lead.SubmitReactionAsync(containers, consultation.Id(), residents[0].Id);
            await _lead.SubmitReactionAsync(containers, consultation.Id(), residents[1].Id);
            var reach = Csv.Read(await _lead.GetByteArrayAsync(new Uri($"/v1/consultations/{consultation.Id()}/exports/reach", UriKind.Relative), Cancel));
            Assert.Equal(["dimension", "value", "residents", "respondents", "shareOfResidents", "shareOfRespondents", "responseRate", "underrepresented"], reach[0].Keys);
            var total = reach.Single(row => row["dimension"] == "total");
            Assert.Equal(("hidden", "< 5", ""), (total["residents"], total["respondents"], total["responseRate"]));
            var turkish = reach.Single(row => row["dimension"] == "language" && row["value"] == Languages.Turkish);
            var dutch = reach.Single(row => row["dimension"] == "language" && row["value"] == Languages.Dutch);
            Assert.Equal(("< 5", "hidden", ""), (turkish["residents"], dutch["residents"], dutch["shareOfResidents"]));
            AssertNoSmallCount(reach, "residents", "respondents");

            // A poll with two votes for one option.
            var poll = await _lead.PutAsJsonAsync($"/v1/consultations/{consultation.Id()}/poll", new
            {
                texts = InAll("Bomen of speeltuin?"),
                options = new[] { new { id = "bomen", texts = InAll("Bomen") }, new { id = "speeltuin", texts = InAll("Speeltuin") } },
            }, Cancel);
            Assert.True(poll.IsSuccessStatusCode, await poll.Content.ReadAsStringAsync(Cancel));
            foreach (var resident in residents.Take(2))
            {
                var vote = await _lead.PostAsJsonAsync(
                    $"/v1/consultations/{consultation.Id()}/poll/responses", new { residentId = resident.Id, channel = "paper-form", optionId = "bomen" }, Cancel);
                Assert.True(vote.IsSuccessStatusCode, await vote.Content.ReadAsStringAsync(Cancel));
            }

            var pollResults = Csv.Read(await _contributor.GetByteArrayAsync(
                new Uri($"/v1/consultations/{consultation.Id()}/exports/poll-results", UriKind.Relative), Cancel));
            Assert.Equal(["questionId", "type", "question", "optionId", "option", "count"], pollResults[0].Keys);
            Assert.Equal(
                [("", "votes", "< 5"), ("", "[nl] Bomen of speeltuin?", "< 5"), ("bomen", "[nl] Bomen", "< 5"), ("speeltuin", "[nl] Speeltuin", "0")],
                pollResults.Select(row => (row["optionId"], row["optionId"] == string.Empty ? row["question"] : row["option"], row["count"])));
            Assert.Equal(
                HttpStatusCode.NotFound,
                (await _lead.GetAsync(new Uri($"/v1/consultations/{consultation.Id()}/exports/questionnaire-results", UriKind.Relative), Cancel)).StatusCode);

            // A meeting: six registered, five came and one stayed away (shown as "< 5", and the five hidden with it).
            var starts = DateTimeOffset.UtcNow.AddDays(7);
            var meeting = await (await _lead.PostAsJsonAsync($"/v1/consultations/{consultation.Id()}/meetings", new
            {
                place = "Buurthuis De Meeuw, Mercatorplein 1", startsAt = starts, endsAt = starts.AddHours(2), capacity = 40,
            }, Cancel)).Content.ReadFromJsonAsync<JsonElement>(Cancel);
            var meetingPath = $"/v1/consultations/{consultation.Id()}/meetings/{meeting.Id()}";
            foreach (var resident in residents)
            {
                var registered = await _lead.PostAsJsonAsync($"{meetingPath}/registrations", new { residentId = resident.Id }, Cancel);
                Assert.True(registered.IsSuccessStatusCode, await registered.Content.ReadAsStringAsync(Cancel));
            }

            // Attendance is recorded once a meeting has begun: planned in the past it could not be, so the test moves it there.
            await MyRequests.ExecuteAsync(
                containers, "UPDATE meetings SET starts_at = now() - interval '1 hour', ends_at = now() + interval '1 hour' WHERE id = @Id", new { Id = meeting.Id() });
            for (var i = 0; i < residents.Count; i++)
            {
                var recorded = await _lead.PutAsJsonAsync($"{meetingPath}/registrations/{residents[i].Id}/attendance", new { attended = i > 0 }, Cancel);
                Assert.True(recorded.IsSuccessStatusCode, await recorded.Content.ReadAsStringAsync(Cancel));
            }

            var attendance = Csv.Read(await _lead.GetByteArrayAsync(
                new Uri($"/v1/consultations/{consultation.Id()}/exports/meeting-attendance", UriKind.Relative), Cancel));
            Assert.Equal(["meetingId", "place", "startsAt", "endsAt", "capacity", "registered", "attended", "absent", "notRecorded"], attendance[0].Keys);
            var row = Assert.Single(attendance);
            // 6 = 5 + 1 + 0: with the 5 hidden (5 or more) and the 1 as "< 5", a shown 6 would name the 1, so it is hidden too.
            Assert.Equal(
                (meeting.Id().ToString(), "Buurthuis De Meeuw, Mercatorplein 1", "40", "hidden", "hidden", "< 5", "0"),
                (row["meetingId"], row["place"], row["capacity"], row["registered"], row["attended"], row["absent"], row["notRecorded"]));
        }
        finally
        {
            residents.ForEach(resident => resident.Dispose());
        }
    }

    [Fact]
    public async Task The_questionnaire_export_counts_per_question_and_option()
    {
        var consultation = await _lead.OpenConsultationAsync(_trajectory);
        object[] questions =
        [
            new
            {
                id = "groen", type = "multiple-choice", texts = InAll("Wat wilt u op het plein?"),
                options = new[] { new { id = "bomen", texts = InAll("Meer bomen") }, new { id = "speeltuin", texts = InAll("Een speeltuin") } },
            },
            new { id = "wensen", type = "open", texts = InAll("Wat wilt u nog kwijt?") },
        ];
        Assert.Equal(HttpStatusCode.Created, (await _lead.PutAsJsonAsync($"/v1/consultations/{consultation.Id()}/questionnaire", new { questions }, Cancel)).StatusCode);
        // Seven answer: five choose trees, two a playground; three leave an open answer.
        for (var i = 0; i < 7; i++)
        {
            object[] answers = i < 3
                ? [new { questionId = "groen", optionId = i < 5 ? "bomen" : "speeltuin" }, new { questionId = "wensen", text = "Bankjes" }]
                : [new { questionId = "groen", optionId = i < 5 ? "bomen" : "speeltuin" }];
            var answered = await _lead.PostAsJsonAsync(
                $"/v1/consultations/{consultation.Id()}/questionnaire/responses",
                new { residentId = await containers.NewResidentOfAsync(consultation.Id()), channel = "paper-form", language = Languages.Dutch, answers }, Cancel);
            Assert.True(answered.IsSuccessStatusCode, await answered.Content.ReadAsStringAsync(Cancel));
        }

        var results = Csv.Read(await _lead.GetByteArrayAsync(
            new Uri($"/v1/consultations/{consultation.Id()}/exports/questionnaire-results", UriKind.Relative), Cancel));

        Assert.Equal(
            [
                ("", "", "", "7"),
                ("groen", "multiple-choice", "", "7"),
                ("groen", "multiple-choice", "bomen", "hidden"),
                ("groen", "multiple-choice", "speeltuin", "< 5"),
                ("wensen", "open", "", "< 5"),
            ],
            results.Select(row => (row["questionId"], row["type"], row["optionId"], row["count"])));
        Assert.Equal("[nl] Een speeltuin", results[3]["option"]);
        Assert.DoesNotContain(results, row => row.ContainsValue("Bankjes"));
    }

    [Fact]
    public async Task The_draagvlakmeting_export_has_the_exact_result_and_whether_it_is_closed()
    {
        var measurement = await _lead.CreateMeasurementAsync(service.Services, _trajectory.Id, homes: 10);
        await _lead.VoteManyAsync(measurement, agreeing: 7, disagreeing: 1);
        var path = $"{measurement.Path}/exports/result";

        using var response = await _contributor.GetAsync(new Uri(path, UriKind.Relative), Cancel);
        var rows = Csv.Read(await response.Content.ReadAsByteArrayAsync(Cancel));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"draagvlakmeting-{measurement.Id}.csv", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var result = Assert.Single(rows);
        // The law's 70% must be checkable by every tenant: exact numbers, as the JSON result has them.
        Assert.Equal(
            ("open", "false", "10", "8", "7", "1", "2", "70", "true", ""),
            (result["status"], result["final"], result["homes"], result["votes"], result["agreeing"], result["disagreeing"], result["notVoted"],
             result["thresholdPercent"], result["thresholdMet"], result["closedAt"]));
        Assert.Equal((0.7m, 70m), (Number(result["agreeingShare"]), Number(result["agreeingPercentage"])));
        Assert.Equal("Renovatie Kolenkitbuurt, blok 3", result["title"]);
        await (await _outsider.GetAsync(new Uri(path, UriKind.Relative), Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    private static decimal Number(string value) => decimal.Parse(value, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture);

    private static Dictionary<string, string> InAll(string text) =>
        Languages.All.ToDictionary(language => language, language => $"[{language}] {text}");

    private static void AssertNoSmallCount(IEnumerable<Dictionary<string, string>> rows, params string[] columns) =>
        Assert.DoesNotContain(rows.SelectMany(row => columns.Select(column => row[column])), value => value is "1" or "2" or "3" or "4");

    /// <summary>An RFC 4180 reader of its own, so that the export is checked against the format and not against its writer.</summary>
    private static class Csv
    {
        public static List<Dictionary<string, string>> Read(byte[] bytes)
        {
            var text = Encoding.UTF8.GetString(bytes).TrimStart('\uFEFF');
            var records = new List<List<string>>();
            var record = new List<string>();
            var field = new StringBuilder();
            var quoted = false;
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (quoted)
                {
                    if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else if (c == '"')
                    {
                        quoted = false;
                    }
                    else
                    {
                        field.Append(c);
                    }
                }
                else if (c == '"')
                {
                    quoted = true;
                }
                else if (c == ',')
                {
                    record.Add(field.ToString());
                    field.Clear();
                }
                else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    record.Add(field.ToString());
                    field.Clear();
                    records.Add(record);
                    record = [];
                    i++;
                }
                else
                {
                    Assert.False(c is '\r' or '\n', $"A bare line break at {i}: RFC 4180 ends every record with CRLF.");
                    field.Append(c);
                }
            }

            Assert.True(field.Length == 0 && record.Count == 0, "The last record must end with CRLF.");
            var header = records[0];
            Assert.All(records, row => Assert.Equal(header.Count, row.Count));
            return [.. records.Skip(1).Select(row => header.Zip(row).ToDictionary(pair => pair.First, pair => pair.Second, StringComparer.Ordinal))];
        }
    }
}
