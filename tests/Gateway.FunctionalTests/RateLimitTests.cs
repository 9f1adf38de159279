using System.Net;
using Participatie.Testing;

namespace Participatie.Gateway.FunctionalTests;

/// <summary>What a rate-limited caller gets: a 429 problem with Retry-After, and in again after waiting that long.</summary>
public sealed class RateLimitRecoveryTests(ShortWindowGatewayHost gateway) : IClassFixture<ShortWindowGatewayHost>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_partner_that_waits_as_long_as_Retry_After_says_is_let_in_again()
    {
        var partner = await gateway.TokenServer.RegisterPartnerAsync("municipality");
        using var client = partner.Authorize(gateway.CreateClient());

        // The window may turn during the burst; within three windows' worth of requests the limit is met.
        var limited = await RateLimits.SendUntilLimitedAsync(() => client.GetAsync("/v1/consultations", Cancel), 3 * GatewayHost.PermitLimit + 1);
        await limited.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        var retryAfter = limited.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        // At most the window and one replenishment tick, rounded up to whole seconds.
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), gateway.Window + TimeSpan.FromSeconds(1));

        await Task.Delay(retryAfter.Value, Cancel);

        // Waiting exactly as long as Retry-After says is enough: the very next request is let in.
        using var response = await client.GetAsync("/v1/consultations", Cancel);
        var again = response.StatusCode;
        Assert.NotEqual(HttpStatusCode.TooManyRequests, again);
        Assert.NotEqual(HttpStatusCode.Unauthorized, again);
    }
}

/// <summary>The budget is the partner's, not the client's: two clients of one partner share it.</summary>
public sealed class RateLimitPerPartnerTests(GatewayHost gateway) : IClassFixture<GatewayHost>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_partners_two_clients_share_one_budget_and_another_partner_has_its_own()
    {
        var partner = await gateway.TokenServer.RegisterPartnerAsync("housing-corporation");
        var secondToken = await gateway.TokenServer.RegisterClientWithOriginsAsync(partner);
        var other = await gateway.TokenServer.RegisterPartnerAsync("social-institution");
        using var first = partner.Authorize(gateway.CreateClient());
        using var second = TokenServer.Authorized(gateway.CreateClient(), secondToken);
        using var otherClient = other.Authorize(gateway.CreateClient());

        // The first client uses all but one of the budget, the second the last one.
        for (var i = 0; i < GatewayHost.PermitLimit - 1; i++)
        {
            using var allowed = await first.GetAsync("/v1/consultations", Cancel);
            Assert.True(allowed.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.Unauthorized), $"Request {i + 1}: {(int)allowed.StatusCode}");
        }

        using (var last = await second.GetAsync("/v1/consultations", Cancel))
        {
            Assert.True(last.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.Unauthorized), $"The second client's first request: {(int)last.StatusCode}");
        }

        // Now both clients are over the partner's limit, though the second made one request only.
        await (await second.GetAsync("/v1/consultations", Cancel)).AssertProblemAsync(HttpStatusCode.TooManyRequests);
        await (await first.GetAsync("/v1/consultations", Cancel)).AssertProblemAsync(HttpStatusCode.TooManyRequests);

        using var fromOther = await otherClient.GetAsync("/v1/consultations", Cancel);
        Assert.True(fromOther.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.Unauthorized), $"Another partner: {(int)fromOther.StatusCode}");
    }
}

/// <summary>
/// Calls without a token to what needs none (the API documents, token requests) are limited per client address. A
/// gateway of its own: no other test spends this address's budget.
/// </summary>
public sealed class RateLimitAnonymousTests(GatewayHost gateway) : IClassFixture<GatewayHost>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Anonymous_calls_share_the_limit_of_their_address_and_a_partner_keeps_its_own()
    {
        var partner = await gateway.TokenServer.RegisterPartnerAsync("municipality");
        using var anonymous = gateway.CreateClient();
        using var withToken = partner.Authorize(gateway.CreateClient());

        for (var i = 0; i < GatewayHost.PermitLimit; i++)
        {
            // The service behind it does not run here (a 5xx): what counts is that the gateway let it through.
            using var allowed = i % 2 == 0
                ? await anonymous.GetAsync("/residents/openapi.json", Cancel)
                : await anonymous.PostAsync("/connect/token", new FormUrlEncodedContent([new("grant_type", "client_credentials")]), Cancel);
            Assert.True(allowed.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.Unauthorized), $"Anonymous request {i + 1}: {(int)allowed.StatusCode}");
        }

        var limited = await anonymous.PostAsync("/connect/token", new FormUrlEncodedContent([new("grant_type", "client_credentials")]), Cancel);
        await limited.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After tells when to come back");
        await (await anonymous.GetAsync("/consultations/openapi.json", Cancel)).AssertProblemAsync(HttpStatusCode.TooManyRequests);

        using var partnerCall = await withToken.GetAsync("/v1/consultations", Cancel);
        Assert.True(partnerCall.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.Unauthorized), $"The partner: {(int)partnerCall.StatusCode}");
    }
}

internal static class RateLimits
{
    /// <summary>Sends until the gateway answers 429 and returns that answer; fails when it never does.</summary>
    public static async Task<HttpResponseMessage> SendUntilLimitedAsync(Func<Task<HttpResponseMessage>> send, int atMost)
    {
        for (var i = 0; i < atMost; i++)
        {
            var response = await send();
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                return response;
            }

            Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
            response.Dispose();
        }

        Assert.Fail($"{atMost} requests and no 429.");
        return null!;
    }
}
