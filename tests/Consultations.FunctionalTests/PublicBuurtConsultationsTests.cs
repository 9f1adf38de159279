using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Participatie.Testing;
using static Participatie.Consultations.FunctionalTests.MyRequests;
using static Participatie.Consultations.FunctionalTests.Requests;

namespace Participatie.Consultations.FunctionalTests;

/// <summary>
/// What anyone may see of a buurt without a token (the resident portal's start page): the open consultations for the
/// whole buurt with their meetings, in the language asked for; never one for a list of addresses, a closed one, or
/// another buurt's.
/// </summary>
public sealed class PublicBuurtConsultationsTests(ConsultationsService service, PlatformContainers containers)
    : IClassFixture<ConsultationsService>, IAsyncLifetime
{
    private HttpClient _partner = null!;
    private TestTrajectory _trajectory = null!;

    public async ValueTask InitializeAsync()
    {
        var partner = await containers.TokenServer.RegisterPartnerAsync("housing-corporation");
        _partner = partner.Authorize(service.CreateClient());
        _trajectory = await containers.TokenServer.StartTrajectoryAsync(partner);
    }

    public ValueTask DisposeAsync()
    {
        _partner.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Anyone_sees_the_open_consultations_for_the_whole_buurt_with_their_meetings_and_nothing_else()
    {
        var open = await _partner.OpenTranslatedConsultationAsync(_trajectory);
        var forAddresses = await _partner.OpenTranslatedConsultationAsync(_trajectory, TenHomesWith("1021 AB", 5));
        var closed = await _partner.OpenTranslatedConsultationAsync(_trajectory);
        await ExecuteAsync(containers, "UPDATE consultations SET closes_on = @Yesterday WHERE id = @Id", new { Yesterday = DutchToday().AddDays(-1), Id = closed });
        var startsAt = DateTimeOffset.UtcNow.AddDays(7);
        using (var meeting = await _partner.PostAsJsonAsync(
            $"/v1/consultations/{open}/meetings",
            new { place = "Buurthuis De Meeuw", startsAt, endsAt = startsAt.AddHours(2), capacity = 40 },
            TestContext.Current.CancellationToken))
        {
            Assert.True(meeting.StatusCode == HttpStatusCode.Created, await meeting.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        using var anonymous = service.CreateClient();
        var path = $"/v1/public/consultations?buurtCode={_trajectory.BuurtCode}";
        var dutch = await (await anonymous.GetAsync(path, TestContext.Current.CancellationToken)).JsonAsync(HttpStatusCode.OK);
        var turkish = await (await anonymous.GetAsync($"{path}&language=tr", TestContext.Current.CancellationToken)).JsonAsync(HttpStatusCode.OK);

        var item = Assert.Single(dutch.GetProperty("items").EnumerateArray());
        Assert.Equal(open, item.Id());
        Assert.Equal("Nieuwe speeltuin", item.Value("title"));
        Assert.Equal("Buurthuis De Meeuw", Assert.Single(item.GetProperty("meetings").EnumerateArray()).Value("place"));
        var turkishItem = Assert.Single(turkish.GetProperty("items").EnumerateArray());
        Assert.Equal("Yeni oyun parkı", turkishItem.Value("title"));
        Assert.Equal("tr", turkishItem.Value("textLanguage"));
        // Nothing that counts or names residents: no places left, no registrations, no reactions.
        Assert.DoesNotContain("placesLeft", dutch.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(forAddresses.ToString(), dutch.GetRawText(), StringComparison.Ordinal);

        var elsewhere = await (await anonymous.GetAsync("/v1/public/consultations?buurtCode=BU00000000", TestContext.Current.CancellationToken)).JsonAsync(HttpStatusCode.OK);
        Assert.Empty(elsewhere.GetProperty("items").EnumerateArray());
        await (await anonymous.GetAsync("/v1/public/consultations?buurtCode=Noord", TestContext.Current.CancellationToken)).AssertProblemAsync(HttpStatusCode.BadRequest, "buurtCode");
        await (await anonymous.GetAsync($"{path}&language=fr", TestContext.Current.CancellationToken)).AssertProblemAsync(HttpStatusCode.BadRequest, "language");
    }
}
