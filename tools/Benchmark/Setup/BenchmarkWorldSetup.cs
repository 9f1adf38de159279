using System.Globalization;
using Participatie.Benchmark.Platform;

namespace Participatie.Benchmark.Setup;

/// <summary>
/// Sets the benchmark up as a new partner would, through the gateway: the platform operator registers the partner and
/// its system client, the partner leads a trajectory, registers residents and opens a consultation.
/// </summary>
internal static class BenchmarkWorldSetup
{
    private const int ReactingResidentCount = 50;

    public static async Task<BenchmarkWorld> CreateAsync(BenchmarkSettings settings, PlatformDatabase database, CancellationToken cancellationToken)
    {
        using var api = new GatewayApi(settings.Gateway);
        await api.SignInAsync("platform-operator", settings.OperatorSecret, cancellationToken);
        var registryNumber = Random.Shared.Next(10_000_000, 100_000_000).ToString(CultureInfo.InvariantCulture);
        var partner = await api.CreateAsync("/v1/partners", new { name = $"Benchmark corporation {registryNumber}", kind = "housing-corporation", registryNumber }, cancellationToken);
        using var client = await api.PostAsync($"/v1/partners/{partner}/clients", new { displayName = "Benchmark load generator", kind = "system" }, cancellationToken);
        var clientId = client.RootElement.GetProperty("clientId").GetString()!;
        var clientSecret = client.RootElement.GetProperty("clientSecret").GetString()!;

        // A partner starts trajectories only in the areas the operator granted it: here the benchmark's own buurten.
        var buurten = BuurtCodes.Fresh(3);
        await api.PutAsync($"/v1/partners/{partner}/areas", new { areaCodes = buurten }, cancellationToken);
        await api.SignInAsync(clientId, clientSecret, cancellationToken);
        var (reactionBuurt, fanOutBuurt, emailBuurt) = (buurten[0], buurten[1], buurten[2]);
        var trajectory = Guid.Parse(await api.CreateAsync(
            "/v1/trajectories", new { name = "Benchmark", buurtCodes = new[] { reactionBuurt, fanOutBuurt, emailBuurt } }, cancellationToken));

        // The residents service learns the grant, and the consultations service the trajectory, from partner
        // coordination's events: on a busy machine a request made at once could still be refused (422).
        await Waiting.UntilAsync(
            async () => await database.CountAsync("residentsdb", "SELECT count(*) FROM partner_areas WHERE partner_id = @p", Guid.Parse(partner), cancellationToken) > 0,
            TimeSpan.FromSeconds(60),
            "the residents service to know the benchmark partner's areas",
            cancellationToken);
        await Waiting.UntilAsync(
            async () => await database.CountAsync("consultationsdb", "SELECT count(*) FROM trajectory_projection WHERE id = @p", trajectory, cancellationToken) > 0,
            TimeSpan.FromSeconds(60),
            "the consultations service to know the benchmark trajectory",
            cancellationToken);

        var residents = new List<Guid>();
        for (var number = 1; number <= ReactingResidentCount; number++)
        {
            residents.Add(Guid.Parse(await api.CreateAsync("/v1/residents", ResidentBodies.Resident(number, reactionBuurt), cancellationToken)));
        }

        var consultation = Guid.Parse(await api.CreateAsync("/v1/consultations", new
        {
            trajectoryId = trajectory,
            title = "Benchmark: reacties",
            description = "Reacties van de belastingtest.",
            buurtCode = reactionBuurt,
            closesOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(30)),
        }, cancellationToken));

        // A receipt can only be sent to a resident the notifications service has heard of.
        await Waiting.UntilAsync(
            async () => await database.CountAsync("notificationsdb", "SELECT count(*) FROM recipients WHERE buurt_code = @p", reactionBuurt, cancellationToken) >= ReactingResidentCount,
            TimeSpan.FromSeconds(60),
            "the notifications service to know the reacting residents",
            cancellationToken);

        return new BenchmarkWorld(
            await api.GetAccessTokenAsync(clientId, clientSecret, cancellationToken), trajectory, consultation, residents, fanOutBuurt, emailBuurt);
    }
}
