using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Participatie.Consultations.Domain;
using Participatie.Consultations.Reactions;
using Participatie.Testing;
using static Participatie.Consultations.FunctionalTests.AnswerWorkflowRequests;
using static Participatie.Consultations.FunctionalTests.Requests;

namespace Participatie.Consultations.FunctionalTests;

/// <summary>
/// A reaction whose deadline passed without an outcome is overdue: listed for staff, and counted on the dashboard.
/// The service runs on a clock that starts Monday 5 February 2024 (no holiday until Easter) and that the test moves
/// forward day by day; no other test has a reaction due that early, so the gauge counts exactly this class's ones.
/// </summary>
public sealed class OverdueReactionsTests(ConsultationsServiceIn2024 service, PlatformContainers containers)
    : IClassFixture<ConsultationsServiceIn2024>, IAsyncLifetime
{
    private const string MeterName = "Participatie.Consultations";
    private const string GaugeName = "participatie.reactions.overdue";

    private readonly HttpClient _client = service.CreateClient();

    private TestTrajectory _trajectory = null!;

    private FakeTimeProvider Clock => service.Clock!;

    public async ValueTask InitializeAsync()
    {
        var lead = await containers.TokenServer.RegisterPartnerAsync("housing-corporation");
        lead.Authorize(_client);
        _trajectory = await containers.TokenServer.StartTrajectoryAsync(lead);
        await _client.WaitForTrajectoryAsync(_trajectory.Id);
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<List<Guid>> ListAsync(Guid consultationId, bool overdue)
    {
        var page = await _client.GetFromJsonAsync<JsonElement>(
            $"/v1/consultations/{consultationId}/reactions?pageSize=100{(overdue ? "&overdue=true" : string.Empty)}", Cancel);
        var ids = page.GetProperty("items").EnumerateArray().Select(item => item.Id()).ToList();
        Assert.Equal(ids.Count, page.GetProperty("totalCount").GetInt64());
        return ids;
    }

    /// <summary>The gauge's count, refreshed from the database now (as its timer does every 30 s).</summary>
    private Task<long> CountNowAsync() =>
        service.Services.GetRequiredService<OverdueReactionsMetric>().RefreshAsync(Cancel);

    /// <summary>What the gauge reports to the dashboard now, read as an exporter would, from this service's own meter.</summary>
    private long? ObserveGauge()
    {
        var meterFactory = service.Services.GetRequiredService<IMeterFactory>();
        var values = new List<long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, meterListener) =>
        {
            if (instrument.Meter.Scope == meterFactory && instrument.Meter.Name == MeterName && instrument.Name == GaugeName)
            {
                meterListener.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => values.Add(value));
        listener.Start();
        listener.RecordObservableInstruments();
        return values.Count == 0 ? null : Assert.Single(values);
    }

    [Fact]
    public async Task Reactions_past_their_deadline_without_an_outcome_are_listed_as_overdue_and_counted_on_the_dashboard()
    {
        // Nothing of anyone's is overdue on Monday 5 February 2024: the gauge counts this test's reactions only.
        var before = await CountNowAsync();
        Assert.True(before == 0, $"{before} reactions of other tests were overdue in February 2024; this test can only count its own if none are.");
        // Monday 5 February 2024: fifteen working days later is Monday 26 February.
        Clock.MoveTo(2024, 2, 5, 9);
        var consultation = (await _client.OpenConsultationAsync(_trajectory)).Id();
        var waiting = (await _client.SubmitReactionAsync(containers, consultation, text: "Wanneer hoor ik iets?")).Id();
        var considered = (await _client.SubmitReactionAsync(containers, consultation, text: "Graag een hek om de speeltuin.")).Id();
        var answered = (await _client.SubmitReactionAsync(containers, consultation, text: "Meer licht in de steeg.")).Id();
        // Tuesday 13 February: 14-16 February (3), 19-23 (8), 26 February-1 March with the leap day (13), 4-5 March (15).
        Clock.MoveTo(2024, 2, 13, 10);
        var later = await _client.SubmitReactionAsync(containers, consultation, text: "Minder auto's.");
        Assert.Equal(new DateOnly(2024, 2, 26), (await _client.GetReactionAsync(consultation, waiting)).Date("answerDueOn"));
        Assert.Equal(new DateOnly(2024, 3, 5), later.Date("answerDueOn"));
        // "Under consideration" is no outcome: it stays overdue. An outcome, even late, ends it.
        Assert.Equal(HttpStatusCode.OK, (await _client.AnswerAsync(consultation, considered, "under-consideration", "We bespreken het volgende week.")).StatusCode);

        // Monday 26 February, 23:00 in Amsterdam: the due day itself, so nothing is overdue yet.
        Clock.MoveTo(2024, 2, 26, 23);
        Assert.Empty(await ListAsync(consultation, overdue: true));
        Assert.Equal(0, await CountNowAsync());

        // Tuesday 27 February, 00:30 in Amsterdam (still 26 February in UTC): the Dutch day has turned, three are overdue.
        Clock.MoveTo(2024, 2, 27, 0, 30);
        Assert.Equal([waiting, considered, answered], await ListAsync(consultation, overdue: true));
        Assert.Equal(3, await CountNowAsync());
        Assert.Equal(3, ObserveGauge());

        Assert.Equal(HttpStatusCode.OK, (await _client.AnswerAsync(consultation, answered, "adopted", "Er komen twee extra lantaarnpalen.")).StatusCode);
        Assert.Equal([waiting, considered], await ListAsync(consultation, overdue: true));
        Assert.Equal([waiting, considered, answered, later.Id()], await ListAsync(consultation, overdue: false));
        Assert.Equal(2, await CountNowAsync());

        // Wednesday 6 March: the later reaction's day (5 March) has passed too. The gauge's own timer runs on the
        // service's clock: moving the clock is enough for the dashboard to count it, without a refresh by hand.
        Clock.MoveTo(2024, 3, 6, 9);
        Assert.Equal(3, await Eventually.MatchesAsync(
            () => Task.FromResult(ObserveGauge()), count => count == 3, "the gauge to count the third overdue reaction after its timer fired"));
        Assert.Equal([waiting, considered, later.Id()], await ListAsync(consultation, overdue: true));

        // Once the waiting reaction gets its outcome, the dashboard counts one fewer.
        Assert.Equal(HttpStatusCode.OK, (await _client.AnswerAsync(consultation, waiting, "not-adopted", "Dit valt buiten het plan, helaas.")).StatusCode);
        Assert.Equal([considered, later.Id()], await ListAsync(consultation, overdue: true));
        Assert.Equal(2, await CountNowAsync());
        Assert.Equal(2, ObserveGauge());
    }

    [Fact]
    public async Task An_overdue_filter_that_is_no_boolean_is_a_400_problem()
    {
        var consultation = await _client.OpenConsultationAsync(_trajectory);

        var response = await _client.GetAsync($"/v1/consultations/{consultation.Id()}/reactions?overdue=soms", Cancel);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }
}
