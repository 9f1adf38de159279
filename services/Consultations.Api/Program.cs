using Participatie.BuildingBlocks;
using Participatie.BuildingBlocks.Data;
using Participatie.Consultations.Apis;
using Participatie.Consultations.Partners;

var builder = WebApplication.CreateBuilder(args);
builder.AddParticipatieService(new ServiceDescription(
    "consultations", "consultationsdb", "Participatie Consultations API", typeof(ConsultationsApi).Assembly));
builder.Services.AddHttpClient<IPartnerDirectory, PartnerDirectory>(
    client => client.BaseAddress = new Uri("https+http://partner-coordination"));

var app = builder.Build();
app.UseParticipatieService();
app.MapConsultationsApi();
app.MapReactionsApi();

await app.MigrateDatabaseAsync();
await app.RunAsync();
