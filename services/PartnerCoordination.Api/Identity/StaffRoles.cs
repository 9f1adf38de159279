using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Http;

namespace Participatie.PartnerCoordination.Identity;

/// <summary>
/// A staff member is plain staff or the partner's admin. Only an admin, the partner's own system clients (they are
/// the partner's system, registered by an admin or the operator) and the operator may create or revoke credentials:
/// a plain staff member's browser token must never mint a permanent one.
/// </summary>
public static class StaffRoles
{
    public const string Staff = "staff";
    public const string PartnerAdmin = "partner-admin";
    public static readonly IReadOnlyList<string> All = [Staff, PartnerAdmin];

    /// <summary>The claim a staff member's access token carries their role in.</summary>
    public const string Claim = "staff_role";

    /// <summary>
    /// The staff member a token acts for, or null for a system client or the operator. A staff token's subject is the
    /// person, a client's own token's subject is the client itself.
    /// </summary>
    public static Guid? StaffMemberId(ClaimsPrincipal user) =>
        user.GetPartnerId() is not null && user.FindFirst(ParticipatieClaims.Subject)?.Value is { } subject
        && subject != user.GetClientId() && Guid.TryParse(subject, out var id) ? id : null;

    /// <summary>403 for a staff member who is not the partner's admin; null when the caller may manage credentials.</summary>
    public static ProblemHttpResult? RefuseUnlessCredentialManager(ClaimsPrincipal user) =>
        StaffMemberId(user) is not null && user.FindFirst(Claim)?.Value != PartnerAdmin
            ? Problems.Forbidden("Only the partner's admin, its system clients or the platform operator manage its clients and staff.")
            : null;
}
