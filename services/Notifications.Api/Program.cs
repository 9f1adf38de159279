using Participatie.BuildingBlocks;
using Participatie.BuildingBlocks.Data;
using Participatie.Notifications;
using Participatie.Notifications.Delivery.Email;
using Participatie.Notifications.Notifications;

var builder = WebApplication.CreateBuilder(args);
builder.AddParticipatieService(new ServiceDescription(
    "notifications", "notificationsdb", "Participatie Notifications API", typeof(EntryPoint).Assembly)
{
    KeepsTrajectoryProjection = true,
});
builder.AddEmailDelivery();

var app = builder.Build();
app.UseParticipatieService();
app.MapNotificationsApi();

await app.MigrateDatabaseAsync();
await app.RunAsync();
