using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Participatie.Testing;

namespace Participatie.Gateway.FunctionalTests;

/// <summary>
/// Two replicas behind one route, one of them failing, against real sockets: what reached no replica, or only read,
/// goes once more to the other; a write whose connection broke after it was sent is not repeated.
/// </summary>
public sealed class ReplicaFailoverTests(PlatformContainers containers) : IAsyncLifetime
{
    private const string Path = "/v1/public/addresses/1234AB/1";
    private const int Requests = 20;

    private readonly Dictionary<string, int> _hits = new(StringComparer.Ordinal);
    private WebApplication _working = null!;
    private WebApplication _breaking = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _working = await StandInAsync(async context =>
        {
            Count($"working {context.Request.Method}");
            await context.Response.WriteAsync("ok", Cancel);
        });
        // A replica that dies while it works on the request: the connection ends without an answer.
        _breaking = await StandInAsync(context =>
        {
            Count($"breaking {context.Request.Method}");
            context.Abort();
            return Task.CompletedTask;
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _working.DisposeAsync();
        await _breaking.DisposeAsync();
    }

    [Fact]
    public async Task A_replica_that_refuses_connections_costs_no_request_reads_or_writes()
    {
        await using var gateway = new TwoReplicasGatewayHost(containers, _working.Urls.First(), $"http://127.0.0.1:{FreeTcpPorts.Next()}");
        using var client = gateway.CreateClient();

        // Without the retry about half of these would be 503 (both replicas look alike to the load balancer).
        for (var i = 0; i < Requests; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri(Path, UriKind.Relative), Cancel)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(new Uri(Path, UriKind.Relative), new StringContent("{}"), Cancel)).StatusCode);
        }

        Assert.Equal((Requests, Requests), (Hits("working GET"), Hits("working POST")));
    }

    [Fact]
    public async Task A_read_whose_replica_broke_off_is_answered_by_the_other_and_a_write_is_not_sent_twice()
    {
        await using var gateway = new TwoReplicasGatewayHost(containers, _working.Urls.First(), _breaking.Urls.First());
        using var client = gateway.CreateClient();

        // Reads first, then writes: the round robin then sends each kind to both replicas.
        for (var i = 0; i < Requests; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri(Path, UriKind.Relative), Cancel)).StatusCode);
        }

        var writeStatuses = new List<HttpStatusCode>();
        for (var i = 0; i < Requests; i++)
        {
            writeStatuses.Add((await client.PostAsync(new Uri(Path, UriKind.Relative), new StringContent("{}"), Cancel)).StatusCode);
        }

        Assert.True(Hits("breaking GET") > 0, "the breaking replica got some of the reads");
        Assert.True(Hits("breaking POST") > 0, "the breaking replica got some of the writes");
        Assert.Equal(Requests, Hits("working GET"));
        // Every write went to exactly one replica: those that broke off answer 502 and were not repeated.
        Assert.Equal(Hits("breaking POST"), writeStatuses.Count(status => status == HttpStatusCode.BadGateway));
        Assert.Equal(Hits("working POST"), writeStatuses.Count(status => status == HttpStatusCode.OK));
        Assert.Equal(Requests, Hits("breaking POST") + Hits("working POST"));
    }

    private void Count(string key)
    {
        lock (_hits)
        {
            _hits[key] = _hits.GetValueOrDefault(key) + 1;
        }
    }

    private int Hits(string key)
    {
        lock (_hits)
        {
            return _hits.GetValueOrDefault(key);
        }
    }

    private static async Task<WebApplication> StandInAsync(RequestDelegate answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Map("/v1/public/addresses/{**rest}", answer);
        await app.StartAsync(Cancel);
        return app;
    }
}

/// <summary>
/// The gateway with two destinations for the residents' cluster, without active health checks (they would soon take
/// the failing one out, and the test is about the moments before), and no rate limit in the way.
/// </summary>
public sealed class TwoReplicasGatewayHost(PlatformContainers containers, string first, string second) : GatewayHost(containers)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Gateway:RateLimit:PermitLimit", "100000");
        builder.UseSetting("ReverseProxy:Clusters:residents:HealthCheck:Active:Enabled", "false");
        builder.UseSetting("ReverseProxy:Clusters:residents:Destinations:residents:Address", first);
        builder.UseSetting("ReverseProxy:Clusters:residents:Destinations:residents-second:Address", second);
        builder.UseSetting(string.Create(CultureInfo.InvariantCulture, $"ReverseProxy:Clusters:residents:LoadBalancingPolicy"), "RoundRobin");
    }
}
