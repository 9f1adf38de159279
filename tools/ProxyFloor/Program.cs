using Yarp.ReverseProxy.Configuration;

// YARP with one route to the consultations service and nothing else: no authentication, rate limit, telemetry, health
// checks or logging. The benchmark reads one consultation through it, so that the report shows what a reverse proxy in
// a process of its own costs on the machine at all, next to what the gateway costs with all it does (issue 7).
// Usage: ProxyFloor --urls http://127.0.0.1:5099 --Target http://localhost:5103
var builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders();
var target = builder.Configuration["Target"]
    ?? throw new InvalidOperationException("Name the consultations service with --Target <address>.");
builder.Services.AddReverseProxy().LoadFromMemory(
    [new RouteConfig { RouteId = "consultations", ClusterId = "consultations", Match = new RouteMatch { Path = "/v1/consultations/{**rest}" } }],
    [new ClusterConfig
    {
        ClusterId = "consultations",
        Destinations = new Dictionary<string, DestinationConfig> { ["consultations"] = new() { Address = target } },
    }]);

var app = builder.Build();
app.MapReverseProxy();
await app.RunAsync();
