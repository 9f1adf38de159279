using Participatie.BuildingBlocks;
using Participatie.BuildingBlocks.Data;
using Participatie.Consultations;
using Participatie.Consultations.Consultations;
using Participatie.Consultations.DataRights;
using Participatie.Consultations.Exports;
using Participatie.Consultations.Me;
using Participatie.Consultations.Meetings;
using Participatie.Consultations.Polls;
using Participatie.Consultations.Questionnaires;
using Participatie.Consultations.Reach;
using Participatie.Consultations.Reactions;
using Participatie.Consultations.Summaries;
using Participatie.Consultations.SupportMeasurements;
using Participatie.Consultations.Themes;
using Participatie.Consultations.Trajectories;

var service = new ServiceDescription(
    "consultations", "consultationsdb", "Participatie Consultations API", typeof(EntryPoint).Assembly)
{
    KeepsTrajectoryProjection = true,
    KeepsResidentPartners = true,
};
// The same executable is the service's migration job when started with --migrate-only (see the AppHost).
if (await DatabaseMigrator.RunAsMigrationJobAsync(service, args))
{
    return;
}

var builder = WebApplication.CreateBuilder(args);
builder.AddParticipatieService(service);
builder.Services.AddOverdueReactionsMetric();
builder.Services.AddSingleton<ReactionWriter>();
builder.Services.AddHostedService(provider => provider.GetRequiredService<ReactionWriter>());
builder.Services.AddHostedService<MeetingReminderService>();
builder.AddSupportMeasurementClosing();
builder.Services.AddSingleton<ResidentActivityReport>();
builder.Services.AddHostedService(provider => provider.GetRequiredService<ResidentActivityReport>());

var app = builder.Build();
app.UseParticipatieService();
app.MapConsultationsApi();
app.MapTrajectorySettingsApi();
app.MapReactionsApi();
app.MapReachApi();
app.MapThemesApi();
app.MapSummariesApi();
app.MapSupportMeasurementsApi();
app.MapMeetingsApi();
app.MapQuestionnairesApi();
app.MapPollsApi();
app.MapMyConsultationsApi();
app.MapMyMeetingsApi();
app.MapMyQuestionsApi();
app.MapMySupportMeasurementsApi();
app.MapMySummariesApi();
app.MapPublicApi();
app.MapExportsApi();

await app.MigrateDatabaseAsync();
await app.RunAsync();
