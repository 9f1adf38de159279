using Microsoft.Extensions.Configuration;
using Participatie.AppHost;
using Participatie.Eng;

var builder = DistributedApplication.CreateBuilder(args);
var images = ContainerImages.Load();

var postgres = builder.AddPostgres("postgres").WithContainerImage(images.Postgres);
var messaging = builder.AddRabbitMQ("messaging").WithManagementPlugin().WithContainerImage(images.RabbitMq);

// The platform operator's client secret (registers partners and their clients); generated and kept in user secrets.
var operatorSecret = builder.AddParameter("platform-operator-secret", secret: true, value: new GenerateParameterDefault { MinLength = 32, Special = false });

// The gateway is the public entrance, so its address is the issuer of every access token.
var gateway = builder.AddProject<Projects.Gateway>("gateway")
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health");
var issuer = ReferenceExpression.Create($"{gateway.GetEndpoint("http")}/");

var partnerCoordination = builder.AddService<Projects.PartnerCoordination_Api>("partner-coordination", postgres.AddDatabase("partnersdb"), messaging, issuer)
    .WithEnvironment("Identity__PlatformOperatorSecret", operatorSecret);
var residents = builder.AddService<Projects.Residents_Api>("residents", postgres.AddDatabase("residentsdb"), messaging, issuer)
    .WithTokenServer(partnerCoordination);
var consultations = builder.AddService<Projects.Consultations_Api>("consultations", postgres.AddDatabase("consultationsdb"), messaging, issuer)
    .WithTokenServer(partnerCoordination);
var notifications = builder.AddService<Projects.Notifications_Api>("notifications", postgres.AddDatabase("notificationsdb"), messaging, issuer)
    .WithTokenServer(partnerCoordination);

// The local mail server (smtp4dev): the notifications' mails land there, readable on its web page.
var mail = builder.AddMailServer("mail");
notifications.WithMailServer(mail);

gateway
    .WithEnvironment("Identity__Issuer", issuer)
    .WithDependency(partnerCoordination)
    .WithDependency(residents)
    .WithDependency(consultations)
    .WithDependency(notifications);

if (BenchmarkMode.IsRequested(builder))
{
    BenchmarkMode.Apply(gateway, [partnerCoordination, residents, consultations, notifications], [postgres, messaging]);
}

// Demo data for a newcomer (./run.sh passes DemoData=true); tests start from empty databases.
if (builder.Configuration.GetValue<bool>("DemoData"))
{
    builder.AddProject<Projects.DemoData>("demo-data")
        .WithEnvironment("Identity__PlatformOperatorSecret", operatorSecret)
        // The demo partners' client credentials, for the README's curl examples (a demo's secrets only).
        .WithEnvironment("DemoData__CredentialsFile", Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", "artifacts", "demo-clients.env")))
        .WithDependency(gateway);
}

builder.Build().Run();
