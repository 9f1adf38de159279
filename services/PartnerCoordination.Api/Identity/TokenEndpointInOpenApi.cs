using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Participatie.BuildingBlocks.Http;
using Participatie.PartnerCoordination.ResidentSignIn;

namespace Participatie.PartnerCoordination.Identity;

/// <summary>
/// The token endpoint in the OpenAPI document: OpenIddict serves it, not a minimal API, so the document would not
/// name it, and an integrator needs it first. It lives at /connect/token, outside the /v1 server, so its operation
/// names its own server.
/// </summary>
internal static class TokenEndpointInOpenApi
{
    public static IServiceCollection DescribeTokenEndpoint(this IServiceCollection services) =>
        services.Configure<OpenApiOptions>("v1", options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Paths ??= [];
            document.Paths[TokenServer.TokenPath] = TokenPathItem();
            return Task.CompletedTask;
        }));

    private static OpenApiPathItem TokenPathItem()
    {
        string[] grantTypes = ["client_credentials", "authorization_code", "refresh_token", ResidentGrants.SignInCode, ResidentGrants.LetterCode];
        var text = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 2000 };
        var form = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Required = new HashSet<string>(StringComparer.Ordinal) { "grant_type" },
            Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
            {
                ["grant_type"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Enum = [.. grantTypes.Select(grantType => (JsonNode)JsonValue.Create(grantType))],
                    Description = "client_credentials for a partner's system; authorization_code (with PKCE) for a partner's web client.",
                },
                ["client_id"] = text,
                ["client_secret"] = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 2000, Description = "Only for a system client." },
                ["code"] = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 2000, Description = "The code from /connect/authorize." },
                ["redirect_uri"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri", MaxLength = 2000 },
                ["code_verifier"] = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 43, MaxLength = 128, Description = "The PKCE verifier (S256)." },
                ["refresh_token"] = text,
            },
        };
        var tokens = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Required = new HashSet<string>(StringComparer.Ordinal) { "access_token", "token_type", "expires_in" },
            Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
            {
                ["access_token"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "An RS256-signed JWT; send it as 'Authorization: Bearer ...'." },
                ["token_type"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("Bearer")] },
                ["expires_in"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Description = "Seconds until the token expires." },
                ["refresh_token"] = new OpenApiSchema { Type = JsonSchemaType.String },
            },
        };
        var operation = new OpenApiOperation
        {
            OperationId = "RequestToken",
            Tags = new HashSet<OpenApiTagReference> { new("Tokens") },
            Summary = "Gets an access token (OAuth 2.0, RFC 6749).",
            Description = "A partner's system sends its client id and secret (client credentials); a partner's web client redeems "
                + "the code it got at /connect/authorize with its PKCE verifier (authorization code). Errors are OAuth 2.0 errors "
                + "(RFC 6749 section 5.2), not problem+json.",
            Security = [],
            // On the operation, not the path item: clients and tests that walk a path item's keys expect operations only.
            Servers = [new OpenApiServer { Url = "/", Description = "The token server is not versioned: it follows OAuth 2.0." }],
            RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
                {
                    ["application/x-www-form-urlencoded"] = new OpenApiMediaType
                    {
                        Schema = form,
                        Example = new JsonObject
                        {
                            ["grant_type"] = "client_credentials",
                            ["client_id"] = "woonstichting-zaaksysteem",
                            ["client_secret"] = "s3cr3t-van-het-zaaksysteem",
                        },
                    },
                },
            },
            Responses = new OpenApiResponses
            {
                ["200"] = new OpenApiResponse
                {
                    Description = "The access token.",
                    Headers = new Dictionary<string, IOpenApiHeader>(StringComparer.Ordinal)
                    {
                        [ApiConventions.ApiVersionHeader] = new OpenApiHeader
                        {
                            Description = "The full version of the API that answered.",
                            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                        },
                    },
                    Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
                    {
                        ["application/json"] = new OpenApiMediaType
                        {
                            Schema = tokens,
                            Example = new JsonObject
                            {
                                ["access_token"] = "eyJhbGciOiJSUzI1NiIsInR5cCI6ImF0K2p3dCJ9.eyJzdWIiOiJ3b29uc3RpY2h0aW5nIn0.c2lnbmF0dXVy",
                                ["token_type"] = "Bearer",
                                ["expires_in"] = 3600,
                            },
                        },
                    },
                },
                ["400"] = new OpenApiResponse { Description = "An OAuth 2.0 error: invalid_request, invalid_grant or unsupported_grant_type." },
                ["401"] = new OpenApiResponse { Description = "An OAuth 2.0 error: invalid_client (unknown client or wrong secret)." },
            },
        };
        return new OpenApiPathItem
        {
            Operations = new Dictionary<HttpMethod, OpenApiOperation> { [HttpMethod.Post] = operation },
        };
    }
}
