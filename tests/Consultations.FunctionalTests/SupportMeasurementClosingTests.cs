using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Participatie.Consultations.SupportMeasurements;
using Participatie.Testing;
using static Participatie.Consultations.FunctionalTests.SupportMeasurementRequests;

namespace Participatie.Consultations.FunctionalTests;

/// <summary>
/// The one consultations instance with the closing job on: a clock in March 2023 that its test moves forward, earlier
/// than every other instance's measurements (real time, or the fake clocks of 2024 and 2025), so that its job can only
/// close this class's measurement. It looks every minute of that clock.
/// </summary>
public sealed class ConsultationsServiceClosingIn2023(PlatformContainers containers)
    : ServiceFactory<Participatie.Consultations.EntryPoint>(
        "consultationsdb", containers, containers.TokenServer, clock: new FakeTimeProvider(Amsterdam.At(2023, 3, 1, 9, 0)))
{
    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("SupportMeasurements:CloseOnDeadline", "true");
        builder.UseSetting("SupportMeasurements:CloseCheckInterval", "00:01:00");
    }
}

/// <summary>A measurement closes by itself once its deadline has passed, and the notice goes out, without anyone reading the result.</summary>
public sealed class SupportMeasurementClosingTests(ConsultationsServiceClosingIn2023 service, PlatformContainers containers)
    : IClassFixture<ConsultationsServiceClosingIn2023>
{
    private FakeTimeProvider Clock => service.Clock!;

    [Fact]
    public async Task A_measurement_closes_by_itself_after_its_deadline_and_not_before()
    {
        var corporation = await containers.TokenServer.RegisterPartnerAsync("housing-corporation");
        using var client = corporation.Authorize(service.CreateClient());
        var trajectory = await containers.TokenServer.StartTrajectoryAsync(corporation);
        await client.WaitForTrajectoryAsync(trajectory.Id);
        var deadline = Amsterdam.At(2023, 3, 22, 17, 0);
        var measurement = await client.CreateMeasurementAsync(service.Services, trajectory.Id, homes: 10, deadline: deadline);
        await client.VoteManyAsync(measurement, agreeing: 7, disagreeing: 1);
        var letters = await VotingCodeLetters.OfAsync(service.Services);
        var job = service.Services.GetServices<IHostedService>().OfType<SupportMeasurementClosingJob>().Single();

        // A minute before the deadline the job has looked (a round finished after the clock moved) and left it open.
        var roundsBefore = job.CompletedRounds;
        Clock.SetUtcNow(deadline - TimeSpan.FromMinutes(1));
        await Eventually.MatchesAsync(() => Task.FromResult(job.CompletedRounds), rounds => rounds > roundsBefore, "the closing job to look before the deadline");
        Assert.Null(await ClosedAtAsync(measurement.Id));
        Assert.Empty(letters.ClosedSoFar(measurement.Id));

        // Past the deadline it closes at the deadline, and the notice's event goes out, with nobody reading the result.
        Clock.SetUtcNow(deadline + TimeSpan.FromMinutes(1));
        var closedAt = await Eventually.MatchesAsync(() => ClosedAtAsync(measurement.Id), closed => closed is not null, "the job to close the measurement");
        Assert.Equal(deadline, closedAt);
        var closed = Assert.Single(await letters.ClosedAsync(measurement.Id));
        Assert.Equal((10, 7, 1, true), (closed.TenantHomes, closed.Agreeing, closed.Disagreeing, closed.ThresholdMet));
        Assert.Equal(10, closed.TenantHomeKeys.Count);

        // Later rounds close nothing twice.
        var roundsAfter = job.CompletedRounds;
        Clock.Advance(TimeSpan.FromMinutes(2));
        await Eventually.MatchesAsync(() => Task.FromResult(job.CompletedRounds), rounds => rounds > roundsAfter, "another round of the closing job");
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        Assert.Single(letters.ClosedSoFar(measurement.Id));
    }

    private async Task<DateTimeOffset?> ClosedAtAsync(Guid measurementId)
    {
        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        return await connection.QuerySingleAsync<DateTimeOffset?>(
            "SELECT closed_at FROM support_measurements WHERE id = @Id", new { Id = measurementId });
    }
}
