using Participatie.BuildingBlocks;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.DataProtection;
using Participatie.PartnerCoordination;
using Participatie.PartnerCoordination.Advice;
using Participatie.PartnerCoordination.Coordination;
using Participatie.PartnerCoordination.Identity;
using Participatie.PartnerCoordination.Partners;
using Participatie.PartnerCoordination.ResidentSignIn;
using Participatie.PartnerCoordination.Trajectories;

var service = new ServiceDescription(
    "partner-coordination", "partnersdb", "Participatie Partner Coordination API", typeof(EntryPoint).Assembly);
// The same executable is the service's migration job when started with --migrate-only (see the AppHost).
if (await DatabaseMigrator.RunAsMigrationJobAsync(service, args))
{
    return;
}

var builder = WebApplication.CreateBuilder(args);
builder.AddParticipatieService(service);
builder.AddTokenServer();
// The sign-in cookies and antiforgery tokens of every replica from one key ring in partnersdb, sealed with a key
// derived from the token keys' key-encryption secret (for another purpose, so the two keys are unrelated).
builder.Services.AddSharedKeyRing(builder.Configuration, "participatie-partner-coordination", TokenKeyProtector.ConfigurationKey);
builder.Services.DescribeTokenEndpoint();
builder.AddTrajectoryOptions();
builder.Services.AddHostedService<AdviceReminderService>();

var app = builder.Build();
app.UseParticipatieService();
app.MapTokenEndpoint();
app.MapPartnersApi();
app.MapPartnerAreasApi();
app.MapPartnerLogoApi();
app.MapClientsApi();
app.MapContactsApi();
app.MapStaffApi();
app.MapTrajectoriesApi();
app.MapPublicTrajectoriesApi();
app.MapTasksApi();
app.MapAgreementsApi();
app.MapActivitiesApi();
app.MapCommunicationPlanApi();
app.MapInterestsApi();
app.MapBestPracticesApi();
app.MapPrivateNotesApi();
app.MapAdviceRequestsApi();
app.MapResidentSignInApi();

await app.MigrateDatabaseAsync();
await app.RunAsync();
