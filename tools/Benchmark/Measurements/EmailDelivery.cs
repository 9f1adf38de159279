using System.Diagnostics;
using Participatie.Benchmark.Platform;
using Participatie.Benchmark.Setup;

namespace Participatie.Benchmark.Measurements;

/// <summary>
/// The e-mail delivery of issue 8: how long from opening a consultation until every invitation was accepted by the
/// mail server, how many failed, and the memory of the notifications service and of the mail server meanwhile.
/// <see cref="Elapsed"/> is null when not every invitation was sent in time; <see cref="Problem"/> says why.
/// </summary>
internal sealed record EmailDeliveryResult(
    int Residents,
    TimeSpan? Elapsed,
    TimeSpan? InvitationsStored,
    long Sent,
    long Failed,
    long Bounced,
    MemorySeries? NotificationsMemory,
    MemorySeries? MailServerMemory,
    int? MailServerStored,
    bool? NewestMailIsOurs,
    string? Problem)
{
    /// <summary>Mails accepted per second, from opening the consultation until the last was sent (or the measure gave up).</summary>
    public double? PerSecond { get; init; }

    /// <summary>Where the CPU went while the mails were sent, the most per mail first.</summary>
    public IReadOnlyList<MailCpu> Cpu { get; init; } = [];

    /// <summary>/proc/loadavg when the consultation was opened: how busy the machine was with other work.</summary>
    public string LoadAverageAtStart { get; init; } = "";
}

/// <summary>One process group's CPU time per mail sent, and how many of the machine's cores it kept busy on average.</summary>
internal sealed record MailCpu(string Process, double MillisecondsPerMail, double CoresBusy);

internal static class EmailDelivery
{
    /// <summary>Issue 8's goal: 100,000 mails within 10 minutes. Waiting twice as long still tells how far it got.</summary>
    private static readonly TimeSpan SendTimeout = TimeSpan.FromMinutes(20);

    /// <summary>How long the other measures' own deliveries (the app feed of the fan-out) may take to finish first.</summary>
    private static readonly TimeSpan QuietTimeout = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Memory is judged from the moment a tenth of the mails went out: before that the mail server has compiled
    /// nothing and held nothing, and growth that comes from warming up is not growth with the number of messages.
    /// </summary>
    private const int WarmUpShare = 10;

    // Only the e-mails: a bounced invitation goes again by letter, with the same consultation.
    private const string StatusCountsSql =
        "SELECT status, count(*) FROM notifications WHERE consultation_id = @p AND channel = 'email' GROUP BY status";

    // Letters wait for the daily print batch, so only the channels the worker sends now count as unfinished work.
    private const string OtherDeliveriesDueSql =
        "SELECT count(*) FROM notifications WHERE status IN ('pending', 'sending') AND channel <> @p AND coalesce(next_attempt_at, created_at) <= now()";

    public static async Task<EmailDeliveryResult> RunAsync(
        BenchmarkSettings settings, BenchmarkWorld world, PlatformDatabase database, Action<string> report, CancellationToken cancellationToken)
    {
        using var api = new GatewayApi(settings.Gateway);
        api.UseAccessToken(world.AccessToken);
        var residents = settings.EmailResidents;
        var buurt = world.EmailBuurtCode;
        EmailDeliveryResult NotMeasured(string problem) => new(residents, null, null, 0, 0, 0, null, null, null, null, problem);

        // The worker sends whatever is due, so the fan-out's app notifications would otherwise share the time measured here.
        var quiet = Stopwatch.StartNew();
        try
        {
            await Waiting.UntilAsync(
                async () => await database.CountAsync("notificationsdb", OtherDeliveriesDueSql, "letter", cancellationToken) == 0,
                QuietTimeout, "the other measures' deliveries to finish", cancellationToken);
        }
        catch (TimeoutException timeout)
        {
            return NotMeasured(timeout.Message);
        }

        report($"the other measures' deliveries were done after {quiet.Elapsed.TotalSeconds:0.0} s");

        var registered = await InvitationFanOut.RegisterBuurtAsync(api, database, buurt, residents, ResidentBodies.EmailResident, report, cancellationToken);
        if (registered.Problem is not null)
        {
            return NotMeasured(registered.Problem);
        }

        var notificationsPid = PlatformProcesses.Services(["Notifications.Api"], settings.RepositoryRoot)["Notifications.Api"].Cast<int?>().FirstOrDefault();
        var mailServerPid = PlatformProcesses.MailServer(settings.MailServer.Port);
        await using var memory = new MemorySampler(new Dictionary<string, Func<int?>>
        {
            ["Notifications.Api"] = () => notificationsPid,
            ["smtp4dev"] = () => mailServerPid,
        });

        var loadAverage = LoadAverage.Read();
        var cpuBefore = CpuSnapshot.Take(settings);
        var clock = Stopwatch.StartNew();
        var consultation = Guid.Parse(await api.CreateAsync("/v1/consultations", new
        {
            trajectoryId = world.TrajectoryId,
            title = "Benchmark: uitnodigingen per e-mail",
            description = "Iedereen in de buurt krijgt een uitnodiging per e-mail.",
            buurtCode = buurt,
            closesOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(30)),
        }, cancellationToken));

