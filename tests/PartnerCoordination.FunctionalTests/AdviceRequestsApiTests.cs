using System.Globalization;
using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Time;
using Participatie.PartnerCoordination.Domain;
using Participatie.Testing;
using static Participatie.PartnerCoordination.FunctionalTests.Calls;

namespace Participatie.PartnerCoordination.FunctionalTests;

/// <summary>
/// Advice under the Overlegwet between the trajectory's landlord (the lead, a housing corporation) and its tenants'
/// organisation (the observer).
/// </summary>
[Collection(PartnerCoordinationCollection.Name)]
public sealed class AdviceRequestsApiTests(PartnerCoordinationService service, PlatformContainers containers) : IAsyncLifetime
{
    private TrajectoryCast _cast = null!;

    public async ValueTask InitializeAsync() => _cast = await TrajectoryCast.CreateAsync(service);

    public ValueTask DisposeAsync()
    {
        _cast.Dispose();
        return ValueTask.CompletedTask;
    }

    private string Requests => _cast.Path("/advice-requests");

    private Player Landlord => _cast.Lead;

    private Player TenantsOrganisation => _cast.Observer;

    private static DateOnly Today => AmsterdamClock.Today(TimeProvider.System);

    /// <summary>This service's database has no declared holidays: the tests that add them run on a database of their own.</summary>
    private static readonly IReadOnlySet<DateOnly> NoneDeclared = new HashSet<DateOnly>();

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private object NewRequest(DateOnly? sentOn = null, DateOnly? adviceDueOn = null, Guid? tenantsOrganisation = null) => new
    {
        tenantsOrganisationPartnerId = tenantsOrganisation ?? TenantsOrganisation.Id,
        subject = "Renovatieplan Kolenkitbuurt blok 3",
        proposal = "Isolatie, nieuwe kozijnen en een huurverhoging van 35 euro per maand.",
        sentOn,
        adviceDueOn,
    };

    private async Task<Guid> RequestAsync(DateOnly? sentOn = null) =>
        (await Landlord.PostCreatedAsync(Requests, NewRequest(sentOn))).GetProperty("id").GetGuid();

    /// <summary>Advice received on <paramref name="receivedOn"/>, and a decision departing from it taken today.</summary>
    private async Task DepartAsync(Guid id, DateOnly receivedOn)
    {
        await (await TenantsOrganisation.PutAsync($"{Requests}/{id}/advice", new { text = "Geen huurverhoging.", receivedOn })).ReadJsonAsync(HttpStatusCode.OK);
        await (await Landlord.PutAsync($"{Requests}/{id}/decision", new { followsAdvice = false })).ReadJsonAsync(HttpStatusCode.OK);
    }

    /// <summary>
    /// A day of receipt whose reasoned answer falls due within the next three days. The 14 days move past weekends and
    /// holidays, so which day that is depends on the weekday the tests run (the fixed cases are AdviceTermsOnTheCalendarTests).
    /// </summary>
    private static DateOnly ReceivedWithAnswerDueSoon() =>
        Enumerable.Range(11, 10).Select(days => Today.AddDays(-days))
            .First(receivedOn => AdviceDeadlines.ReasonedAnswerDue(receivedOn, NoneDeclared) is var due && due >= Today && due <= Today.AddDays(3));

