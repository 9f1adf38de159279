using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Participatie.ResidentPortal.Gateway;

namespace Participatie.UnitTests;

/// <summary>
/// The portal's HttpClients under the service defaults' standard resilience pipeline: a GET that meets a 503 is tried
/// again, a POST, PUT or DELETE reaches the API once (a reaction stored twice, a sign-in code used up by the first try).
/// </summary>
public sealed class ResidentPortalRetryTests
{
    [Theory]
    [InlineData("POST", 1)]
    [InlineData("PUT", 1)]
    [InlineData("DELETE", 1)]
    [InlineData("GET", 4)]
    public async Task An_unsafe_request_is_sent_once_and_a_safe_one_is_retried(string method, int expectedAttempts)
    {
        var api = new AlwaysUnavailable();
        var services = new ServiceCollection();
        services.AddLogging();
        // As AddServiceDefaults does for every client, then the portal's own rule.
        services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());
        services.DisableRetryOfUnsafeMethods();
        // No waiting between the tries: the test counts them, it does not time them.
        services.Configure<HttpStandardResilienceOptions>(UnsafeRequestsOnce.StandardPipeline, options =>
        {
            options.Retry.Delay = TimeSpan.Zero;
            options.Retry.UseJitter = false;
        });
        services.AddHttpClient<PortalApi>(client => client.BaseAddress = new Uri("http://gateway.test"))
            .ConfigurePrimaryHttpMessageHandler(() => api);
        await using var provider = services.BuildServiceProvider();
        var http = provider.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(PortalApi));

        using var request = new HttpRequestMessage(new HttpMethod(method), "/v1/me/reactions");
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(expectedAttempts, api.Attempts);
    }

    private sealed class AlwaysUnavailable : HttpMessageHandler
    {
        private int attempts;

        public int Attempts => attempts;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref attempts);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
        }
    }
}