        TimeSpan? stored = null;
        Dictionary<string, long> counts = [];
        var lastReport = TimeSpan.Zero;
        var warm = false;
        long Count(string status) => counts.GetValueOrDefault(status);
        while (true)
        {
            counts = await database.CountsByAsync("notificationsdb", StatusCountsSql, consultation, cancellationToken);
            var invitations = counts.Values.Sum();
            stored ??= invitations >= residents ? clock.Elapsed : null;
            var finished = Count("sent") + Count("delivered") + Count("failed") + Count("bounced");
            if (!warm && finished >= residents / WarmUpShare)
            {
                memory.MarkWarm();
                warm = true;
            }

            if (finished >= residents || clock.Elapsed > SendTimeout)
            {
                break;
            }

            if (clock.Elapsed - lastReport >= TimeSpan.FromSeconds(30))
            {
                lastReport = clock.Elapsed;
                report($"after {clock.Elapsed.TotalSeconds:0} s: {invitations:N0} invitations stored, {Count("sent"):N0} sent, {Count("failed") + Count("bounced"):N0} failed or bounced");
            }

            await Task.Delay(PollInterval, cancellationToken);
        }

        var elapsed = clock.Elapsed;
        var sent = Count("sent") + Count("delivered");
        var cpu = CpuSnapshot.Take(settings).Since(cpuBefore)
            .Select(group => new MailCpu(group.Key, sent == 0 ? 0 : group.Value.TotalMilliseconds / sent, group.Value / elapsed))
            .Where(row => row.CoresBusy > 0)
            .OrderByDescending(row => row.MillisecondsPerMail)
            .ToList();
        var series = await memory.StopAsync();
        var allSent = sent >= residents;

        int? mailServerStored = null;
        bool? newestIsOurs = null;
        string? mailServerProblem = null;
        try
        {
            using var mailServer = new MailServerApi(settings.MailServer);
            var (held, newest) = await mailServer.NewestAsync(cancellationToken);
            mailServerStored = held;
            newestIsOurs = newest.Any(address => address.EndsWith($"@{buurt.ToLowerInvariant()}.example", StringComparison.OrdinalIgnoreCase));
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or KeyNotFoundException)
        {
            mailServerProblem = $"the mail server's API could not be read: {exception.Message}";
        }

        report($"{sent:N0} of {residents:N0} invitations sent in {elapsed.TotalSeconds:0.0} s ({sent / elapsed.TotalSeconds:0}/s); the mail server holds {mailServerStored?.ToString("N0") ?? "?"}");
        var problem = allSent ? mailServerProblem
            : $"{sent:N0} of {residents:N0} invitations sent after {elapsed.TotalMinutes:0} min ({string.Join(", ", counts.Select(status => $"{status.Value:N0} {status.Key}"))})";
        return new EmailDeliveryResult(
            residents,
            allSent ? elapsed : null,
            stored,
            sent,
            Count("failed"),
            Count("bounced"),
            series["Notifications.Api"],
            series["smtp4dev"],
            mailServerStored,
            newestIsOurs,
            problem)
        {
            PerSecond = sent / elapsed.TotalSeconds,
            Cpu = cpu,
            LoadAverageAtStart = loadAverage,
        };
    }
}
