using Npgsql;
using Participatie.BuildingBlocks.Hosting;

namespace Participatie.PartnerCoordination.ResidentSignIn;

/// <summary>
/// Deletes sign-in codes and wrong tries a day after they stopped mattering (every hour by default,
/// <c>ResidentSignIn:HousekeepingInterval</c>): anyone may ask for codes, so they must not pile up.
/// </summary>
public sealed class ResidentSignInHousekeeping(
    NpgsqlDataSource database, IConfiguration configuration, TimeProvider clock, ILogger<ResidentSignInHousekeeping> logger)
    : PeriodicJob(PeriodFrom(configuration, "ResidentSignIn:HousekeepingInterval", TimeSpan.FromHours(1)), clock, logger)
{
    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await ResidentSignInStore.DeleteStaleAsync(connection, Clock.GetUtcNow() - TimeSpan.FromDays(1), cancellationToken);
    }
}
