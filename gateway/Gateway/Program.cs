using Microsoft.Extensions.DependencyInjection.Extensions;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Http;
using Participatie.Gateway;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddParticipatieAuthentication();
builder.Services.AddProblemDetails();
builder.Services.AddPartnerRateLimiting(builder.Configuration);
builder.Services.AddReverseProxy()
    .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
    .AddServiceDiscoveryDestinationResolver();
// Readiness (/health, not /alive) reflects whether the services behind the routes answer.
builder.Services.TryAddSingleton(TimeProvider.System);
builder.Services.AddSingleton<RoutedServicesHealthCheck>();
builder.Services.AddHealthChecks().AddCheck<RoutedServicesHealthCheck>(RoutedServicesHealthCheck.Name, tags: ["ready"]);

var app = builder.Build();
// The gateway's own answers (401, 404, 429) carry the header as the services' do; a proxied answer keeps the service's.
app.UseApiVersionHeader();
app.UseExceptionHandler();
// Empty 401/403 answers (a missing or bad token) get a problem+json body.
app.UseStatusCodePages();
app.UseAuthentication();
app.UseMiddleware<PartnerCors>();
app.UseAuthorization();
app.UseRateLimiter();
app.MapDefaultEndpoints();
app.MapReverseProxy(proxy =>
{
    // A service that cannot be reached gets a 503 problem+json with Retry-After rather than YARP's empty 502.
    proxy.Use((context, next) => UnreachableServiceProblems.WriteProblemWhenForwardingFailedAsync(context, next));
    // A body over the route's limit is refused here, where the caller is sure to get the 413.
    proxy.Use((context, next) => RequestBodyLimit.RefuseOversizedBodiesAsync(context, next));
    // A request that failed on one replica without effect there goes once more, to another.
    proxy.Use((context, next) => ForwardingRetry.RetryOnAnotherDestinationAsync(context, next));
    // What MapReverseProxy() without arguments does.
    proxy.UseSessionAffinity();
    proxy.UseLoadBalancing();
    proxy.UsePassiveHealthChecks();
});

// Whatever no route matches gets a problem+json 404 rather than an empty answer.
app.MapFallback((HttpContext context) => TypedResults.Problem(
    statusCode: StatusCodes.Status404NotFound,
    title: "There is no such resource.",
    detail: $"No API answers '{context.Request.Path}'. The APIs live under /v1/; each describes itself at /<api>/openapi.json.",
    type: "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5"));

await app.RunAsync();