    [Fact]
    public async Task Advice_asked_given_departed_from_and_answered_with_reasons_is_read_by_every_partner()
    {
        var created = await Landlord.PostCreatedAsync(Requests, NewRequest());
        var id = created.GetProperty("id").GetGuid();
        Assert.Equal(Landlord.Id, created.GetProperty("landlordPartnerId").GetGuid());
        Assert.Equal(Day(Today), created.GetProperty("sentOn").GetString());
        // Six weeks, moved to the next working day when they end on a weekend or holiday (Algemene termijnenwet).
        Assert.Equal(Day(AdviceDeadlines.DefaultAdviceDue(Today, NoneDeclared)), created.GetProperty("adviceDueOn").GetString());
        Assert.Equal("awaiting-advice", created.GetProperty("state").GetString());
        Assert.Equal("advice", created.GetProperty("openDeadline").GetProperty("kind").GetString());
        Assert.Equal(TenantsOrganisation.Id, created.GetProperty("openDeadline").GetProperty("owedByPartnerId").GetGuid());
        Assert.False(created.GetProperty("overdue").GetBoolean());
        Assert.False(created.GetProperty("dueSoon").GetBoolean());

        var advised = await (await TenantsOrganisation.PutAsync($"{Requests}/{id}/advice", new { text = "  Geen huurverhoging zonder extra isolatie.  " }))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Geen huurverhoging zonder extra isolatie.", advised.GetProperty("advice").GetString());
        Assert.Equal(Day(Today), advised.GetProperty("adviceReceivedOn").GetString());
        Assert.Equal("awaiting-decision", advised.GetProperty("state").GetString());
        // The 14 days for a reasoned answer run from the receipt of the advice (art. 5 lid 2), so they are open now,
        // before the decision; they used to start only with a departing decision.
        var answerDueOn = Day(AdviceDeadlines.ReasonedAnswerDue(Today, NoneDeclared));
        Assert.Equal(answerDueOn, advised.GetProperty("answerDueOn").GetString());
        Assert.Equal("reasoned-answer", advised.GetProperty("openDeadline").GetProperty("kind").GetString());

        var decided = await (await Landlord.PutAsync($"{Requests}/{id}/decision", new { followsAdvice = false })).ReadJsonAsync(HttpStatusCode.OK);
        Assert.False(decided.GetProperty("followsAdvice").GetBoolean());
        Assert.Equal(Day(Today), decided.GetProperty("decidedOn").GetString());
        Assert.Equal(answerDueOn, decided.GetProperty("answerDueOn").GetString());
        Assert.Equal("awaiting-reasoned-answer", decided.GetProperty("state").GetString());
        Assert.Equal("reasoned-answer", decided.GetProperty("openDeadline").GetProperty("kind").GetString());
        Assert.Equal(Landlord.Id, decided.GetProperty("openDeadline").GetProperty("owedByPartnerId").GetGuid());

        var answered = await (await Landlord.PutAsync($"{Requests}/{id}/reasoned-answer", new { text = "De isolatie volgt in 2028; de huur stijgt dan pas." }))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("closed", answered.GetProperty("state").GetString());
        Assert.Equal(Day(Today), answered.GetProperty("answeredOn").GetString());
        Assert.Equal(Day(AdviceDeadlines.MayProceedAfterReasonedAnswer(Today, NoneDeclared)), answered.GetProperty("mayProceedOn").GetString());
        Assert.Equal(JsonValueKind.Null, answered.GetProperty("openDeadline").ValueKind);

        foreach (var reader in new[] { _cast.Contributor, _cast.Observer, _cast.Lead })
        {
            Assert.Equal("closed", (await reader.GetOkAsync($"{Requests}/{id}")).GetProperty("state").GetString());
            Assert.Equal([id], (await reader.GetOkAsync(Requests)).Ids());
        }

        // A second answer, or advice after the fact, is refused.
        await (await Landlord.PutAsync($"{Requests}/{id}/reasoned-answer", new { text = "Nogmaals." })).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "text");
        await (await TenantsOrganisation.PutAsync($"{Requests}/{id}/advice", new { text = "Later." })).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "text");

        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        var actions = await connection.QueryAsync<string>(
            "SELECT action FROM audit_log WHERE trajectory_id = @TrajectoryId AND subject = @Subject ORDER BY id",
            new { _cast.TrajectoryId, Subject = $"advice request {id}" });
        Assert.Equal(["advice-requested", "decision-recorded"], actions);
    }

    [Fact]
    public async Task A_decision_that_follows_the_advice_owes_no_reasoned_answer()
    {
        var id = await RequestAsync();
        await (await Landlord.PutAsync($"{Requests}/{id}/decision", new { followsAdvice = true })).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "followsAdvice");
        await (await TenantsOrganisation.PutAsync($"{Requests}/{id}/advice", new { text = "Akkoord." })).ReadJsonAsync(HttpStatusCode.OK);

        var decided = await (await Landlord.PutAsync($"{Requests}/{id}/decision", new { followsAdvice = true })).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal("closed", decided.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, decided.GetProperty("answerDueOn").ValueKind);
        await (await Landlord.PutAsync($"{Requests}/{id}/reasoned-answer", new { text = "Toch." })).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "text");
    }

    [Fact]
    public async Task An_advice_period_shorter_than_six_weeks_is_a_422_naming_adviceDueOn()
    {
        // A fixed Monday: six weeks from a day relative to today may end on a weekend or holiday, and then move.
        var sentOn = new DateOnly(2026, 6, 1);

        var short1 = await Landlord.PostAsync(Requests, NewRequest(sentOn, sentOn.AddDays(41)));
        var exactly = await Landlord.PostAsync(Requests, NewRequest(sentOn, sentOn.AddDays(42)));

        await short1.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "adviceDueOn");
        var created = await exactly.ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(Day(sentOn.AddDays(42)), created.GetProperty("adviceDueOn").GetString());
        Assert.Equal(1, (await Landlord.GetOkAsync(Requests)).GetProperty("totalCount").GetInt64());
    }

    [Fact]
    public async Task Advice_is_asked_only_of_a_tenants_organisation_in_the_trajectory_and_a_bad_body_is_a_400()
    {
        await (await Landlord.PostAsync(Requests, NewRequest(tenantsOrganisation: _cast.Contributor.Id)))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "tenantsOrganisationPartnerId");
        await (await Landlord.PostAsync(Requests, NewRequest(tenantsOrganisation: _cast.Outsider.Id)))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "tenantsOrganisationPartnerId");
        await (await Landlord.PostAsync(Requests, NewRequest(tenantsOrganisation: Guid.NewGuid())))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "tenantsOrganisationPartnerId");
        await (await Landlord.PostAsync(Requests, new { subject = "Zonder voorstel" })).AssertProblemAsync(HttpStatusCode.BadRequest, "proposal");

        Assert.Equal(0, (await Landlord.GetOkAsync(Requests)).GetProperty("totalCount").GetInt64());
    }

    [Fact]
    public async Task Only_the_tenants_organisation_advises_and_only_the_landlord_asks_decides_and_answers()
    {
        // A municipality contributes but is no landlord; the tenants' organisation only observes.
        await (await _cast.Contributor.PostAsync(Requests, NewRequest())).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await TenantsOrganisation.PostAsync(Requests, NewRequest())).AssertProblemAsync(HttpStatusCode.Forbidden);

        var id = await RequestAsync();
        foreach (var other in new[] { Landlord, _cast.Contributor })
        {
            await (await other.PutAsync($"{Requests}/{id}/advice", new { text = "Namens de huurders?" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        }

        await (await TenantsOrganisation.PutAsync($"{Requests}/{id}/advice", new { text = "Niet doen." })).ReadJsonAsync(HttpStatusCode.OK);
        foreach (var other in new[] { TenantsOrganisation, _cast.Contributor })
        {
            await (await other.PutAsync($"{Requests}/{id}/decision", new { followsAdvice = false })).AssertProblemAsync(HttpStatusCode.Forbidden);
        }

        await (await Landlord.PutAsync($"{Requests}/{id}/decision", new { followsAdvice = false })).ReadJsonAsync(HttpStatusCode.OK);
        foreach (var other in new[] { TenantsOrganisation, _cast.Contributor })
        {
            await (await other.PutAsync($"{Requests}/{id}/reasoned-answer", new { text = "Omdat." })).AssertProblemAsync(HttpStatusCode.Forbidden);
        }

        Assert.Equal("awaiting-reasoned-answer", (await Landlord.GetOkAsync($"{Requests}/{id}")).GetProperty("state").GetString());
    }

    [Fact]
    public async Task To_an_outsider_the_advice_requests_do_not_exist()
    {
        var id = await RequestAsync();
        var outsider = _cast.Outsider;

        var responses = new[]
        {
            await outsider.GetAsync(Requests),
            await outsider.GetAsync($"{Requests}?overdue=true"),
            await outsider.GetAsync($"{Requests}/{id}"),
            await outsider.PostAsync(Requests, NewRequest()),
            await outsider.PutAsync($"{Requests}/{id}/advice", new { text = "Gekaapt" }),
            await outsider.PutAsync($"{Requests}/{id}/decision", new { followsAdvice = true }),
            await outsider.PutAsync($"{Requests}/{id}/reasoned-answer", new { text = "Gekaapt" }),
        };

        foreach (var response in responses)
        {
            var body = await response.Content.ReadAsStringAsync(Cancel);
            Assert.DoesNotContain("Kolenkitbuurt", body, StringComparison.Ordinal);
            await response.AssertProblemAsync(HttpStatusCode.NotFound);
        }

        Assert.Equal("awaiting-advice", (await Landlord.GetOkAsync($"{Requests}/{id}")).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Overdue_and_due_soon_requests_are_listed_by_their_open_deadline()
    {
        // The due dates below are at least these many days away; a weekend or holiday only moves them later.
        var adviceLapsed = await RequestAsync(Today.AddDays(-50)); // advice due 8 days ago, or a little less
        var adviceDueSoon = await RequestAsync(Today.AddDays(-40)); // advice due in 2 days or a little more
        var adviceNotYet = await RequestAsync(Today.AddDays(-30)); // advice due in 12 days
        var answerDueSoon = await RequestAsync(Today.AddDays(-45)); // advice received within its period
        await DepartAsync(answerDueSoon, ReceivedWithAnswerDueSoon());
        var answerOverdue = await RequestAsync(Today.AddDays(-45)); // advice received within its period
        await DepartAsync(answerOverdue, Today.AddDays(-20)); // answer due 6 days ago, or a little less
        var answerNotYet = await RequestAsync(Today.AddDays(-45)); // advice received within its period
        await DepartAsync(answerNotYet, Today.AddDays(-10)); // answer due in 4 days or more: outside its 3-day window

        var overdue = await Landlord.GetOkAsync($"{Requests}?overdue=true");
        var dueSoon = await TenantsOrganisation.GetOkAsync($"{Requests}?dueSoon=true");

        // Advice whose period passed without advice lapses (the landlord may go ahead): it is owed no more, so it is not
        // overdue (it used to be listed as an overdue advice).
        Assert.Equal([answerOverdue], overdue.Ids());
        Assert.All(overdue.GetProperty("items").EnumerateArray(), item => Assert.True(item.GetProperty("overdue").GetBoolean()));
        Assert.Equal("advice-lapsed", (await Landlord.GetOkAsync($"{Requests}/{adviceLapsed}")).GetProperty("state").GetString());
        // Which of the two is due first depends on the weekday the tests run.
        Assert.Equal(2, dueSoon.Ids().Count);
        Assert.Equal(new HashSet<Guid> { adviceDueSoon, answerDueSoon }, dueSoon.Ids().ToHashSet());
        Assert.All(dueSoon.GetProperty("items").EnumerateArray(), item => Assert.True(item.GetProperty("dueSoon").GetBoolean()));
        Assert.Equal(6, (await Landlord.GetOkAsync(Requests)).GetProperty("totalCount").GetInt64());
        var notYet = await Landlord.GetOkAsync($"{Requests}/{adviceNotYet}");
        Assert.False(notYet.GetProperty("overdue").GetBoolean());
        Assert.False(notYet.GetProperty("dueSoon").GetBoolean());
        Assert.False((await Landlord.GetOkAsync($"{Requests}/{answerNotYet}")).GetProperty("dueSoon").GetBoolean());
    }

    [Fact]
    public async Task A_deadline_within_its_window_is_reminded_of_once_to_the_partner_that_owes_the_next_step()
    {
        var adviceDueSoon = await RequestAsync(Today.AddDays(-40));
        var adviceNotYet = await RequestAsync(Today.AddDays(-30));
        var answerDueSoon = await RequestAsync(Today.AddDays(-45)); // advice received within its period
        await DepartAsync(answerDueSoon, ReceivedWithAnswerDueSoon());
        var unitOfWork = service.Services.GetRequiredService<UnitOfWorkFactory>();
        var clock = service.Services.GetRequiredService<TimeProvider>();

        await AdviceReminders.SendDueAsync(unitOfWork, clock, Cancel);
        var again = await AdviceReminders.SendDueAsync(unitOfWork, clock, Cancel);

        Assert.Equal(0, again);
        var toTenants = Assert.Single((await Landlord.GetOkAsync($"{Requests}/{adviceDueSoon}")).GetProperty("reminders").EnumerateArray());
        Assert.Equal("advice", toTenants.GetProperty("deadline").GetString());
        Assert.Equal(TenantsOrganisation.Id, toTenants.GetProperty("recipientPartnerId").GetGuid());
        Assert.Equal(Day(AdviceDeadlines.DefaultAdviceDue(Today.AddDays(-40), NoneDeclared)), toTenants.GetProperty("dueOn").GetString());
        var toLandlord = Assert.Single((await _cast.Contributor.GetOkAsync($"{Requests}/{answerDueSoon}")).GetProperty("reminders").EnumerateArray());
        Assert.Equal("reasoned-answer", toLandlord.GetProperty("deadline").GetString());
        Assert.Equal(Landlord.Id, toLandlord.GetProperty("recipientPartnerId").GetGuid());
        Assert.Empty((await Landlord.GetOkAsync($"{Requests}/{adviceNotYet}")).GetProperty("reminders").EnumerateArray());
    }
}
