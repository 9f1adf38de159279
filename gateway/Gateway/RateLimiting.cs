using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Participatie.BuildingBlocks.Auth;

namespace Participatie.Gateway;

public sealed class PartnerRateLimitOptions
{
    /// <summary>Requests one partner may make per window.</summary>
    public int PermitLimit { get; set; } = 300;

    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(10);
}

public static class RateLimiting
{
    public const string PerPartnerPolicy = "per-partner";

    /// <summary>How often a partitioned rate limiter replenishes its windows (.NET's fixed 100 ms timer).</summary>
    private static readonly TimeSpan ReplenishmentTick = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// A fixed window per partner (per client address for anonymous calls such as token requests), so that one
    /// partner's burst cannot starve the others. Over the limit: 429 problem+json with Retry-After.
    /// </summary>
    public static IServiceCollection AddPartnerRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        var limits = configuration.GetSection("Gateway:RateLimit").Get<PartnerRateLimitOptions>() ?? new PartnerRateLimitOptions();
        services.AddRateLimiter(options =>
        {
            options.AddPolicy(PerPartnerPolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                PartitionKey(context),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.PermitLimit, Window = limits.Window, QueueLimit = 0 }));
            options.OnRejected = async (rejected, cancellationToken) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : limits.Window;
                // The partitioned limiter hands out the next window on a timer tick once the window has passed:
                // telling the caller to wait one tick longer means that waiting as told is always enough.
                var seconds = Math.Max(1, (int)Math.Ceiling((retryAfter + ReplenishmentTick).TotalSeconds));
                var response = rejected.HttpContext.Response;
                response.StatusCode = StatusCodes.Status429TooManyRequests;
                response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await rejected.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = rejected.HttpContext,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests.",
                        Detail = $"Your organisation may make {limits.PermitLimit} requests per {limits.Window.TotalSeconds:0} seconds. Try again in {seconds} s.",
                        Type = "https://www.rfc-editor.org/rfc/rfc6585#section-4",
                    },
                });
            };
        });
        return services;
    }

    private static string PartitionKey(HttpContext context) =>
        context.User.GetPartnerId() is { } partnerId ? $"partner:{partnerId}"
        // Each resident has a window of their own: a portal's residents must not share one client's window.
        : context.User.GetResidentId() is { } residentId ? $"resident:{residentId}"
        : context.User.GetClientId() is { } clientId ? $"client:{clientId}"
        : $"address:{context.Connection.RemoteIpAddress}";
}
