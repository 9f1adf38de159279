using System.Security.Claims;

namespace Participatie.BuildingBlocks.Auth;

/// <summary>What an access token says about its caller, and how every service reads it.</summary>
public static class ParticipatieClaims
{
    /// <summary>Audience of every access token the platform issues.</summary>
    public const string Audience = "participatie-api";

    public const string Subject = "sub";
    public const string ClientId = "client_id";
    public const string PartnerId = "partner_id";
    public const string PartnerKind = "partner_kind";
    public const string Scope = "scope";

    /// <summary>The browser origins the client's partner registered for it (one claim per origin).</summary>
    public const string AllowedOrigin = "allowed_origin";

    /// <summary>Scope of partner systems and web clients: the partner's own part of the platform.</summary>
    public const string ApiScope = "api";

    /// <summary>Scope of the platform operator's client: registering partners and their clients.</summary>
    public const string PlatformScope = "platform";

    /// <summary>
    /// Scope of a platform service's own client (notifications) that may ask the residents service for the one
    /// address a delivery needs. Such a token carries no partner id, so it passes no partner policy.
    /// </summary>
    public const string ContactDetailsScope = "contact-details";

    /// <summary>
    /// Scope of a resident's own token (subject: the pseudonymous resident id). It opens only the resident's own API
    /// under /v1/me; such a token carries no partner id, so it passes no partner or operator policy.
    /// </summary>
    public const string ResidentScope = "resident";

    /// <summary>The scopes a service client may be given in configuration; never a partner's or the operator's.</summary>
    public static readonly IReadOnlyList<string> ServiceScopes = [ContactDetailsScope];

    public static Guid? GetPartnerId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirst(PartnerId)?.Value, out var id) ? id : null;

    public static string? GetClientId(this ClaimsPrincipal user) => user.FindFirst(ClientId)?.Value;

    public static bool HasScope(this ClaimsPrincipal user, string scope) =>
        user.FindAll(Scope).Any(claim => claim.Value.Split(' ').Contains(scope, StringComparer.Ordinal));

    public static bool IsPlatformOperator(this ClaimsPrincipal user) => user.HasScope(PlatformScope);

    /// <summary>The resident a resident token speaks for; null for any other token.</summary>
    public static Guid? GetResidentId(this ClaimsPrincipal user) =>
        user.HasScope(ResidentScope) && user.GetPartnerId() is null && Guid.TryParse(user.FindFirst(Subject)?.Value, out var id) ? id : null;

    /// <summary>The caller is this partner, or the platform operator acting on its behalf.</summary>
    public static bool ActsFor(this ClaimsPrincipal user, Guid partnerId) =>
        user.IsPlatformOperator() || user.GetPartnerId() == partnerId;
}
