using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Participatie.BuildingBlocks.Data;
using Participatie.Consultations.Reactions;
using Participatie.Contracts;
using Participatie.Testing;
using static Participatie.Consultations.FunctionalTests.Requests;

namespace Participatie.Consultations.FunctionalTests;

/// <summary>
/// The consultations service on a clock in March 2028, later than every other clock of these tests: what it makes
/// overdue or closed here is never overdue or closed on another test's clock (the overdue gauge counts the whole
/// database).
/// </summary>
public sealed class ConsultationsServiceIn2028(PlatformContainers containers)
    : ServiceFactory<Participatie.Consultations.EntryPoint>(
        "consultationsdb", containers, containers.TokenServer, clock: new FakeTimeProvider(Amsterdam.At(2028, 3, 6, 9, 0)))
{
    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.TurnOffClosingOnDeadline();
        // The tests read the announcements from the outbox: housekeeping on a clock two years ahead would delete them at once.
        // The inbox too: every factory shares the database, and this one's housekeeping deleted the inbox rows other
        // classes wait for (DataRightsTests timed out on "both repeats to be handled", last seen 0).
        builder.UseSetting("Outbox:Retention", "3650.00:00:00");
        builder.UseSetting("Inbox:Retention", "3650.00:00:00");
    }
}

/// <summary>
/// Partners' systems hear when a consultation closes and when a reaction's answer is overdue: each is announced once,
/// as an event in the outbox, in the transaction that marks it.
/// </summary>
public sealed class PartnerAlertsTests(ConsultationsServiceIn2028 service, PlatformContainers containers)
    : IClassFixture<ConsultationsServiceIn2028>, IAsyncLifetime
{
    private readonly HttpClient _client = service.CreateClient();
    private TestTrajectory _trajectory = null!;

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

    [Fact]
    public async Task A_closed_consultation_and_an_overdue_reaction_are_each_announced_once()
    {
        using var opened = await _client.PostAsJsonAsync(
            "/v1/consultations", NewConsultation(_trajectory.Id, _trajectory.BuurtCode, closesOn: new DateOnly(2028, 3, 10)), Cancel);
        Assert.True(opened.StatusCode == HttpStatusCode.Created, await opened.Content.ReadAsStringAsync(Cancel));
        var consultation = (await opened.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetGuid();
        var reaction = await _client.SubmitReactionAsync(containers, consultation);
        var reactionId = reaction.GetProperty("id").GetGuid();
        var answerDueOn = DateOnly.Parse(reaction.GetProperty("answerDueOn").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var unitOfWork = service.Services.GetRequiredService<UnitOfWorkFactory>();
        var clock = service.Clock!;

        // The consultation's last day itself: nothing closed yet.
        clock.MoveTo(2028, 3, 10, 23);
        await PartnerAlerts.AnnounceDueAsync(unitOfWork, clock, Cancel);
        Assert.Empty(await AnnouncedAsync<ConsultationClosed>("consultationId", consultation));

        clock.MoveTo(2028, 3, 11, 8);
        await PartnerAlerts.AnnounceDueAsync(unitOfWork, clock, Cancel);
        await PartnerAlerts.AnnounceDueAsync(unitOfWork, clock, Cancel);
        var closed = Assert.Single(await AnnouncedAsync<ConsultationClosed>("consultationId", consultation));
        Assert.Equal(_trajectory.Id, closed.GetProperty("trajectoryId").GetGuid());
        Assert.Equal("2028-03-10", closed.GetProperty("closesOn").GetString());
        Assert.Empty(await AnnouncedAsync<ReactionOverdue>("reactionId", reactionId));

        // The day after the answer was due, unanswered: overdue, announced once however often the job runs.
        var after = answerDueOn.AddDays(1);
        clock.MoveTo(after.Year, after.Month, after.Day, 9);
        await PartnerAlerts.AnnounceDueAsync(unitOfWork, clock, Cancel);
        await PartnerAlerts.AnnounceDueAsync(unitOfWork, clock, Cancel);
        var overdue = Assert.Single(await AnnouncedAsync<ReactionOverdue>("reactionId", reactionId));
        Assert.Equal(consultation, overdue.GetProperty("consultationId").GetGuid());
        Assert.Equal(_trajectory.Id, overdue.GetProperty("trajectoryId").GetGuid());
        Assert.Single(await AnnouncedAsync<ConsultationClosed>("consultationId", consultation));
    }

    /// <summary>The payloads of the outbox messages of this type about the given id.</summary>
    private async Task<List<JsonElement>> AnnouncedAsync<TMessage>(string idProperty, Guid id)
    {
        await using var connection = await service.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync(Cancel);
        var payloads = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT payload::text FROM outbox_messages WHERE message_type LIKE @Type AND payload ->> @Property = @Id",
            new { Type = typeof(TMessage).FullName + ",%", Property = idProperty, Id = id.ToString() }, cancellationToken: Cancel));
        return [.. payloads.Select(payload => JsonDocument.Parse(payload).RootElement.Clone())];
    }
}
