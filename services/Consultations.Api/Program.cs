using Participatie.BuildingBlocks;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.Consultations;
using Participatie.Consultations.Apis;
using Participatie.Consultations.Domain;

var builder = WebApplication.CreateBuilder(args);
builder.AddParticipatieService(new ServiceDescription(
    "consultations", "consultationsdb", "Participatie Consultations API", typeof(EntryPoint).Assembly));
builder.Services.AddTrajectoryDirectory();
builder.Services.AddOverdueReactionsMetric();
builder.Services.AddHostedService<MeetingReminderService>();

var app = builder.Build();
app.UseParticipatieService();
app.MapConsultationsApi();
app.MapReactionsApi();
app.MapReachApi();
app.MapThemesApi();
app.MapSummariesApi();
app.MapSupportMeasurementsApi();
app.MapMeetingsApi();
app.MapQuestionnairesApi();
app.MapPollsApi();

await app.MigrateDatabaseAsync();
await app.RunAsync();
