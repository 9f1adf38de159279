using System.Net;
using Participatie.BuildingBlocks.Http;
using Participatie.Testing;

namespace Participatie.Gateway.FunctionalTests;

/// <summary>
/// The gateway refuses a body over the route's limit itself, before forwarding: a service that refused it would close
/// the connection while the body was still being sent, and the caller would get a 502 instead of the 413.
/// </summary>
public sealed class RequestBodyLimitTests(GatewayHost gateway) : IClassFixture<GatewayHost>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_body_over_a_mebibyte_is_a_413_problem_naming_the_body_and_is_not_forwarded()
    {
        var partner = await gateway.TokenServer.RegisterPartnerAsync();
        using var client = partner.Authorize(gateway.CreateClient());

        using var tooLarge = await client.PostAsync("/v1/residents", Body(RequestLimits.DefaultMaxBodyBytes + 1), Cancel);
        var problem = await tooLarge.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "body");
        Assert.Contains($"{RequestLimits.DefaultMaxBodyBytes}", problem.GetProperty("errors").GetProperty("body")[0].GetString());

        // At the limit it is forwarded: the service behind it does not run here, so the gateway says it cannot reach it.
        using var atLimit = await client.PostAsync("/v1/residents", Body(RequestLimits.DefaultMaxBodyBytes), Cancel);
        await atLimit.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
    }

    [Fact]
    public async Task Bulk_registration_takes_bodies_up_to_the_residents_services_bulk_limit()
    {
        var partner = await gateway.TokenServer.RegisterPartnerAsync();
        using var client = partner.Authorize(gateway.CreateClient());

        using var atLimit = await client.PostAsync("/v1/residents/bulk", Body(RequestLimits.BulkMaxBodyBytes), Cancel);
        await atLimit.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);

        using var tooLarge = await client.PostAsync("/v1/residents/bulk", Body(RequestLimits.BulkMaxBodyBytes + 1), Cancel);
        await tooLarge.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "body");
    }

    private static ByteArrayContent Body(long bytes)
    {
        var content = new ByteArrayContent(new byte[bytes]);
        content.Headers.ContentType = new("text/csv");
        return content;
    }
}
