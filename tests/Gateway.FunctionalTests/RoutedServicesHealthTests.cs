using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Participatie.Testing;

namespace Participatie.Gateway.FunctionalTests;

/// <summary>
/// The gateway's readiness and its answer when a service is down, against real sockets: one routed service that
/// answers (a small stand-in on a real port), every other cluster on a port where nothing listens.
/// </summary>
public sealed class RoutedServicesHealthTests(PlatformContainers containers) : IAsyncLifetime
{
    private static readonly string[] Clusters =
        ["residents", "consultations", "partner-coordination", "notifications", "partner-console", "resident-portal"];

    private WebApplication _residents = null!;
    private RoutedServicesGatewayHost _gateway = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _residents = builder.Build();
        _residents.MapGet("/health", () => "Healthy");
        _residents.MapGet("/alive", () => "Healthy");
        _residents.MapGet("/openapi.json", () => Results.Json(new { openapi = "3.1.1" }));
        await _residents.StartAsync(Cancel);

        var nobody = $"http://127.0.0.1:{FreeTcpPorts.Next()}";
        var addresses = Clusters.ToDictionary(cluster => cluster, cluster => cluster == "residents" ? _residents.Urls.First() : nobody);
        _gateway = new RoutedServicesGatewayHost(containers, addresses);
    }

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _residents.DisposeAsync();
    }

    [Fact]
    public async Task A_route_whose_service_refuses_the_connection_answers_503_problem_with_Retry_After()
    {
        using var client = _gateway.CreateClient();

        var down = await client.GetAsync(new Uri("/consultations/openapi.json", UriKind.Relative), Cancel);

        var problem = await down.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.True(down.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After tells when to come back");
        Assert.Contains("did not reach", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var up = await client.GetAsync(new Uri("/residents/openapi.json", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.OK, up.StatusCode);
    }

    [Fact]
    public async Task Readiness_names_the_unreachable_services_and_liveness_does_not_look_at_them()
    {
        using var client = _gateway.CreateClient();

        var readiness = await client.GetAsync(new Uri("/health", UriKind.Relative), Cancel);

        // Degraded (still 200): the gateway can serve the residents' routes, so it stays in its load balancer.
        Assert.Equal(HttpStatusCode.OK, readiness.StatusCode);
        var report = JsonDocument.Parse(await readiness.Content.ReadAsStringAsync(Cancel)).RootElement;
        Assert.Equal("Degraded", report.GetProperty("status").GetString());
        var routed = report.GetProperty("checks").GetProperty(RoutedServicesHealthCheck.Name);
        Assert.Equal("Degraded", routed.GetProperty("status").GetString());
        var description = routed.GetProperty("description").GetString()!;
        foreach (var cluster in Clusters.Where(cluster => cluster != "residents"))
        {
            Assert.Contains(cluster, description, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("residents", description, StringComparison.Ordinal);
        var liveness = await client.GetAsync(new Uri("/alive", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.OK, liveness.StatusCode);
        Assert.Equal("Healthy", await liveness.Content.ReadAsStringAsync(Cancel));
    }

    [Fact]
    public async Task A_destination_that_takes_the_connection_but_does_not_answer_does_not_hold_up_the_others_verdict()
    {
        // A web client behind the development proxy before it has started: the connection is taken, no answer comes.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var silentAddress = $"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}";
        var addresses = Clusters.ToDictionary(
            cluster => cluster,
            cluster => cluster switch
            {
                "residents" => _residents.Urls.First(),
                "partner-console" => silentAddress,
                _ => $"http://127.0.0.1:{FreeTcpPorts.Next()}",
            });
        await using var gateway = new RoutedServicesGatewayHost(containers, addresses);
        using var client = gateway.CreateClient();

        var readiness = await client.GetAsync(new Uri("/health", UriKind.Relative), Cancel);

        // The check answered before the silent probe's timeout: the residents' verdict is there, the console has none yet.
        Assert.Equal(HttpStatusCode.OK, readiness.StatusCode);
        var routed = JsonDocument.Parse(await readiness.Content.ReadAsStringAsync(Cancel)).RootElement
            .GetProperty("checks").GetProperty(RoutedServicesHealthCheck.Name);
        Assert.Equal("Degraded", routed.GetProperty("status").GetString());
        var description = routed.GetProperty("description").GetString()!;
        Assert.Contains("partner-console (no answer yet)", description, StringComparison.Ordinal);
        Assert.Contains("consultations (unreachable", description, StringComparison.Ordinal);
        Assert.DoesNotContain("residents", description, StringComparison.Ordinal);

        // Once its probe has timed out, the console is named for that.
        var named = await Eventually.MatchesAsync(
            async () => await (await client.GetAsync(new Uri("/health", UriKind.Relative), Cancel)).Content.ReadAsStringAsync(Cancel),
            body => body.Contains($"no answer within {RoutedServicesHealthCheck.ProbeTimeout.TotalSeconds:0} s", StringComparison.Ordinal),
            "the silent destination to be named for its timeout",
            RoutedServicesHealthCheck.ProbeTimeout + TimeSpan.FromSeconds(10));
        Assert.Contains("partner-console (no answer within", named, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_no_routed_service_answers_the_gateway_is_not_ready_once_its_short_cache_expires()
    {
        using var client = _gateway.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health", UriKind.Relative), Cancel)).StatusCode);

        await _residents.StopAsync(Cancel);
        // Within the cache the answer stands, so that frequent probes do not become probes of every service.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health", UriKind.Relative), Cancel)).StatusCode);

        var status = await Eventually.MatchesAsync(
            async () => (await client.GetAsync(new Uri("/health", UriKind.Relative), Cancel)).StatusCode,
            status => status == HttpStatusCode.ServiceUnavailable,
            "the gateway's readiness to fail with every routed service down",
            RoutedServicesHealthCheck.CacheFor + TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
    }
}

/// <summary>The gateway with each cluster's one destination at the given address.</summary>
public sealed class RoutedServicesGatewayHost(PlatformContainers containers, IReadOnlyDictionary<string, string> addresses)
    : GatewayHost(containers)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var (cluster, address) in addresses)
        {
            builder.UseSetting(string.Create(CultureInfo.InvariantCulture, $"ReverseProxy:Clusters:{cluster}:Destinations:{cluster}:Address"), address);
        }
    }
}
