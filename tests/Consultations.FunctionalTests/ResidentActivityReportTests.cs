using System.Net.Http.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Participatie.Consultations.DataRights;
using Participatie.Testing;
using static Participatie.Consultations.FunctionalTests.Requests;

namespace Participatie.Consultations.FunctionalTests;

/// <summary>The consultations service on a clock of its own, which the activity report's test moves forward.</summary>
public sealed class ConsultationsServiceForActivityReport(PlatformContainers containers)
    : ServiceFactory<Participatie.Consultations.EntryPoint>(
        "consultationsdb", containers, containers.TokenServer, clock: new FakeTimeProvider(DateTimeOffset.UtcNow))
{
    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.TurnOffClosingOnDeadline();
    }
}

/// <summary>
/// The residents' own actions are reported to the residents service once an hour in one batched ResidentsWereActive
/// (instead of a message per reaction): each action once, and only when it is a few minutes old.
/// </summary>
public sealed class ResidentActivityReportTests(ConsultationsServiceForActivityReport service, PlatformContainers containers)
    : IClassFixture<ConsultationsServiceForActivityReport>
{
    private FakeTimeProvider Clock => service.Clock!;

    private async Task<int> ReportsNamingAsync(Guid residentId)
    {
        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        return await connection.ExecuteScalarAsync<int>(
            """
            SELECT count(*)::int FROM outbox_messages
            WHERE message_type LIKE 'Participatie.Contracts.ResidentsWereActive%' AND strpos(payload::text, @Id) > 0
            """,
            new { Id = residentId.ToString() });
    }

    [Fact]
    public async Task Reactions_and_meeting_registrations_are_reported_once_after_the_commit_margin()
    {
        using var client = service.CreateClient();
        var lead = await containers.TokenServer.RegisterPartnerAsync("municipality");
        lead.Authorize(client);
        var trajectory = await containers.TokenServer.StartTrajectoryAsync(lead);
        await client.WaitForTrajectoryAsync(trajectory.Id);
        var consultation = (await client.OpenConsultationAsync(trajectory)).Id();
        await using (var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString()))
        {
            await connection.ExecuteAsync(
                "UPDATE resident_activity_report SET reported_until = @Mark", new { Mark = Clock.GetUtcNow().AddMinutes(-1) });
        }

        var reacting = await containers.NewResidentOfAsync(consultation);
        var registering = await containers.NewResidentOfAsync(consultation);
        await client.SubmitReactionAsync(containers, consultation, reacting);
        var startsAt = Clock.GetUtcNow().AddDays(7);
        using var planned = await client.PostAsJsonAsync(
            $"/v1/consultations/{consultation}/meetings", new { place = "Buurthuis De Meeuw", startsAt, endsAt = startsAt.AddHours(2), capacity = 40 }, Cancel);
        var meeting = (await planned.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Cancel)).Id();
        using var registered = await client.PostAsJsonAsync(
            $"/v1/consultations/{consultation}/meetings/{meeting}/registrations", new { residentId = registering }, Cancel);
        Assert.True(registered.IsSuccessStatusCode, await registered.Content.ReadAsStringAsync(Cancel));
        var report = service.Services.GetRequiredService<ResidentActivityReport>();

        // A minute old: a transaction with an earlier time might still be committing, so not yet.
        await report.ReportAsync(Cancel);
        Assert.Equal(0, await ReportsNamingAsync(reacting));

        Clock.Advance(ResidentActivityReport.CommitMargin + TimeSpan.FromMinutes(1));
        await report.ReportAsync(Cancel);
        Assert.Equal(1, await ReportsNamingAsync(reacting));
        Assert.Equal(1, await ReportsNamingAsync(registering));

        // The next report starts where this one ended.
        Clock.Advance(TimeSpan.FromHours(1));
        await report.ReportAsync(Cancel);
        Assert.Equal(1, await ReportsNamingAsync(reacting));
    }
}
