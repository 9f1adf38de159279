using System.Diagnostics;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Participatie.BuildingBlocks.Auth;

namespace Participatie.BuildingBlocks.Http;

/// <summary>
/// The Dutch API Design Rules as far as every service shares them: problem+json errors (RFC 9457), the
/// <c>API-Version</c> header, and the OpenAPI document at <c>/openapi.json</c>.
/// </summary>
public static class ApiConventions
{
    public const string ApiVersion = "1.0.0";
    public const string ApiVersionHeader = "API-Version";
    public const string OpenApiPath = "/openapi.json";

    public static IServiceCollection AddApiConventions(this IServiceCollection services, string title)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
            context.ProblemDetails.Extensions["traceId"] = Activity.Current?.TraceId.ToString() ?? context.HttpContext.TraceIdentifier;
            // Kestrel's body limit (RequestLimits) ends the request before any handler: say which part was too large.
            if (context.ProblemDetails.Status == StatusCodes.Status413PayloadTooLarge && !context.ProblemDetails.Extensions.ContainsKey("errors"))
            {
                var limit = context.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
                context.ProblemDetails.Title = "The request body is too large.";
                context.ProblemDetails.Extensions["errors"] = new Dictionary<string, string[]>
                {
                    ["body"] = [limit is { } bytes ? $"The body may be at most {bytes} bytes." : "The body is larger than this endpoint accepts."],
                };
            }

            // A body that is not JSON ends before binding, with an empty 415.
            if (context.ProblemDetails.Status == StatusCodes.Status415UnsupportedMediaType && !context.ProblemDetails.Extensions.ContainsKey("errors"))
            {
                context.ProblemDetails.Extensions["errors"] = new Dictionary<string, string[]>
                {
                    ["body"] = ["The body must be JSON: send it with 'Content-Type: application/json'."],
                };
            }
        });
        // Binding failures become exceptions in every environment, so that BadRequestExceptionHandler can name the field.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        // A misspelt field would otherwise be dropped without a word and the request succeed without it.
        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow);
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.AddExceptionHandler<GoneMeanwhileExceptionHandler>();
        // A database that is down or restarting is a 503 the client can retry, never a 500.
        services.AddExceptionHandler<DatabaseUnavailableExceptionHandler>();
        services.AddOpenApi(options => options.DescribeEveryPathParameter().DescribeForIntegrators().AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = title,
                Version = ApiVersion,
                Description = "Part of Participatie, the platform for resident participation in neighbourhood renewal.",
                Contact = new OpenApiContact
                {
                    Name = "Participatie",
                    Url = new Uri("https://participatie.example.org"),
                    Email = "api@participatie.example.org",
                },
            };
            DescribeVersionInServerAndHeader(document);
            return Task.CompletedTask;
        }));
        return services;
    }

    public static WebApplication UseApiConventions(this WebApplication app)
    {
        app.UseApiVersionHeader();
        app.UseExceptionHandler();
        // Empty 404/405 responses (an unknown route, say) get a problem+json body too.
        app.UseStatusCodePages();
        app.MapOpenApi(OpenApiPath);
        return app;
    }

    /// <summary>
    /// Every response carries <c>API-Version</c>. Set when the response starts, so that the answers of the exception
    /// handler (which clears the headers it finds) and of a proxy carry it too; use it before the exception handler.
    /// </summary>
    public static IApplicationBuilder UseApiVersionHeader(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            context.Response.OnStarting(SetApiVersion, context.Response);
            return next(context);
        });

    private static Task SetApiVersion(object state)
    {
        ((HttpResponse)state).Headers[ApiVersionHeader] = ApiVersion;
        return Task.CompletedTask;
    }

    /// <summary>
    /// The API Design Rules want the major version in the server URL and the full version in a response header: the
    /// routes are /v1/..., so the document names "/v1" as its (relative) server and lists the paths below it, and every
    /// success declares the API-Version header that the middleware above sends.
    /// </summary>
    private static void DescribeVersionInServerAndHeader(OpenApiDocument document)
    {
        const string prefix = "/v1";
        var paths = new OpenApiPaths();
        foreach (var (path, item) in document.Paths)
        {
            paths[path.StartsWith(prefix + "/", StringComparison.Ordinal) ? path[prefix.Length..] : path] = item;
        }

        document.Paths = paths;
        document.Servers = [new OpenApiServer { Url = prefix }];
        var header = new OpenApiHeader
        {
            Description = "The full version of the API that answered.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        };
        foreach (var response in paths.Values
            .SelectMany(item => item.Operations?.Values.AsEnumerable() ?? [])
            .SelectMany(operation => operation.Responses?.Values.AsEnumerable() ?? [])
            .OfType<OpenApiResponse>())
        {
            response.Headers ??= new Dictionary<string, IOpenApiHeader>(StringComparer.Ordinal);
            response.Headers[ApiVersionHeader] = header;
        }
    }

    /// <summary>
    /// Endpoints of a versioned API: only for authenticated callers (by default partners), validated input, and
    /// problem+json for every error.
    /// </summary>
    public static RouteGroupBuilder MapApiGroup(
        this IEndpointRouteBuilder routes, string prefix, string tag, string policy = AuthenticationExtensions.PartnerPolicy) =>
        routes.MapGroup(prefix)
            .WithTags(tag)
            .RequireAuthorization(policy)
            .AddEndpointFilter<ValidationFilter>()
            .ProducesValidationProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status500InternalServerError);
}
