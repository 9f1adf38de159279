using Participatie.BuildingBlocks;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.Consultations;
using Participatie.Consultations.Apis;

var builder = WebApplication.CreateBuilder(args);
builder.AddParticipatieService(new ServiceDescription(
    "consultations", "consultationsdb", "Participatie Consultations API", typeof(EntryPoint).Assembly));
builder.Services.AddTrajectoryDirectory();

var app = builder.Build();
app.UseParticipatieService();
app.MapConsultationsApi();
app.MapReactionsApi();

await app.MigrateDatabaseAsync();
await app.RunAsync();
