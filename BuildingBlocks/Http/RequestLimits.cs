using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Metadata;

namespace Participatie.BuildingBlocks.Http;

/// <summary>
/// Bounded input: a request body larger than <see cref="DefaultMaxBodyBytes"/> is cut off by Kestrel and answered 413
/// problem+json (by <see cref="BadRequestExceptionHandler"/>, naming <c>body</c>), so that nobody can make a service
/// buffer megabytes of JSON. Endpoints that take large bodies by design (bulk registration) declare their own limit.
/// </summary>
public static class RequestLimits
{
    /// <summary>Ample for every single-item request (the longest text fields are a few thousand characters).</summary>
    public const long DefaultMaxBodyBytes = 1024 * 1024;

    /// <summary>10,000 residents as JSON or CSV, with room to spare.</summary>
    public const long BulkMaxBodyBytes = 16 * 1024 * 1024;

    internal static WebApplicationBuilder AddRequestLimits(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = DefaultMaxBodyBytes);
        return builder;
    }

    /// <summary>A larger body limit for this endpoint (routing applies it before the body is read).</summary>
    public static TBuilder WithMaxRequestBodySize<TBuilder>(this TBuilder endpoint, long bytes)
        where TBuilder : IEndpointConventionBuilder =>
        endpoint.WithMetadata(new BodySizeLimit(bytes));

    private sealed class BodySizeLimit(long bytes) : IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize { get; } = bytes;
    }
}
