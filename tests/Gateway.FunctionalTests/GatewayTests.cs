using System.Net;
using Participatie.Testing;

namespace Participatie.Gateway.FunctionalTests;

public sealed class GatewayTests(GatewayHost gateway) : IClassFixture<GatewayHost>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_request_without_a_token_is_a_401_problem()
    {
        using var client = gateway.CreateClient();

        var response = await client.GetAsync("/v1/consultations", Cancel);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_request_with_a_bad_token_is_a_401_problem()
    {
        using var client = gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.");

        var response = await client.GetAsync("/v1/residents", Cancel);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("/residents/openapi.json")]
    [InlineData("/connect/token")]
    [InlineData("/.well-known/jwks")]
    [InlineData("/health")]
    public async Task Documents_tokens_and_health_need_no_token(string path)
    {
        using var client = gateway.CreateClient();

        var response = await client.GetAsync(path, Cancel);

        // The service behind it does not run here; what matters is that the gateway let the request through.
        Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.NotEqual(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task The_SMS_providers_delivery_reports_pass_without_a_token_and_the_rest_of_notifications_does_not()
    {
        using var client = gateway.CreateClient();
        using var report = new StringContent("""{"id":"SM1","status":"delivered"}""", System.Text.Encoding.UTF8, "application/json");

        // A provider has no platform token: the notifications service checks the report's signature instead.
        var response = await client.PostAsync("/v1/notifications/delivery-reports/sms", report, Cancel);
        Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.NotEqual(HttpStatusCode.Forbidden, response.StatusCode);

        var batches = await client.GetAsync("/v1/notifications/letter-batches", Cancel);
        await batches.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_partner_over_its_limit_gets_429_with_Retry_After_and_other_partners_do_not()
    {
        var busy = await gateway.TokenServer.RegisterPartnerAsync("municipality");
        var quiet = await gateway.TokenServer.RegisterPartnerAsync("social-institution");
        using var busyClient = busy.Authorize(gateway.CreateClient());
        using var quietClient = quiet.Authorize(gateway.CreateClient());

        for (var i = 0; i < GatewayHost.PermitLimit; i++)
        {
            var allowed = await busyClient.GetAsync("/v1/consultations", Cancel);
            Assert.NotEqual(HttpStatusCode.TooManyRequests, allowed.StatusCode);
            Assert.NotEqual(HttpStatusCode.Unauthorized, allowed.StatusCode);
        }

        var limited = await busyClient.GetAsync("/v1/consultations", Cancel);
        await limited.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After tells when to come back");

        var other = await quietClient.GetAsync("/v1/consultations", Cancel);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, other.StatusCode);
    }

    [Fact]
    public async Task A_browser_may_use_a_token_only_from_an_origin_its_partner_registered()
    {
        var partner = await gateway.TokenServer.RegisterPartnerAsync("municipality");
        var token = await gateway.TokenServer.RegisterClientWithOriginsAsync(partner, "https://app.gemeente.example");
        using var client = gateway.CreateClient();

        // The preflight carries no token: it is answered, and the actual request decides.
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/v1/consultations");
        preflight.Headers.Add("Origin", "https://app.gemeente.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        var preflightResponse = await client.SendAsync(preflight, Cancel);
        Assert.Equal(HttpStatusCode.NoContent, preflightResponse.StatusCode);
        Assert.Equal("https://app.gemeente.example", preflightResponse.Headers.GetValues("Access-Control-Allow-Origin").Single());

        var allowed = await SendFromOriginAsync(client, token, "https://app.gemeente.example");
        Assert.NotEqual(HttpStatusCode.Forbidden, allowed.StatusCode);
        Assert.Equal("https://app.gemeente.example", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());

        var elsewhere = await SendFromOriginAsync(client, token, "https://evil.example");
        await elsewhere.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.False(elsewhere.Headers.Contains("Access-Control-Allow-Origin"));

        // A client registered without origins is for servers: no browser may use its token.
        var serverOnly = await SendFromOriginAsync(client, partner.AccessToken, "https://app.gemeente.example");
        await serverOnly.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    private static async Task<HttpResponseMessage> SendFromOriginAsync(HttpClient client, string token, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/consultations");
        request.Headers.Authorization = new("Bearer", token);
        request.Headers.Add("Origin", origin);
        return await client.SendAsync(request, Cancel);
    }

    [Fact]
    public async Task Unknown_routes_are_a_problem_404()
    {
        var partner = await gateway.TokenServer.RegisterPartnerAsync("housing-corporation");
        using var client = partner.Authorize(gateway.CreateClient());

        var response = await client.GetAsync("/v2/whatever", Cancel);

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Internal_endpoints_are_not_routed_even_for_the_service_token_that_may_use_them()
    {
        var partner = await gateway.TokenServer.RegisterPartnerAsync("housing-corporation");
        var path = $"/internal/v1/residents/{Guid.NewGuid()}/contact-details/email?notificationId={Guid.NewGuid()}";

        using var serviceClient = TokenServer.Authorized(gateway.CreateClient(), await gateway.TokenServer.GetNotificationsTokenAsync());
        await (await serviceClient.GetAsync(path, Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
        using var partnerClient = partner.Authorize(gateway.CreateClient());
        await (await partnerClient.GetAsync(path, Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("/v1/trajectories")]
    [InlineData("/v1/consultations")]
    [InlineData("/v1/residents")]
    [InlineData("/v1/notifications")]
    [InlineData("/v1/partners")]
    public async Task A_resident_token_is_refused_on_partner_routes(string path)
    {
        using var resident = TokenServer.Authorized(gateway.CreateClient(), gateway.TokenServer.IssueResidentToken(Guid.NewGuid()));

        await (await resident.GetAsync(path, Cancel)).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("/v1/me/preferences")]
    [InlineData("/v1/me/reactions")]
    [InlineData("/v1/me/notifications")]
    public async Task A_resident_token_passes_to_the_residents_own_routes_and_a_partner_token_does_not(string path)
    {
        using var resident = TokenServer.Authorized(gateway.CreateClient(), gateway.TokenServer.IssueResidentToken(Guid.NewGuid()));
        var partner = await gateway.TokenServer.RegisterPartnerAsync("housing-corporation");
        using var partnerClient = partner.Authorize(gateway.CreateClient());

        var response = await resident.GetAsync(path, Cancel);

        // The service behind it does not run here; what matters is that the gateway let the request through.
        Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.NotEqual(HttpStatusCode.Forbidden, response.StatusCode);
        await (await partnerClient.GetAsync(path, Cancel)).AssertProblemAsync(HttpStatusCode.Forbidden);
    }
}
