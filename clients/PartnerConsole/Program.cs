using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Http.Resilience;
using Participatie.BuildingBlocks.DataProtection;
using Participatie.PartnerConsole;
using Participatie.PartnerConsole.Components;

// Started with --migrate-only: the migration job of the key ring's database, which ends here.
if (await WebClientKeyRing.RunAsMigrationJobAsync(WebClientKeyRing.PartnerConsole, typeof(Program).Assembly, args))
{
    return;
}

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
// Its cookies' keys in its own database, shared by every replica on any node (before: a volume, one node only).
builder.AddWebClientKeyRing(WebClientKeyRing.PartnerConsole, typeof(Program).Assembly);

// Static server rendering only: every page is HTML from the server and every action a plain form post.
builder.Services.AddRazorComponents();
builder.Services.AddHttpContextAccessor();
builder.Services.AddConsoleSignIn(builder.Configuration);
builder.Services.AddScoped<ConsoleLanguage>();
builder.Services.AddTransient<BearerFromSession>();
// A form post reaches the API once: no retry of POST or PUT after an error (a note or theme would be made twice, and
// an authorization code is good once). The service defaults give every client this one resilience pipeline.
builder.Services.Configure<HttpStandardResilienceOptions>(
    "-standard", options => options.Retry.DisableForUnsafeHttpMethods());
builder.Services.AddHttpClient<GatewayApi>(client => client.BaseAddress = ConsoleSignIn.GatewayUrl(builder.Configuration))
    .AddHttpMessageHandler<BearerFromSession>();

// Behind the gateway: the scheme (for Secure cookies) and host come from its forwarded headers, so that a redirect
// (to the sign-in, say) names the gateway's address and not the console's own.
builder.Services.Configure<ForwardedHeadersOptions>(options =>
{
    options.ForwardedHeaders = ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
    options.KnownIPNetworks.Clear();
    options.KnownProxies.Clear();
});

var app = builder.Build();
await app.MigrateKeyRingDatabaseAsync();
app.UseForwardedHeaders();
// The gateway routes /console/** here unchanged, so every link and cookie lives under /console.
app.UsePathBase("/console");
app.UseExceptionHandler("/error", createScopeForErrors: true);
app.UseStatusCodePagesWithReExecute("/not-found");
app.Use(ConsoleHeaders.AddAsync);
app.UseStaticFiles();
app.UseAuthentication();
app.UseMiddleware<SessionExpiry>();
app.UseAuthorization();
app.UseAntiforgery();

app.MapDefaultEndpoints();
app.MapConsoleSignIn();
app.MapGet("/language", ConsoleLanguage.Switch).AllowAnonymous();
app.MapGet("/partner-logo/{partnerId:guid}", PartnerLogo.ServeAsync).RequireAuthorization();
app.MapRazorComponents<App>();

await app.RunAsync();

/// <summary>The entry point, for tests that start the console in process.</summary>
public partial class Program;
