using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.IdentityModel.Tokens;
using Npgsql;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Participatie.BuildingBlocks.Auth;
using Participatie.Contracts;
using Participatie.PartnerCoordination.Domain;
using Participatie.PartnerCoordination.Identity;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Participatie.PartnerCoordination.ResidentSignIn;

/// <summary>The token server's grants for residents: a code sent by e-mail or SMS, or a code printed on a letter.</summary>
public static class ResidentGrants
{
    public const string SignInCode = "urn:participatie:grant-type:sign-in-code";
    public const string LetterCode = "urn:participatie:grant-type:letter-code";

    public static bool IsResidentGrant(string? grantType) => grantType is SignInCode or LetterCode;
}

/// <summary>
/// Resident tokens: subject the pseudonymous resident id, scope resident, no partner id, 15 minutes, refreshable
/// (scope offline_access). Without a token store a refresh token cannot be revoked, so every refresh checks that
/// the resident can still sign in: an erased resident's refresh token stops working.
/// </summary>
public static class ResidentTokens
{
    public static ClaimsPrincipal Principal(Guid residentId, ResidentClient client)
    {
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Subject, Claims.Role);
        identity.SetClaim(Claims.Subject, residentId.ToString());
        identity.SetClaim(ParticipatieClaims.ClientId, client.ClientId);
        // The gateway lets a browser on one of these origins use the token (CORS), and no other.
        identity.SetClaims(ParticipatieClaims.AllowedOrigin, [.. client.AllowedOrigins]);
        identity.SetScopes(ParticipatieClaims.ResidentScope, Scopes.OfflineAccess);
        identity.SetAudiences(ParticipatieClaims.Audience);
        return Finish(new ClaimsPrincipal(identity));
    }

    /// <summary>Redeems a code of one of the resident grants for a token, or says why not (429 with Retry-After when locked).</summary>
    public static async Task<IResult> RedeemAsync(
        HttpContext httpContext, OpenIddictRequest request, ResidentClient client, ResidentSignInService signIn, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var code = Parameter(request, "code");
        if (code is null)
        {
            return Refuse(Errors.InvalidRequest, "The code parameter is missing.");
        }

        RedeemOutcome outcome;
        if (request.GrantType == ResidentGrants.SignInCode)
        {
            if (!Guid.TryParse(Parameter(request, "challenge_id"), out var challengeId))
            {
                return Refuse(Errors.InvalidRequest, "The challenge_id parameter is missing or not a challenge id.");
            }

            outcome = await signIn.RedeemCodeAsync(challengeId, code, cancellationToken);
        }
        else
        {
            var homeKey = int.TryParse(Parameter(request, "house_number"), NumberStyles.None, CultureInfo.InvariantCulture, out var houseNumber)
                ? AddressKeys.Key(Parameter(request, "postcode"), houseNumber, Parameter(request, "house_number_suffix"))
                : null;
            if (homeKey is null)
            {
                return Refuse(Errors.InvalidRequest, "The postcode, house_number and house_number_suffix parameters do not make a Dutch address.");
            }

            outcome = await signIn.RedeemLetterCodeAsync(homeKey, code, cancellationToken);
        }

        return outcome switch
        {
            RedeemOutcome.SignedIn signedIn => Results.SignIn(
                Principal(signedIn.ResidentId, client), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme),
            RedeemOutcome.Locked locked => TooManyTries(httpContext, locked.Until, clock.GetUtcNow()),
            RedeemOutcome.Refused refused => Refuse(Errors.InvalidGrant, refused.Reason),
            _ => throw new InvalidOperationException($"Unknown outcome {outcome}."),
        };
    }

    /// <summary>
    /// An authorization code or refresh token of a resident who can still sign in gets a new token; an erased
    /// resident's gets nothing.
    /// </summary>
    public static async Task<IResult> ReissueAsync(ClaimsPrincipal principal, NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(principal.GetClaim(Claims.Subject), out var residentId))
        {
            return Refuse(Errors.InvalidGrant, "The refresh token names no resident.");
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        if (!await ResidentSignInStore.CanSignInAsync(connection, null, residentId, cancellationToken))
        {
            return Refuse(Errors.InvalidGrant, "This resident can no longer sign in.");
        }

        return Results.SignIn(Finish(principal), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    public static bool IsResident(ClaimsPrincipal principal) => OpenIddict.Abstractions.OpenIddictExtensions.HasScope(principal, ParticipatieClaims.ResidentScope);

    /// <summary>Lifetimes and destinations, set again whenever a principal is (re)issued.</summary>
    public static ClaimsPrincipal Finish(ClaimsPrincipal principal)
    {
        principal.SetAccessTokenLifetime(ResidentSignInRules.AccessTokenLifetime);
        principal.SetRefreshTokenLifetime(ResidentSignInRules.RefreshTokenLifetime);
        principal.SetDestinations(_ => [Destinations.AccessToken]);
        return principal;
    }

    public static IResult Refuse(string error, string description) =>
        Results.Forbid(
            new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
            }),
            [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);

    private static IResult TooManyTries(HttpContext httpContext, DateTimeOffset lockedUntil, DateTimeOffset now)
    {
        var seconds = ResidentSignInRules.RetryAfterSeconds(lockedUntil, now);
        httpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many wrong codes.",
            detail: $"Signing in is locked for {seconds} seconds after {ResidentSignInRules.MaximumWrongTries} wrong codes; the right code waits too.",
            type: "https://www.rfc-editor.org/rfc/rfc6585#section-4");
    }

    private static string? Parameter(OpenIddictRequest request, string name) =>
        request.GetParameter(name) is { } value && (string?)value is { Length: > 0 } text ? text : null;
}
