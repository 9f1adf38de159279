using Participatie.BuildingBlocks;
using Participatie.BuildingBlocks.Data;
using Participatie.Residents;
using Participatie.Residents.Bulk;
using Participatie.Residents.Contacts;
using Participatie.Residents.DataRights;
using Participatie.Residents.Residents;

var builder = WebApplication.CreateBuilder(args);
builder.AddParticipatieService(new ServiceDescription(
    "residents", "residentsdb", "Participatie Residents API", typeof(EntryPoint).Assembly));

builder.Services.AddHostedService<IdempotencyKeyCleanup>();
builder.Services.AddSingleton<RetentionJob>();
builder.Services.AddHostedService(services => services.GetRequiredService<RetentionJob>());

var app = builder.Build();
app.UseParticipatieService();
app.MapResidentsApi();
app.MapContactDetailsApi();
app.MapDataRightsApi();

await app.MigrateDatabaseAsync();
await app.RunAsync();
