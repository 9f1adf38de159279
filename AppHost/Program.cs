using Microsoft.Extensions.Configuration;
using Participatie.AppHost;
using Participatie.Eng;

var builder = DistributedApplication.CreateBuilder(args);
var images = ContainerImages.Load();

var postgres = builder.AddPostgres("postgres").WithContainerImage(images.Postgres);
var messaging = builder.AddRabbitMQ("messaging").WithManagementPlugin().WithContainerImage(images.RabbitMq);

// The platform operator's client secret (registers partners and their clients); generated and kept in user secrets.
var operatorSecret = builder.AddParameter("platform-operator-secret", secret: true, value: new GenerateParameterDefault { MinLength = 32, Special = false });

// The notifications service's own client (scope contact-details): it asks residents for one address per delivery.
var notificationsClientSecret = builder.AddParameter("notifications-client-secret", secret: true, value: new GenerateParameterDefault { MinLength = 32, Special = false });

// The secret behind the residents' sign-in keys (HMAC of e-mail address, phone number and home): residents computes
// them, the token server recognises a resident by them; neither value nor key ever leaves the two.
var residentIdentifierKey = builder.AddParameter("resident-identifier-key", secret: true, value: new GenerateParameterDefault { MinLength = 32, Special = false });

// The gateway is the public entrance, so its address is the issuer of every access token.
var gateway = builder.AddProject<Projects.Gateway>("gateway")
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health");
var issuer = ReferenceExpression.Create($"{gateway.GetEndpoint("http")}/");

// The key-encryption key of the token server's signing keys: they are stored encrypted with it, never in plain form.
var tokenKeyEncryptionKey = builder.AddParameter("token-key-encryption-key", secret: true, value: new GenerateParameterDefault { MinLength = 32, Special = false });

var partnerCoordination = builder.AddService<Projects.PartnerCoordination_Api>("partner-coordination", postgres.AddDatabase("partnersdb"), messaging, issuer)
    .WithEnvironment("Identity__PlatformOperatorSecret", operatorSecret)
    .WithEnvironment("Identity__TokenKeyEncryptionKey", tokenKeyEncryptionKey)
    .WithEnvironment("Identity__ResidentIdentifierKey", residentIdentifierKey);
var residents = builder.AddService<Projects.Residents_Api>("residents", postgres.AddDatabase("residentsdb"), messaging, issuer)
    .WithTokenServer(partnerCoordination)
    .WithEnvironment("Identity__ResidentIdentifierKey", residentIdentifierKey);
var consultations = builder.AddService<Projects.Consultations_Api>("consultations", postgres.AddDatabase("consultationsdb"), messaging, issuer)
    .WithTokenServer(partnerCoordination);
var notifications = builder.AddService<Projects.Notifications_Api>("notifications", postgres.AddDatabase("notificationsdb"), messaging, issuer)
    .WithTokenServer(partnerCoordination);

// Notifications fetches a resident's address at the moment of sending, from residents' internal endpoint, with its own token.
partnerCoordination
    .WithEnvironment("Identity__ServiceClients__notifications__Secret", notificationsClientSecret)
    .WithEnvironment("Identity__ServiceClients__notifications__Scopes", "contact-details");
notifications
    .WithEnvironment("Residents__ClientSecret", notificationsClientSecret)
    .WithReference(residents);

// Quiet hours (no e-mail or SMS from 21:00 to 08:00) are kept unless the run says otherwise: the demo and the
// end-to-end tests must show their mails at any hour.
if (!builder.Configuration.GetValue("QuietHours", defaultValue: !builder.Configuration.GetValue<bool>("DemoData")))
{
    notifications.WithEnvironment("Delivery__KeepQuietHours", "false");
}

// The SMS stand-in (issue 8): a local stand-in for an SMS provider, never a real one. Notifications posts to it with
// the API key; it posts signed delivery reports back through the gateway, the platform's public entrance.
var smsApiKey = builder.AddParameter("sms-stand-in-api-key", secret: true, value: new GenerateParameterDefault { MinLength = 32, Special = false });
var smsReportSecret = builder.AddParameter("sms-stand-in-report-secret", secret: true, value: new GenerateParameterDefault { MinLength = 32, Special = false });
// Like a real provider it is not something the services wait for: it starts once they are healthy, so that it does not
// take the two cores from them on the cold start's path (issue 7); a text sent before it answers is tried again.
var smsStandIn = builder.AddProject<Projects.SmsStandIn>("sms-stand-in")
    .WithEnvironment("SmsStandIn__ApiKey", smsApiKey)
    .WithEnvironment("SmsStandIn__ReportSecret", smsReportSecret)
    .WithHttpHealthCheck("/health")
    .AfterTheServices(partnerCoordination, residents, consultations, notifications);
