using Participatie.BuildingBlocks;
using Participatie.BuildingBlocks.Data;
using Participatie.Residents;
using Participatie.Residents.Audiences;
using Participatie.Residents.Bulk;
using Participatie.Residents.Contacts;
using Participatie.Residents.DataRights;
using Participatie.Residents.Me;
using Participatie.Residents.Registry;
using Participatie.Residents.Residents;

var service = new ServiceDescription(
    "residents", "residentsdb", "Participatie Residents API", typeof(EntryPoint).Assembly);
// The same executable is the service's migration job when started with --migrate-only (see the AppHost).
if (await DatabaseMigrator.RunAsMigrationJobAsync(service, args))
{
    return;
}

var builder = WebApplication.CreateBuilder(args);
builder.AddParticipatieService(service);

builder.Services.AddHostedService<IdempotencyKeyCleanup>();
builder.Services.AddSingleton<RetentionJob>();
builder.Services.AddHostedService(services => services.GetRequiredService<RetentionJob>());
builder.Services.AddSingleton<ResidentIdentifierSecret>();
builder.Services.AddSingleton<ResidentSnapshots>();
builder.Services.AddSingleton<HomeAnnouncements>();
builder.Services.AddSingleton<SnapshotBackfill>();
builder.Services.AddHostedService(services => services.GetRequiredService<SnapshotBackfill>());

var app = builder.Build();
// A missing Identity:ResidentIdentifierKey stops the start rather than the first registration.
_ = app.Services.GetRequiredService<ResidentIdentifierSecret>();
app.UseParticipatieService();
app.MapResidentsApi();
app.MapMeApi();
app.MapPublicAddressesApi();
app.MapContactDetailsApi();
app.MapDataRightsApi();

await app.MigrateDatabaseAsync();
await app.RunAsync();
