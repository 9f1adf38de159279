using System.Net;
using System.Text.Json;
using Participatie.Testing;
using static Participatie.EndToEndTests.ResidentJourneyTests;

namespace Participatie.EndToEndTests;

/// <summary>
/// Issue 11, parts 3 and 6, through the gateway against the real token server, PostgreSQL and RabbitMQ: a partner
/// starts trajectories only in the areas the operator granted it, within the cap; entries for residents outside a
/// consultation's audience are refused; a partner does not pass another partner's registration off as its own.
/// </summary>
public sealed class AreaAndAuthorshipTests(PlatformFixture platform)
{
    [Fact]
    public async Task A_corporation_works_only_in_its_area_and_never_over_another_partners_entries()
    {
        var corporation = await platform.RegisterPartnerWithClientAsync(TestData.NewPartnerName("Woonstichting Eigen Wijk"), "housing-corporation");
        var welfare = await platform.RegisterPartnerWithClientAsync(TestData.NewPartnerName("Welzijn Eigen Wijk"), "social-institution");
        var (buurt, otherBuurt) = (TestData.NewBuurtCode(), TestData.NewBuurtCode());

        // The operator confines the corporation to two buurten: a third, or a buurt in a gemeente elsewhere, is refused.
        using (var platformOperator = await platform.PlatformOperatorAsync())
        {
            await SendAsync(platformOperator, HttpMethod.Put, $"/v1/partners/{corporation.PartnerId}/areas", new { areaCodes = new[] { buurt, otherBuurt } }, HttpStatusCode.OK);
        }

        await SendAsync(corporation.Client, HttpMethod.Put, $"/v1/partners/{corporation.PartnerId}/areas", new { areaCodes = new[] { "GM0363" } }, HttpStatusCode.Forbidden);
        AssertNames(
            await SendAsync(corporation.Client, HttpMethod.Post, "/v1/trajectories", new { name = "Te ver", buurtCodes = new[] { buurt, TestData.NewBuurtCode() } }, HttpStatusCode.UnprocessableEntity),
            "buurtCodes");
        var tooMany = Enumerable.Range(0, 51).Select(number => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{buurt[..6]}{number:D4}")).ToArray();
        var capped = await SendAsync(corporation.Client, HttpMethod.Post, "/v1/trajectories", new { name = "Te groot", buurtCodes = tooMany }, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("at most 50", capped.GetProperty("errors").GetProperty("buurtCodes")[0].GetString(), StringComparison.Ordinal);
        var trajectoryId = (await SendAsync(
            corporation.Client, HttpMethod.Post, "/v1/trajectories", new { name = "Renovatie Eigen Wijk", buurtCodes = new[] { buurt, otherBuurt } }, HttpStatusCode.Created))
            .GetProperty("id").GetGuid();
        await SendAsync(corporation.Client, HttpMethod.Put, $"/v1/trajectories/{trajectoryId}/members/{welfare.PartnerId}", new { role = "contributor" }, HttpStatusCode.OK);
        await PlatformFixture.WaitForConsultationsAccessAsync(corporation.Client, trajectoryId);
        await PlatformFixture.WaitForConsultationsAccessAsync(welfare.Client, trajectoryId);

        // The residents service goes by the same areas: a resident in a test buurt outside the two is refused.
        var elsewhere = TestData.NewBuurtCode();
        await PlatformFixture.WaitForResidentsAreasAsync(corporation.Client, elsewhere, HttpStatusCode.Forbidden);
        AssertNames(
            await SendAsync(corporation.Client, HttpMethod.Post, "/v1/residents", new
            {
                fullName = "Carla Elders", postcode = TestData.NewPostcode(), houseNumber = 1, buurtCode = elsewhere, preferredLanguage = "nl", preferredChannel = "letter",
            }, HttpStatusCode.UnprocessableEntity),
            "buurtCode");
        var anna = await RegisterResidentAsync(corporation.Client, "Anna de Vries", buurt);
        var bram = await RegisterResidentAsync(corporation.Client, "Bram Bakker", otherBuurt);

        // An id the consultations service never heard of is refused, whoever enters it.
        var madeUp = Guid.NewGuid();
        var consultationId = (await SendAsync(corporation.Client, HttpMethod.Post, "/v1/consultations", new
        {
            trajectoryId, title = "Binnenplaats", description = "Wat wilt u op de binnenplaats?", buurtCode = buurt,
            closesOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(30)),
        }, HttpStatusCode.Created)).GetProperty("id").GetGuid();

        var unknown = await SendAsync(
            welfare.Client, HttpMethod.Post, $"/v1/consultations/{consultationId}/reactions", new { residentId = madeUp, text = "Wie ben ik?" }, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("not known to this service yet", unknown.GetProperty("errors").GetProperty("residentId")[0].GetString(), StringComparison.Ordinal);

        // Anna lives in the consultation's buurt: the welfare organisation enters her reaction. Bram lives in the
        // trajectory's other buurt: once the consultations service knows where he lives, his reaction is refused.
        await platform.WaitUntilConsultationsKnowAsync(anna, bram);
        await SendAsync(welfare.Client, HttpMethod.Post, $"/v1/consultations/{consultationId}/reactions", new { residentId = anna, text = "Meer groen graag." }, HttpStatusCode.Created);
        var refused = await SendAsync(
            welfare.Client, HttpMethod.Post, $"/v1/consultations/{consultationId}/reactions", new { residentId = bram, text = "Ik woon om de hoek." }, HttpStatusCode.UnprocessableEntity);
        AssertNames(refused, "residentId");
        Assert.Contains("not among the residents this consultation is for", refused.GetProperty("errors").GetProperty("residentId")[0].GetString(), StringComparison.Ordinal);

        // The welfare organisation registers Anna for the meeting; the corporation cannot pass that off as its own.
        var startsAt = DateTimeOffset.UtcNow.AddDays(10);
        var meetingId = (await SendAsync(corporation.Client, HttpMethod.Post, $"/v1/consultations/{consultationId}/meetings", new
        {
            place = "Buurthuis Eigen Wijk", startsAt, endsAt = startsAt.AddHours(2), capacity = 30,
        }, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var registrations = $"/v1/consultations/{consultationId}/meetings/{meetingId}/registrations";
        await SendAsync(welfare.Client, HttpMethod.Post, registrations, new { residentId = anna }, HttpStatusCode.Created);
        await SendAsync(welfare.Client, HttpMethod.Post, registrations, new { residentId = anna }, HttpStatusCode.OK);
        AssertNames(await SendAsync(corporation.Client, HttpMethod.Post, registrations, new { residentId = anna }, HttpStatusCode.Conflict), "residentId");
    }

    private static async Task<Guid> RegisterResidentAsync(HttpClient partner, string fullName, string buurtCode) =>
        (await SendAsync(partner, HttpMethod.Post, "/v1/residents", new
        {
            fullName, postcode = TestData.NewPostcode(), houseNumber = 1, buurtCode, preferredLanguage = "nl", preferredChannel = "letter",
        }, HttpStatusCode.Created)).GetProperty("id").GetGuid();

    private static void AssertNames(JsonElement problem, string field) =>
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"The problem names no '{field}': {problem}");
}
