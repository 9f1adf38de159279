using Participatie.BuildingBlocks;
using Participatie.BuildingBlocks.Data;
using Participatie.PartnerCoordination.Apis;

var builder = WebApplication.CreateBuilder(args);
builder.AddParticipatieService(new ServiceDescription(
    "partner-coordination", "partnersdb", "Participatie Partner Coordination API", typeof(PartnersApi).Assembly));

var app = builder.Build();
app.UseParticipatieService();
app.MapPartnersApi();

await app.MigrateDatabaseAsync();
await app.RunAsync();
