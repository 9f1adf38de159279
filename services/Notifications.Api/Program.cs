using Participatie.BuildingBlocks;
using Participatie.BuildingBlocks.Data;
using Participatie.Notifications;
using Participatie.Notifications.Delivery;
using Participatie.Notifications.Delivery.Contacts;
using Participatie.Notifications.Notifications;
using Participatie.Notifications.Texts;

var builder = WebApplication.CreateBuilder(args);
builder.AddParticipatieService(new ServiceDescription(
    "notifications", "notificationsdb", "Participatie Notifications API", typeof(EntryPoint).Assembly)
{
    KeepsTrajectoryProjection = true,
});
builder.AddDelivery();
builder.AddResidentContacts();

var app = builder.Build();
app.UseParticipatieService();
app.MapNotificationsApi();
app.MapDeliveryApi();
app.MapTextChecksApi();

await app.MigrateDatabaseAsync();
await app.RunAsync();
