using Microsoft.Extensions.Configuration;
using Participatie.AppHost;
using Participatie.Eng;

var builder = DistributedApplication.CreateBuilder(args);
var images = ContainerImages.Load();

var postgres = builder.AddPostgres("postgres").WithContainerImage(images.Postgres);
var messaging = builder.AddRabbitMQ("messaging").WithManagementPlugin().WithContainerImage(images.RabbitMq);

var partnerCoordination = builder.AddService<Projects.PartnerCoordination_Api>("partner-coordination", postgres.AddDatabase("partnersdb"), messaging);
var residents = builder.AddService<Projects.Residents_Api>("residents", postgres.AddDatabase("residentsdb"), messaging);
var consultations = builder.AddService<Projects.Consultations_Api>("consultations", postgres.AddDatabase("consultationsdb"), messaging)
    .WithReference(partnerCoordination)
    .WaitFor(partnerCoordination);
var notifications = builder.AddService<Projects.Notifications_Api>("notifications", postgres.AddDatabase("notificationsdb"), messaging);

var gateway = builder.AddProject<Projects.Gateway>("gateway")
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health")
    .WithDependency(partnerCoordination)
    .WithDependency(residents)
    .WithDependency(consultations)
    .WithDependency(notifications);

// Demo data for a newcomer (./run.sh passes DemoData=true); tests start from empty databases.
if (builder.Configuration.GetValue<bool>("DemoData"))
{
    builder.AddProject<Projects.DemoData>("demo-data").WithDependency(gateway);
}

builder.Build().Run();
