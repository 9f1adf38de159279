using Participatie.BuildingBlocks;
using Participatie.BuildingBlocks.Data;
using Participatie.Notifications;
using Participatie.Notifications.Delivery;
using Participatie.Notifications.Delivery.Contacts;
using Participatie.Notifications.Delivery.Letters;
using Participatie.Notifications.Delivery.Sms;
using Participatie.Notifications.Delivery.Email;
using Participatie.Notifications.Notifications;
using Participatie.Notifications.Subscriptions;
using Participatie.Notifications.Texts;

var service = new ServiceDescription(
    "notifications", "notificationsdb", "Participatie Notifications API", typeof(EntryPoint).Assembly)
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
builder.AddDelivery();
builder.AddResidentContacts();
builder.AddSmsDelivery();
builder.AddLetterDelivery();
builder.AddEmailDelivery();
builder.AddSubscriptions();

var app = builder.Build();
app.UseParticipatieService();
app.MapNotificationsApi();
app.MapDeliveryApi();
app.MapTextChecksApi();
app.MapSmsDeliveryReports();
app.MapLetterBatchesApi();
app.MapSubscriptionsApi();

await app.MigrateDatabaseAsync();
await app.RunAsync();
