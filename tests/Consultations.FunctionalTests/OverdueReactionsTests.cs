using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Participatie.Consultations.Domain;
using Participatie.Consultations.Reactions;
using Participatie.Testing;
using static Participatie.Consultations.FunctionalTests.AnswerWorkflowRequests;
using static Participatie.Consultations.FunctionalTests.Requests;

namespace Participatie.Consultations.FunctionalTests;

/// <summary>
/// A reaction whose deadline passed without an outcome is overdue: listed for staff, and counted on the dashboard.
/// The only test class that makes reactions overdue, so that it can count them exactly.
/// </summary>
public sealed class OverdueReactionsTests(ConsultationsService service, PlatformContainers containers)
    : IClassFixture<ConsultationsService>, IAsyncLifetime
{
    private readonly HttpClient _client = service.CreateClient();

    private TestTrajectory _trajectory = null!;

    public async ValueTask InitializeAsync()
    {
        var lead = await containers.TokenServer.RegisterPartnerAsync("housing-corporation");
        lead.Authorize(_client);
        _trajectory = await containers.TokenServer.StartTrajectoryAsync(lead);
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

    /// <summary>What the gauge reports to the dashboard now, read as an exporter would, from this service's own meter.</summary>
    private long ObserveGauge()
    {
        var meterFactory = service.Services.GetRequiredService<IMeterFactory>();
        var values = new List<long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, meterListener) =>
        {
            if (instrument.Meter.Scope == meterFactory
                && instrument.Meter.Name == OverdueReactionsMetric.MeterName
                && instrument.Name == OverdueReactionsMetric.InstrumentName)
            {
                meterListener.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => values.Add(value));
        listener.Start();
        listener.RecordObservableInstruments();
        return Assert.Single(values);
    }

    [Fact]
    public async Task Reactions_past_their_deadline_without_an_outcome_are_listed_as_overdue_and_counted_on_the_dashboard()
    {
        var metric = service.Services.GetRequiredService<OverdueReactionsMetric>();
        var before = await metric.RefreshAsync(Cancel);
        var consultation = await _client.OpenConsultationAsync(_trajectory);
        var waiting = await _client.SubmitReactionAsync(consultation.Id(), text: "Wanneer hoor ik iets?");
        var considered = await _client.SubmitReactionAsync(consultation.Id(), text: "Graag een hek om de speeltuin.");
        var answered = await _client.SubmitReactionAsync(consultation.Id(), text: "Meer licht in de steeg.");
        var dueToday = await _client.SubmitReactionAsync(consultation.Id(), text: "Een bankje bij de bushalte.");
        var notYetDue = await _client.SubmitReactionAsync(consultation.Id(), text: "Minder auto's.");
        var yesterday = DutchToday().AddDays(-1);
        await containers.SetAnswerDueOnAsync(waiting.Id(), yesterday);
        await containers.SetAnswerDueOnAsync(considered.Id(), DutchToday().AddDays(-20));
        await containers.SetAnswerDueOnAsync(answered.Id(), yesterday);
        await containers.SetAnswerDueOnAsync(dueToday.Id(), DutchToday());
        // "Under consideration" is no outcome: still overdue. An outcome, even late, ends it.
        Assert.Equal(HttpStatusCode.OK, (await _client.AnswerAsync(consultation.Id(), considered.Id(), "under-consideration", "We bespreken het volgende week.")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.AnswerAsync(consultation.Id(), answered.Id(), "adopted", "Er komen twee extra lantaarnpalen.")).StatusCode);

        var overdue = await ListAsync(consultation.Id(), overdue: true);
        var all = await ListAsync(consultation.Id(), overdue: false);

        Assert.Equal([waiting.Id(), considered.Id()], overdue);
        Assert.Equal([waiting.Id(), considered.Id(), answered.Id(), dueToday.Id(), notYetDue.Id()], all);
        Assert.Equal(yesterday, (await _client.GetReactionAsync(consultation.Id(), waiting.Id())).Date("answerDueOn"));

        var counted = await metric.RefreshAsync(Cancel);
        Assert.Equal(before + 2, counted);
        Assert.Equal(counted, ObserveGauge());

        // Once the waiting reaction gets its outcome, the dashboard counts one fewer.
        Assert.Equal(HttpStatusCode.OK, (await _client.AnswerAsync(consultation.Id(), waiting.Id(), "not-adopted", "Dit valt buiten het plan, helaas.")).StatusCode);
        Assert.Equal([considered.Id()], await ListAsync(consultation.Id(), overdue: true));
        Assert.Equal(before + 1, await metric.RefreshAsync(Cancel));
        Assert.Equal(before + 1, ObserveGauge());
    }

    [Fact]
    public async Task An_overdue_filter_that_is_no_boolean_is_a_400_problem()
    {
        var consultation = await _client.OpenConsultationAsync(_trajectory);

        var response = await _client.GetAsync($"/v1/consultations/{consultation.Id()}/reactions?overdue=soms", Cancel);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }
}
