using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Participatie.BuildingBlocks.Auth;

public static class AuthenticationExtensions
{
    /// <summary>A caller acting for a partner organisation (a token with the api scope and a partner id).</summary>
    public const string PartnerPolicy = "partner";

    /// <summary>The platform operator, who registers partners and their clients.</summary>
    public const string PlatformPolicy = "platform";

    /// <summary>A partner or the platform operator.</summary>
    public const string CallerPolicy = "caller";

    /// <summary>A resident with their own token (scope resident): their own API under /v1/me, nothing else.</summary>
    public const string ResidentPolicy = "resident";

    /// <summary>A platform service asking for a resident's contact address at the moment of delivery.</summary>
    public const string ContactDetailsPolicy = "contact-details";

    /// <summary>
    /// The named HttpClient that reaches the token server (its key set, and its token endpoint for a service's own
    /// token); tests route it to the token server in memory.
    /// </summary>
    public const string TokenServerHttpClientName = "identity";

    public const string DefaultIssuer = "http://localhost:5080/";

    /// <summary>The one signing algorithm the token server uses; anything else (none, HS256, ...) is refused.</summary>
    public const string AccessTokenAlgorithm = SecurityAlgorithms.RsaSha256;

    /// <summary>The <c>typ</c> header of an access token (RFC 9068); an identity token (<c>JWT</c>) is no access token.</summary>
    public const string AccessTokenType = "at+jwt";

    /// <summary>
    /// Validates the platform's access tokens (JWTs signed by the token server in partner coordination): issuer,
    /// audience, lifetime and signature. Every service does this itself, so a request that bypasses the gateway
    /// gets no further. Only RS256 and the access-token type are accepted: a token with <c>alg: none</c>, an HMAC
    /// signature (which could be forged with the public key as the secret) or an identity token is refused.
    /// </summary>
    public static IHostApplicationBuilder AddParticipatieAuthentication(this IHostApplicationBuilder builder)
    {
        var issuer = builder.Configuration["Identity:Issuer"] ?? DefaultIssuer;
        builder.Services.AddHttpClient(TokenServerHttpClientName);
        builder.Services.TryAddSingleton<ISigningKeySource, JwksSigningKeySource>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton(services => new CachingTokenHandler(services.GetRequiredService<TimeProvider>()) { MapInboundClaims = false });
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.KeyRingOnFirstUse();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<ISigningKeySource, CachingTokenHandler>((options, keys, tokenHandler) =>
            {
                options.TokenHandlers.Clear();
                options.TokenHandlers.Add(tokenHandler);
                options.MapInboundClaims = false;
                options.RequireHttpsMetadata = false;
                options.ConfigurationManager = new SigningKeyConfigurationManager(keys, issuer);
                options.TokenValidationParameters.ValidIssuer = issuer;
                options.TokenValidationParameters.ValidAudience = ParticipatieClaims.Audience;
                options.TokenValidationParameters.NameClaimType = ParticipatieClaims.Subject;
                options.TokenValidationParameters.ClockSkew = TimeSpan.FromSeconds(30);
                options.TokenValidationParameters.ValidAlgorithms = [AccessTokenAlgorithm];
                options.TokenValidationParameters.ValidTypes = [AccessTokenType];
                options.TokenValidationParameters.RequireSignedTokens = true;
            });

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(PartnerPolicy, policy => policy
                .RequireAuthenticatedUser()
                .RequireClaim(ParticipatieClaims.PartnerId)
                .RequireAssertion(context => context.User.HasScope(ParticipatieClaims.ApiScope)))
            .AddPolicy(CallerPolicy, policy => policy
                .RequireAuthenticatedUser()
                .RequireAssertion(context => context.User.IsPlatformOperator()
                    || (context.User.GetPartnerId() is not null && context.User.HasScope(ParticipatieClaims.ApiScope))))
            .AddPolicy(PlatformPolicy, policy => policy
                .RequireAuthenticatedUser()
                .RequireAssertion(context => context.User.IsPlatformOperator()))
            .AddPolicy(ResidentPolicy, policy => policy
                .RequireAuthenticatedUser()
                .RequireAssertion(context => context.User.GetResidentId() is not null))
            .AddPolicy(ContactDetailsPolicy, policy => policy
                .RequireAuthenticatedUser()
                .RequireAssertion(context => context.User.HasScope(ParticipatieClaims.ContactDetailsScope)));
        return builder;
    }

    /// <summary>
    /// <c>AddAuthentication</c> brings ASP.NET Core Data Protection, whose hosted service loads a key ring when the service
    /// starts, and at the first start makes one: a key file, unencrypted (with a warning in the log), in the home
    /// directory of whoever runs the service. A service that only validates bearer tokens protects nothing, so it makes
    /// no key ring at the start; one is made the first time something protects a payload. A service that does use Data
    /// Protection (partner coordination's sign-in cookies, through <c>AddSharedKeyRing</c> or <c>AddAuthentication</c>
    /// again) gets the hosted service back: the framework adds it once more with every <c>AddDataProtection</c>.
    /// </summary>
    public static IServiceCollection KeyRingOnFirstUse(this IServiceCollection services)
    {
        var keyRingAtStart = services.Where(descriptor => descriptor.ServiceType == typeof(IHostedService)
            && descriptor.ImplementationType?.FullName == DataProtectionHostedService).ToList();
        keyRingAtStart.ForEach(descriptor => services.Remove(descriptor));
        return services;
    }

    private const string DataProtectionHostedService = "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService";
}
