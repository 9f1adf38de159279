using Microsoft.Extensions.Http.Resilience;

namespace Participatie.ResidentPortal.Gateway;

/// <summary>
/// A form post reaches the API once. The service defaults give every HttpClient the standard resilience pipeline,
/// which retries any method: a reaction would be stored twice, and a sign-in code used up by the first try makes the
/// retry answer "wrong code". Safe methods (GET, HEAD) are still retried.
/// </summary>
public static class UnsafeRequestsOnce
{
    /// <summary>The options name of the pipeline that ConfigureHttpClientDefaults' AddStandardResilienceHandler adds.</summary>
    public const string StandardPipeline = "-standard";

    public static IServiceCollection DisableRetryOfUnsafeMethods(this IServiceCollection services) =>
        services.Configure<HttpStandardResilienceOptions>(StandardPipeline, options => options.Retry.DisableForUnsafeHttpMethods());
}
