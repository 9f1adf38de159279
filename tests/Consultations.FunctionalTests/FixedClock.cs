using Microsoft.Extensions.Time.Testing;
using Participatie.Testing;

namespace Participatie.Consultations.FunctionalTests;

/// <summary>Moments on a clock in the Netherlands, written as a resident would say them.</summary>
internal static class Amsterdam
{
    private static readonly TimeZoneInfo Netherlands = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    /// <summary>
    /// The moment it is the given date and time in Amsterdam (summer or winter time as it was then), in UTC as the
    /// system clock gives it (PostgreSQL takes only UTC offsets for timestamptz).
    /// </summary>
    public static DateTimeOffset At(int year, int month, int day, int hour = 12, int minute = 0)
    {
        var local = new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, Netherlands.GetUtcOffset(local)).ToUniversalTime();
    }

    /// <summary>Moves the clock forward to the given date and time in Amsterdam; a fake clock never goes back.</summary>
    public static void MoveTo(this FakeTimeProvider clock, int year, int month, int day, int hour = 12, int minute = 0) =>
        clock.SetUtcNow(At(year, month, day, hour, minute));
}

/// <summary>
/// The consultations service on a clock that stands still at Thursday 17 April 2025, 14:00 in Amsterdam: the day
/// before Good Friday, with Easter Monday, King's Day (Saturday 26 April), Liberation Day and Ascension in the weeks
/// after. Nothing in the class moves it, so every test can write its expected dates out by hand.
/// </summary>
public sealed class ConsultationsServiceBeforeEaster2025(PlatformContainers containers)
    : ServiceFactory<Participatie.Consultations.EntryPoint>(
        "consultationsdb", containers, containers.TokenServer, clock: new FakeTimeProvider(Amsterdam.At(2025, 4, 17, 14, 0)))
{
    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.TurnOffClosingOnDeadline();
    }
}

/// <summary>
/// The consultations service on a clock that starts on Wednesday 16 April 2025 and that its one test class moves
/// forward through the year's holidays (a fake clock only goes forward, so it is not shared with another class).
/// </summary>
public sealed class ConsultationsServiceThrough2025(PlatformContainers containers)
    : ServiceFactory<Participatie.Consultations.EntryPoint>(
        "consultationsdb", containers, containers.TokenServer, clock: new FakeTimeProvider(Amsterdam.At(2025, 4, 16, 9, 0)))
{
    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        // The reminder check runs often in real time; whether a reminder is due is for the fake clock to say.
        builder.UseSetting("Meetings:ReminderCheckInterval", "00:00:00.200");
        builder.TurnOffClosingOnDeadline();
    }
}

/// <summary>
/// The consultations service on a clock that starts Monday 5 February 2024 and that its one test class moves forward.
/// Every other test makes reactions due in April 2025 or later (real time, or the fixed clocks above), so up to the
/// spring of 2024 the overdue gauge, which counts the whole database, counts only this class's reactions. (A service
/// on a database of its own would need a broker of its own, and then never hear of the trajectories.)
/// </summary>
public sealed class ConsultationsServiceIn2024(PlatformContainers containers)
    : ServiceFactory<Participatie.Consultations.EntryPoint>(
        "consultationsdb", containers, containers.TokenServer, clock: new FakeTimeProvider(Amsterdam.At(2024, 2, 5, 9, 0)))
{
    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.TurnOffClosingOnDeadline();
    }
}

/// <summary>
/// Every service instance of these tests shares one database, each on its own clock (real time, or fake ones in 2024
/// and 2025). A closing job on one clock would close the measurements of another before their deadline on that clock,
/// so each instance has it off; <c>SupportMeasurementClosingTests</c> turns it on for its own clock alone.
/// </summary>
internal static class ClosingOnDeadline
{
    public static void TurnOffClosingOnDeadline(this Microsoft.AspNetCore.Hosting.IWebHostBuilder builder) =>
        builder.UseSetting("SupportMeasurements:CloseOnDeadline", "false");
}

/// <summary>Waiting for the consultations service to let a partner in.</summary>
internal static class Access
{
    /// <summary>
    /// Waits until the consultations service lets the client read the trajectory's settings: it learns of
    /// trajectories and their members from partner coordination, which may take a moment (an event on the broker).
    /// </summary>
    public static Task WaitForTrajectoryAsync(this HttpClient client, Guid trajectoryId) =>
        Eventually.MatchesAsync(
            async () =>
            {
                using var response = await client.GetAsync(
                    new Uri($"/v1/consultations/trajectories/{trajectoryId}/settings", UriKind.Relative), TestContext.Current.CancellationToken);
                return response.StatusCode;
            },
            status => status == System.Net.HttpStatusCode.OK,
            $"the consultations service to let the partner into trajectory {trajectoryId}");
}
