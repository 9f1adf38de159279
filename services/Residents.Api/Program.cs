using Participatie.BuildingBlocks;
using Participatie.BuildingBlocks.Data;
using Participatie.Residents;
using Participatie.Residents.Bulk;
using Participatie.Residents.Contacts;
using Participatie.Residents.Residents;

var builder = WebApplication.CreateBuilder(args);
builder.AddParticipatieService(new ServiceDescription(
    "residents", "residentsdb", "Participatie Residents API", typeof(EntryPoint).Assembly));

builder.Services.AddHostedService<IdempotencyKeyCleanup>();

var app = builder.Build();
app.UseParticipatieService();
app.MapResidentsApi();
app.MapContactDetailsApi();

await app.MigrateDatabaseAsync();
await app.RunAsync();
