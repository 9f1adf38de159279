using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Npgsql;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using Participatie.BuildingBlocks.Auth;
using Participatie.PartnerCoordination.Domain;
using Participatie.PartnerCoordination.ResidentSignIn;
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
    public const string AuthorizePath = "/connect/authorize";
    public const string KeySetPath = "/.well-known/jwks";
    public const string DiscoveryPath = "/.well-known/openid-configuration";

    /// <summary>
    /// Accepted until 30 s past its expiry (the services' clock skew) and reused from a cache for at most
    /// <see cref="CachingTokenHandler.MaximumReuse"/>: 4.5 minutes keeps a disabled staff member's last token within 5.
    /// </summary>
    public static readonly TimeSpan StaffTokenLifetime = TimeSpan.FromMinutes(4.5);

    public static WebApplicationBuilder AddTokenServer(this WebApplicationBuilder builder)
    {
        var issuer = builder.Configuration["Identity:Issuer"] ?? AuthenticationExtensions.DefaultIssuer;
        builder.Services.AddSingleton<TokenKeyProtector>();
        builder.Services.AddOptions<TokenKeyOptions>().BindConfiguration(TokenKeyOptions.Section)
            .Validate(
                keys => keys.SigningPeriod > keys.PublishedAhead && keys.PublishedAhead > TimeSpan.Zero
                    && keys.KeptAfterReplacement > TimeSpan.Zero && keys.CheckEvery > TimeSpan.Zero && keys.CheckEvery < keys.PublishedAhead
                    && keys.KeptForRefreshTokens >= ResidentSignInRules.RefreshTokenLifetime,
                $"{TokenKeyOptions.Section}: SigningPeriod must be longer than PublishedAhead, CheckEvery shorter than it, " +
                $"and KeptForRefreshTokens at least a refresh token's lifetime ({ResidentSignInRules.RefreshTokenLifetime}).")
            .ValidateOnStart();
        builder.Services.AddSingleton<TokenKeys>();
        builder.Services.AddHostedService<TokenKeyRotation>();
        builder.Services.Replace(ServiceDescriptor.Singleton<ISigningKeySource>(services => services.GetRequiredService<TokenKeys>()));
        builder.Services.AddSingleton<PartnerClients>();
        // Read once at the start, so that a misconfigured service client stops the start rather than a later token request.
        builder.Services.AddSingleton(new ServiceClients(builder.Configuration));
        builder.Services.AddStaffSignIn();
        builder.Services.AddSingleton(new ResidentClients(builder.Configuration));
        builder.Services.AddSingleton(new ConsoleClients(builder.Configuration));
        builder.Services.AddSingleton<ResidentIdentifierSecret>();
        builder.Services.AddSingleton<ResidentSignInService>();
        builder.Services.AddResidentSignInPages();
        builder.Services.AddHostedService<ResidentSignInHousekeeping>();
        builder.Services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>, ConfigureTokenKeys>();
        // This service issues tokens on its TimeProvider, so it judges their lifetime on the same one.
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .PostConfigure<TimeProvider>((options, clock) => options.TokenValidationParameters.LifetimeValidator =
                (notBefore, expires, _, parameters) =>
                {
                    var now = clock.GetUtcNow().UtcDateTime;
                    return (notBefore is null || notBefore.Value - parameters.ClockSkew <= now)
                        && expires is { } expiry && expiry + parameters.ClockSkew > now;
                });

        builder.Services.AddOpenIddict().AddServer(server =>
        {
            server.SetIssuer(new Uri(issuer));
            server.SetTokenEndpointUris(TokenPath.TrimStart('/'));
            server.SetAuthorizationEndpointUris(AuthorizePath.TrimStart('/'));
            server.SetJsonWebKeySetEndpointUris(KeySetPath.TrimStart('/'));
            server.SetConfigurationEndpointUris(DiscoveryPath.TrimStart('/'));
            server.AllowClientCredentialsFlow();
            // Partner web clients: staff sign in, the client gets a code and redeems it with its PKCE verifier.
            server.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
            // Residents sign in with a one-time code (e-mail, SMS or letter) and keep their session with refresh tokens.
            server.AllowCustomFlow(ResidentGrants.SignInCode);
            server.AllowCustomFlow(ResidentGrants.LetterCode);
            server.AllowRefreshTokenFlow();
            server.RegisterScopes(
                ParticipatieClaims.ApiScope, ParticipatieClaims.PlatformScope, ParticipatieClaims.ContactDetailsScope,
                ParticipatieClaims.ResidentScope, Scopes.OfflineAccess);
            // Services validate the access tokens themselves, so they are signed JWTs, not encrypted ones.
            server.DisableAccessTokenEncryption();
            server.SetAccessTokenLifetime(TimeSpan.FromHours(1));
            server.EnableDegradedMode();
            server.AddEventHandler<OpenIddictServerEvents.ValidateTokenRequestContext>(handler =>
                handler.UseScopedHandler<AuthenticateClient>());
            // Before OpenIddict reads a refresh token: a partner's client is told the grant is not for it, whatever it sent.
            server.AddEventHandler<OpenIddictServerEvents.ValidateTokenRequestContext>(handler => handler
                .UseSingletonHandler<KeepResidentGrantsToResidentClients>()
                .SetOrder(OpenIddictServerHandlers.Exchange.ValidateAuthentication.Descriptor.Order - 1));
            server.AddEventHandler<OpenIddictServerEvents.ValidateAuthorizationRequestContext>(handler =>
                handler.UseScopedHandler<ValidateWebClient>());
            // Key rotation: every token is signed with the key that signs now, and the key set shows every key
            // that is published now (the next one ahead of time, the replaced one until its tokens expired), not
            // only the keys this instance started with. The server's own refresh tokens and codes are checked
            // against every key still stored, so that they outlive the rotation of the key that signed them.
            server.AddEventHandler<OpenIddictServerEvents.GenerateTokenContext>(handler => handler
                .UseSingletonHandler<SignWithCurrentKey>()
                .SetOrder(OpenIddictServerHandlers.Protection.AttachSecurityCredentials.Descriptor.Order + 1));
            server.AddEventHandler<OpenIddictServerEvents.ValidateTokenContext>(handler => handler
                .UseSingletonHandler<AcceptRetainedKeys>()
                .SetOrder(OpenIddictServerHandlers.Protection.ResolveTokenValidationParameters.Descriptor.Order + 1));
            server.AddEventHandler<OpenIddictServerEvents.HandleJsonWebKeySetRequestContext>(handler => handler
                .UseSingletonHandler<PublishRotatingKeys>()
                .SetOrder(OpenIddictServerHandlers.Discovery.AttachSigningKeys.Descriptor.Order + 1));
            server.UseAspNetCore()
                .EnableTokenEndpointPassthrough()
                .EnableAuthorizationEndpointPassthrough()
                // TLS ends in front of the platform (and plain HTTP is fine on a developer's machine).
                .DisableTransportSecurityRequirement();
        });
        return builder;
    }

    public static IEndpointRouteBuilder MapTokenEndpoint(this IEndpointRouteBuilder routes)
    {
        routes.MapPost(TokenPath, IssueToken).ExcludeFromDescription().AllowAnonymous();
        routes.MapMethods(AuthorizePath, [HttpMethods.Get, HttpMethods.Post], Authorize).ExcludeFromDescription().AllowAnonymous();
        // The sign-in pages can never be framed (clickjacking a password or code out of a person).
        var signInPages = routes.MapGroup(string.Empty);
        signInPages.AddEndpointFilter(async (context, next) =>
        {
            context.HttpContext.Response.Headers.ContentSecurityPolicy = "frame-ancestors 'none'";
            context.HttpContext.Response.Headers.XFrameOptions = "DENY";
            return await next(context);
        });
        signInPages.MapStaffSignIn();
        signInPages.MapResidentSignInPages();
        return routes;
    }

    /// <summary>
    /// Reached once OpenIddict accepted the web client and its redirect URI: a signed-in staff member gets a code for
    /// the client; anyone else is sent to the sign-in page first. A resident client's code is for a signed-in
    /// resident, who signs in on the resident pages.
    /// </summary>
    private static async Task<IResult> Authorize(
        HttpContext httpContext, PartnerUsers users, PartnerClients clients, ResidentClients residentClients, ConsoleClients consoleClients,
        NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        var request = httpContext.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenIddict server request is missing.");
        if (residentClients.Find(request.ClientId) is { } residentClient)
        {
            return await ResidentSignInPages.CurrentResidentAsync(httpContext, database, cancellationToken) is { } residentId
                ? Results.SignIn(ResidentTokens.Principal(residentId, residentClient), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)
                : ResidentSignInPages.Challenge(httpContext);
        }

        var user = await StaffSignIn.CurrentUserAsync(httpContext, users, cancellationToken);
        if (user is null)
        {
            return StaffSignIn.Challenge(httpContext);
        }

        // The platform's console serves every partner's staff: the partner is the staff member's own.
        if (consoleClients.Find(request.ClientId) is { } consoleClient)
        {
            return Results.SignIn(StaffPrincipal(user, consoleClient.ClientId, allowedOrigins: []), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        var client = (await clients.FindActiveAsync(request.ClientId!, cancellationToken))!;
        if (client.PartnerId != user.PartnerId)
        {
            return Results.Forbid(authenticationSchemes: [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }

        return Results.SignIn(StaffPrincipal(user, client.ClientId, client.AllowedOrigins), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static ClaimsPrincipal StaffPrincipal(PartnerUser user, string clientId, IReadOnlyList<string> allowedOrigins)
    {
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Subject, Claims.Role);
        identity.SetClaim(Claims.Subject, user.Id.ToString());
        identity.SetClaim(Claims.Name, user.Name);
        identity.SetClaim(ParticipatieClaims.ClientId, clientId);
        identity.SetClaim(ParticipatieClaims.PartnerId, user.PartnerId.ToString());
        identity.SetClaim(ParticipatieClaims.PartnerKind, user.PartnerKind);
        identity.SetClaim(StaffRoles.Claim, user.Role);
        identity.SetClaims(ParticipatieClaims.AllowedOrigin, [.. allowedOrigins]);
        identity.SetScopes(ParticipatieClaims.ApiScope);
        identity.SetAudiences(ParticipatieClaims.Audience);
        identity.SetDestinations(_ => [Destinations.AccessToken]);
        return new ClaimsPrincipal(identity);
    }

    /// <summary>Reached only after <see cref="AuthenticateClient"/> accepted the client: say who it is and what it may do.</summary>
    private static async Task<IResult> IssueToken(
        HttpContext httpContext, PartnerClients clients, PartnerUsers users, ServiceClients serviceClients, ResidentClients residentClients,
        ResidentSignInService residentSignIn, NpgsqlDataSource database, TimeProvider clock, CancellationToken cancellationToken)
    {
        var request = httpContext.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenIddict server request is missing.");
        if (ResidentGrants.IsResidentGrant(request.GrantType))
        {
            // AuthenticateClient admitted only resident clients to these grants.
            return await ResidentTokens.RedeemAsync(
                httpContext, request, residentClients.Find(request.ClientId)!, residentSignIn, clock, cancellationToken);
        }

        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            // OpenIddict checked the code (its client, its redirect URI and the PKCE verifier) or the refresh token; its claims carry over.
            var redeemed = await httpContext.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            if (redeemed.Principal is not { } principal)
            {
                return Results.Forbid(authenticationSchemes: [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
            }

            if (ResidentTokens.IsResident(principal))
            {
                return await ResidentTokens.ReissueAsync(principal, database, cancellationToken);
            }

            // Disabled between sign-in and redemption: no token.
            if (StaffRoles.StaffMemberId(principal) is not { } staffId || await users.FindAsync(staffId, cancellationToken) is null)
            {
                return Results.Forbid(authenticationSchemes: [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
            }

            // Services trust a validated token for up to 5 minutes without asking; a staff token lives no longer, so a
            // disabled staff member's last token ends within 5 minutes and they get no new one.
            principal.SetAccessTokenLifetime(StaffTokenLifetime);
            principal.SetDestinations(_ => [Destinations.AccessToken]);
            return Results.SignIn(principal, properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Subject, Claims.Role);
        identity.SetClaim(Claims.Subject, request.ClientId);
        identity.SetClaim(ParticipatieClaims.ClientId, request.ClientId);
        if (request.ClientId == PlatformOperatorClientId)
        {
            identity.SetScopes(ParticipatieClaims.PlatformScope);
        }
        else if (serviceClients.Find(request.ClientId!) is { } serviceClient)
        {
            // A platform service acts for no partner: no partner id, no origins, only its service scopes.
            identity.SetScopes(serviceClient.Scopes);
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
    private sealed class AuthenticateClient(
        PartnerClients clients, ServiceClients serviceClients, ResidentClients residentClients, ConsoleClients consoleClients, IConfiguration configuration)
        : IOpenIddictServerHandler<OpenIddictServerEvents.ValidateTokenRequestContext>
    {
        public async ValueTask HandleAsync(OpenIddictServerEvents.ValidateTokenRequestContext context)
        {
            var clientId = context.ClientId ?? string.Empty;
            if (residentClients.Find(clientId) is not null)
            {
                await AdmitResidentClientAsync(context);
                return;
            }

            if (context.Request.IsAuthorizationCodeGrantType())
            {
                // A web client is public: it proves itself with the PKCE verifier, which OpenIddict checks.
                var isConsole = consoleClients.Find(clientId) is not null;
                var webClient = isConsole ? null : await clients.FindActiveAsync(clientId, CancellationToken.None);
                if (!isConsole && webClient is not { Kind: ClientKinds.Web })
                {
                    context.Reject(Errors.InvalidClient, "The client is not an active web client.");
                }
                else if (!await clients.RedeemCodeOnceAsync(context.Request.Code ?? string.Empty, CancellationToken.None))
                {
                    context.Reject(Errors.InvalidGrant, "This authorization code was used before.");
                }

                return;
            }

            if (!context.Request.IsClientCredentialsGrantType())
            {
                context.Reject(Errors.UnsupportedGrantType, "Only the client_credentials and authorization_code grants are supported here.");
                return;
            }

            var secret = context.Request.ClientSecret ?? string.Empty;
            if (!await IsValidAsync(clientId, secret))
            {
                context.Reject(Errors.InvalidClient, "The client credentials are not valid.");
            }
        }

        /// <summary>
        /// A resident client is public (no secret): the code it redeems proves the resident, and PKCE protects its
        /// authorization codes.
        /// </summary>
        private async Task AdmitResidentClientAsync(OpenIddictServerEvents.ValidateTokenRequestContext context)
        {
            if (context.Request.IsAuthorizationCodeGrantType()
                && !await clients.RedeemCodeOnceAsync(context.Request.Code ?? string.Empty, CancellationToken.None))
            {
                context.Reject(Errors.InvalidGrant, "This authorization code was used before.");
            }
            else if (!context.Request.IsAuthorizationCodeGrantType() && !context.Request.IsRefreshTokenGrantType()
                && !ResidentGrants.IsResidentGrant(context.Request.GrantType))
            {
                context.Reject(Errors.UnauthorizedClient, "A resident client signs in with a code, an authorization code or a refresh token.");
            }
        }

        private async Task<bool> IsValidAsync(string clientId, string secret)
        {
            if (clientId == PlatformOperatorClientId)
            {
                var expected = configuration["Identity:PlatformOperatorSecret"];
                return !string.IsNullOrEmpty(expected) && ClientSecrets.AreEqual(secret, expected);
            }

            if (serviceClients.Find(clientId) is { } serviceClient)
            {
                return ClientSecrets.AreEqual(secret, serviceClient.Secret);
            }

            var client = await clients.FindActiveAsync(clientId, CancellationToken.None);
            return client is { Kind: ClientKinds.System, SecretHash: { } hash } && ClientSecrets.Verify(secret, hash);
        }
    }

    /// <summary>The resident grants and refresh tokens are for resident clients only; partners' clients keep the grants they had.</summary>
    private sealed class KeepResidentGrantsToResidentClients(ResidentClients residentClients)
        : IOpenIddictServerHandler<OpenIddictServerEvents.ValidateTokenRequestContext>
    {
        public ValueTask HandleAsync(OpenIddictServerEvents.ValidateTokenRequestContext context)
        {
            if ((ResidentGrants.IsResidentGrant(context.Request.GrantType) || context.Request.IsRefreshTokenGrantType())
                && residentClients.Find(context.ClientId) is null)
            {
                context.Reject(Errors.UnsupportedGrantType, "Only a resident client may use this grant.");
            }

            return ValueTask.CompletedTask;
        }
    }

    /// <summary>Degraded mode leaves it to us to check the web client and that its redirect URI is one it registered.</summary>
    private sealed class ValidateWebClient(PartnerClients clients, ResidentClients residentClients, ConsoleClients consoleClients)
        : IOpenIddictServerHandler<OpenIddictServerEvents.ValidateAuthorizationRequestContext>
    {
        public async ValueTask HandleAsync(OpenIddictServerEvents.ValidateAuthorizationRequestContext context)
        {
            if (residentClients.Find(context.ClientId) is { } residentClient)
            {
                if (context.RedirectUri is null || !residentClient.RedirectUris.Contains(context.RedirectUri, StringComparer.Ordinal))
                {
                    context.Reject(Errors.InvalidRequest, "The redirect_uri is not one the client registered.");
                }

                return;
            }

            if (context.Request.HasScope(ParticipatieClaims.ResidentScope))
            {
                // A partner's web client acts for staff, never for a resident.
                context.Reject(Errors.InvalidScope, "Only a resident client may ask for the resident scope.");
                return;
            }

            if (consoleClients.Find(context.ClientId) is { } consoleClient)
            {
                if (context.RedirectUri is null || !consoleClient.RedirectUris.Contains(context.RedirectUri, StringComparer.Ordinal))
                {
                    context.Reject(Errors.InvalidRequest, "The redirect_uri is not one the client registered.");
                }

                return;
            }

            var client = await clients.FindActiveAsync(context.ClientId ?? string.Empty, CancellationToken.None);
            if (client is not { Kind: ClientKinds.Web })
            {
                context.Reject(Errors.InvalidClient, "The client is not an active web client.");
                return;
            }

            if (context.RedirectUri is null || !client.RedirectUris.Contains(context.RedirectUri, StringComparer.Ordinal))
            {
                context.Reject(Errors.InvalidRequest, "The redirect_uri is not one the client registered.");
            }
        }
    }

    /// <summary>
    /// Hands OpenIddict the persisted keys once the database is migrated and the options are first needed: the
    /// published signing keys that can sign (a replaced key has only its public part; the tokens it signed are checked
    /// against <see cref="TokenKeys.RetainedSigningKeys"/>, see <see cref="AcceptRetainedKeys"/>).
    /// </summary>
    private sealed class ConfigureTokenKeys(TokenKeys keys) : IConfigureOptions<OpenIddictServerOptions>
    {
        public void Configure(OpenIddictServerOptions options)
        {
            foreach (var key in keys.PublishedKeysThatCanSign())
            {
                options.SigningCredentials.Add(new SigningCredentials(key, SecurityAlgorithms.RsaSha256));
            }

            options.EncryptionCredentials.Add(new EncryptingCredentials(
                keys.Get(TokenKeys.Encryption), SecurityAlgorithms.RsaOAEP, SecurityAlgorithms.Aes256CbcHmacSha512));
        }
    }

    /// <summary>
    /// Every token (access token, refresh token, authorization code) is signed with the key that signs now, whatever
    /// key this instance started with: otherwise an instance that runs for months keeps signing refresh tokens with a
    /// key that was deleted long ago, and they fail the moment another instance reads them.
    /// </summary>
    private sealed class SignWithCurrentKey(TokenKeys keys) : IOpenIddictServerHandler<OpenIddictServerEvents.GenerateTokenContext>
    {
        public ValueTask HandleAsync(OpenIddictServerEvents.GenerateTokenContext context)
        {
            if (context.SigningCredentials is not null)
            {
                context.SigningCredentials = new SigningCredentials(keys.CurrentSigningKey(), SecurityAlgorithms.RsaSha256);
            }

            return ValueTask.CompletedTask;
        }
    }

    /// <summary>
    /// The token server reads back only its own refresh tokens and authorization codes: it accepts them when signed by
    /// any key still stored (see <see cref="TokenKeyOptions.KeptForRefreshTokens"/>), not only the keys published, or
    /// the ones this instance started with. The services accept access tokens only from the published key set.
    /// </summary>
    private sealed class AcceptRetainedKeys(TokenKeys keys) : IOpenIddictServerHandler<OpenIddictServerEvents.ValidateTokenContext>
    {
        public ValueTask HandleAsync(OpenIddictServerEvents.ValidateTokenContext context)
        {
            if (context.TokenValidationParameters is { } parameters)
            {
                parameters.IssuerSigningKeys = keys.RetainedSigningKeys();
            }

            return ValueTask.CompletedTask;
        }
    }

    /// <summary>The key set lists the signing keys published now: public parts only, RS256 for signatures.</summary>
    private sealed class PublishRotatingKeys(TokenKeys keys) : IOpenIddictServerHandler<OpenIddictServerEvents.HandleJsonWebKeySetRequestContext>
    {
        public ValueTask HandleAsync(OpenIddictServerEvents.HandleJsonWebKeySetRequestContext context)
        {
            context.Keys.Clear();
            foreach (var key in keys.PublishedSigningKeys())
            {
                var parameters = key.Rsa.ExportParameters(includePrivateParameters: false);
                context.Keys.Add(new JsonWebKey
                {
                    Kty = JsonWebAlgorithmsKeyTypes.RSA,
                    Use = JsonWebKeyUseNames.Sig,
                    Alg = SecurityAlgorithms.RsaSha256,
                    Kid = key.KeyId,
                    N = Base64UrlEncoder.Encode(parameters.Modulus),
                    E = Base64UrlEncoder.Encode(parameters.Exponent),
                });
            }

            return ValueTask.CompletedTask;
        }
    }
}
