using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.Consultations.Me;

namespace Participatie.Consultations.Consultations;

/// <summary>
/// Who entered a reaction, answers or a registration (issue 11, part 6): a partner with its client, and the staff
/// member when a person signed in; all null when the resident entered it with their own token.
/// </summary>
public sealed record EntryAuthor(Guid? PartnerId, string? ClientId, Guid? StaffId)
{
    public static EntryAuthor Of(ClaimsPrincipal user) =>
        user.GetPartnerId() is { } partnerId ? new(partnerId, user.GetClientId(), StaffIdOf(user)) : new(null, null, null);

    /// <summary>A staff token's subject is the staff member's id; a system client's subject is its own client id.</summary>
    private static Guid? StaffIdOf(ClaimsPrincipal user) =>
        user.FindFirst(ParticipatieClaims.Subject)?.Value is { } subject && subject != user.GetClientId() && Guid.TryParse(subject, out var id)
            ? id
            : null;
}

/// <summary>
/// Whether a resident belongs to a consultation's audience, from this service's own projections (the residents of its
/// buurt, or the residents the residents service resolved for its addresses): no call to another service.
/// </summary>
public static class ConsultationAudience
{
    /// <summary>
    /// 422 naming <c>residentId</c> when this service knows the resident (their buurt, or an address audience) and they
    /// are outside the consultation's audience. A resident this service has not heard of yet is let through: the
    /// projection follows the residents service by an event, and a partner registering a resident and entering their
    /// reaction a moment later must not be refused; such an id ties nothing to a real resident elsewhere.
    /// </summary>
    public static async Task<ProblemHttpResult?> RefuseOutsiderAsync(
        UnitOfWork work, Guid consultationId, Guid residentId, CancellationToken cancellationToken)
    {
        var outside = await work.Connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            $"""
            SELECT (EXISTS (SELECT 1 FROM residents_concerned WHERE resident_id = @ResidentId)
                    OR EXISTS (SELECT 1 FROM consultation_audience WHERE resident_id = @ResidentId))
               AND NOT EXISTS (SELECT 1 FROM consultations c WHERE c.id = @ConsultationId AND {MyParticipation.TakesPart})
            """,
            new { ConsultationId = consultationId, ResidentId = residentId }, work.Transaction, cancellationToken: cancellationToken));
        return outside
            ? Problems.Unprocessable("residentId", $"Resident '{residentId}' is not among the residents this consultation is for.")
            : null;
    }

    /// <summary>409: what another partner (or the resident themselves) entered is not replaced by this partner.</summary>
    public static ProblemHttpResult EnteredByAnother(string what, Guid residentId) =>
        TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]>
        {
            ["residentId"] = [$"The {what} of resident '{residentId}' was entered by someone else; only they replace it."],
        })
        {
            Status = StatusCodes.Status409Conflict,
            Title = $"The {what} was entered by someone else.",
            Type = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.10",
        });
}
