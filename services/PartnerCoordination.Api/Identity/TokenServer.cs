using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using Participatie.BuildingBlocks.Auth;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Participatie.PartnerCoordination.Identity;

/// <summary>
/// The platform's OAuth 2.0 token server (OpenIddict), inside partner coordination because that service owns the
/// partners whose clients it authenticates. OpenIddict runs in degraded mode: clients and keys live in this
/// service's own tables (Dapper), not in OpenIddict's EF Core stores.
/// </summary>
public static class TokenServer
{
    /// <summary>The platform operator's client; its secret comes from configuration (an AppHost parameter).</summary>
    public const string PlatformOperatorClientId = "platform-operator";

    public const string TokenPath = "/connect/token";
    public const string KeySetPath = "/.well-known/jwks";
    public const string DiscoveryPath = "/.well-known/openid-configuration";

    public static WebApplicationBuilder AddTokenServer(this WebApplicationBuilder builder)
    {
        var issuer = builder.Configuration["Identity:Issuer"] ?? AuthenticationExtensions.DefaultIssuer;
        builder.Services.AddSingleton<TokenKeys>();
        builder.Services.Replace(ServiceDescriptor.Singleton<ISigningKeySource>(services => services.GetRequiredService<TokenKeys>()));
        builder.Services.AddSingleton<PartnerClients>();
        builder.Services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>, ConfigureTokenKeys>();

        builder.Services.AddOpenIddict().AddServer(server =>
        {
            server.SetIssuer(new Uri(issuer));
            server.SetTokenEndpointUris(TokenPath.TrimStart('/'));
            server.SetJsonWebKeySetEndpointUris(KeySetPath.TrimStart('/'));
            server.SetConfigurationEndpointUris(DiscoveryPath.TrimStart('/'));
            server.AllowClientCredentialsFlow();
            server.RegisterScopes(ParticipatieClaims.ApiScope, ParticipatieClaims.PlatformScope);
            // Services validate the access tokens themselves, so they are signed JWTs, not encrypted ones.
            server.DisableAccessTokenEncryption();
            server.SetAccessTokenLifetime(TimeSpan.FromHours(1));
            server.EnableDegradedMode();
            server.AddEventHandler<OpenIddictServerEvents.ValidateTokenRequestContext>(handler =>
                handler.UseScopedHandler<AuthenticateClient>());
            server.UseAspNetCore()
                .EnableTokenEndpointPassthrough()
                // TLS ends in front of the platform (and plain HTTP is fine on a developer's machine).
                .DisableTransportSecurityRequirement();
        });
        return builder;
    }

    public static IEndpointRouteBuilder MapTokenEndpoint(this IEndpointRouteBuilder routes)
    {
        routes.MapPost(TokenPath, IssueToken).ExcludeFromDescription().AllowAnonymous();
        return routes;
    }

    /// <summary>Reached only after <see cref="AuthenticateClient"/> accepted the client: say who it is and what it may do.</summary>
    private static async Task<IResult> IssueToken(HttpContext httpContext, PartnerClients clients, CancellationToken cancellationToken)
    {
        var request = httpContext.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenIddict server request is missing.");
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Subject, Claims.Role);
        identity.SetClaim(Claims.Subject, request.ClientId);
        identity.SetClaim(ParticipatieClaims.ClientId, request.ClientId);
        if (request.ClientId == PlatformOperatorClientId)
        {
            identity.SetScopes(ParticipatieClaims.PlatformScope);
        }
        else
        {
            var client = await clients.FindActiveAsync(request.ClientId!, cancellationToken)
                ?? throw new InvalidOperationException("The client vanished after it was authenticated.");
            identity.SetClaim(ParticipatieClaims.PartnerId, client.PartnerId.ToString());
            identity.SetClaim(ParticipatieClaims.PartnerKind, client.PartnerKind);
            // The gateway lets a browser on one of these origins use the token (CORS), and no other.
            identity.SetClaims(ParticipatieClaims.AllowedOrigin, [.. client.AllowedOrigins]);
            identity.SetScopes(ParticipatieClaims.ApiScope);
        }

        identity.SetAudiences(ParticipatieClaims.Audience);
        identity.SetDestinations(_ => [Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>Checks the client's id and secret (degraded mode leaves client authentication to us).</summary>
    private sealed class AuthenticateClient(PartnerClients clients, IConfiguration configuration)
        : IOpenIddictServerHandler<OpenIddictServerEvents.ValidateTokenRequestContext>
    {
        public async ValueTask HandleAsync(OpenIddictServerEvents.ValidateTokenRequestContext context)
        {
            if (!context.Request.IsClientCredentialsGrantType())
            {
                context.Reject(Errors.UnsupportedGrantType, "Only the client_credentials grant is supported here.");
                return;
            }

            var clientId = context.ClientId ?? string.Empty;
            var secret = context.Request.ClientSecret ?? string.Empty;
            if (!await IsValidAsync(clientId, secret))
            {
                context.Reject(Errors.InvalidClient, "The client credentials are not valid.");
            }
        }

        private async Task<bool> IsValidAsync(string clientId, string secret)
        {
            if (clientId == PlatformOperatorClientId)
            {
                var expected = configuration["Identity:PlatformOperatorSecret"];
                return !string.IsNullOrEmpty(expected) && ClientSecrets.AreEqual(secret, expected);
            }

            var client = await clients.FindActiveAsync(clientId, CancellationToken.None);
            return client is { Kind: ClientKinds.System, SecretHash: { } hash } && ClientSecrets.Verify(secret, hash);
        }
    }

    /// <summary>Hands OpenIddict the persisted keys once the database is migrated and the options are first needed.</summary>
    private sealed class ConfigureTokenKeys(TokenKeys keys) : IConfigureOptions<OpenIddictServerOptions>
    {
        public void Configure(OpenIddictServerOptions options)
        {
            options.SigningCredentials.Add(new SigningCredentials(keys.Get(TokenKeys.Signing), SecurityAlgorithms.RsaSha256));
            options.EncryptionCredentials.Add(new EncryptingCredentials(
                keys.Get(TokenKeys.Encryption), SecurityAlgorithms.RsaOAEP, SecurityAlgorithms.Aes256CbcHmacSha512));
        }
    }
}