notifications
    .WithEnvironment("Sms__ProviderUrl", smsStandIn.GetEndpoint("http"))
    .WithEnvironment("Sms__ApiKey", smsApiKey)
    .WithEnvironment("Sms__ReportSecret", smsReportSecret)
    .WithEnvironment("Sms__StatusCallbackUrl", ReferenceExpression.Create($"{gateway.GetEndpoint("http")}/v1/notifications/delivery-reports/sms"));
// Letters are printed in a daily batch at 16:00; the demo cuts one every minute, so that its letters can be read at once.
if (builder.Configuration.GetValue<bool>("DemoData"))
{
    notifications.WithEnvironment("Letters__CutEvery", "00:01:00");
}
// The local mail server (smtp4dev): the notifications' mails land there, readable on its web page. It stands in for a
// provider outside the platform and starts once the services are healthy, as the SMS stand-in does.
var mail = builder.AddMailServer("mail")
    .AfterTheServices(partnerCoordination, residents, consultations, notifications);
notifications.WithMailServer(mail);

// The gateway starts beside the services rather than after them (issue 7: one round of process starts less on the cold
// start's path); its readiness says healthy only once every routed service answers (RoutedServicesHealthCheck).
gateway
    .WithEnvironment("Identity__Issuer", issuer)
    .WithReference(partnerCoordination)
    .WithReference(residents)
    .WithReference(consultations)
    .WithReference(notifications);

// The resident portal (issue 10): a client of the public gateway like any partner's, served by the gateway at /.
// It calls the gateway at its address; the gateway routes to it by reference (no mutual WaitFor: that would be a cycle).
// Its cookies' key ring is kept in a small database of its own (residentportaldb), shared by its replicas.
// It starts once the services it calls through the gateway are healthy, so that its own start does not compete
// with theirs for the two cores on the cold start's path (issue 7); the same for the partner console.
var residentPortal = builder.AddWebClient<Projects.ResidentPortal>(
        "resident-portal", postgres.AddDatabase("residentportaldb"), partnerCoordination, residents, consultations, notifications)
    .WithEnvironment("Gateway__Url", gateway.GetEndpoint("http"))
    .WithHttpHealthCheck("/health");
gateway.WithReference(residentPortal);

// The partner console (issue 10): a web client of the public gateway API like any partner's. It calls the gateway
// (Gateway__Url) and the gateway routes /console to it, so neither waits for the other. Its redirect URI is
// registered with the token server as the platform's own staff client, partner-console.
// Its key ring (cookies, antiforgery, the pending sign-in) likewise, in partnerconsoledb.
var partnerConsole = builder.AddWebClient<Projects.PartnerConsole>(
        "partner-console", postgres.AddDatabase("partnerconsoledb"), partnerCoordination, residents, consultations, notifications)
    .WithEnvironment("Gateway__Url", gateway.GetEndpoint("http"))
    .WithHttpHealthCheck("/health");
partnerCoordination.WithEnvironment(
    "Identity__ConsoleClients__partner-console__RedirectUris", ReferenceExpression.Create($"{gateway.GetEndpoint("http")}/console/signin-callback"));
// Where the token server may send the browser after ending the staff sign-in: the console's signed-out page only.
partnerCoordination.WithEnvironment(
    "Identity__ConsoleClients__partner-console__PostLogoutRedirectUris", ReferenceExpression.Create($"{gateway.GetEndpoint("http")}/console/signed-out"));
gateway.WithReference(partnerConsole);

if (BenchmarkMode.IsRequested(builder))
{
    BenchmarkMode.Apply(gateway, [partnerCoordination, residents, consultations, notifications], [postgres, messaging]);
    BenchmarkMode.ApplyToMail(mail, notifications);
}

// Demo data for a newcomer (./run.sh passes DemoData=true); tests start from empty databases.
if (builder.Configuration.GetValue<bool>("DemoData"))
{
    builder.AddProject<Projects.DemoData>("demo-data")
        .WithEnvironment("Identity__PlatformOperatorSecret", operatorSecret)
        // The demo partners' client credentials, for the README's curl examples (a demo's secrets only).
        .WithEnvironment("DemoData__CredentialsFile", Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", "artifacts", "demo-clients.env")))
        // The gateway says it is ready (200) while one service is still starting (Degraded): the demo waits for all.
        .WithDependency(gateway)
        .WaitFor(partnerCoordination)
        .WaitFor(residents)
        .WaitFor(consultations)
        .WaitFor(notifications);
}

// After every resource is added: each project starts as its built assembly, and the runtime settings of each .NET
// process (W^X off, see RuntimeSettings).
AppModelExtensions.StartEveryProjectAsItsBuiltAssembly(builder);
RuntimeSettings.ApplyToEveryDotnetProcess(builder);

builder.Build().Run();
