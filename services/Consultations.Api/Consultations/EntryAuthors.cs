using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
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
    /// 422 naming <c>residentId</c> when the resident is outside the consultation's audience, or not known to this
    /// service at all: an id nobody registered must not gather reactions, answers or registrations. The projection
    /// follows the residents service by an event (normally well under a second), so the detail says "not yet": a
    /// partner that registers a resident and enters their reaction at once retries after the registration's event
    /// arrived. An erased resident is left to the insert's trigger, which names the erasure in its own 422.
    /// </summary>
    public static Task<ProblemHttpResult?> RefuseOutsiderAsync(
        UnitOfWork work, Guid consultationId, Guid residentId, CancellationToken cancellationToken) =>
        RefuseOutsiderAsync(work.Connection, work.Transaction, consultationId, residentId, cancellationToken);

    /// <inheritdoc cref="RefuseOutsiderAsync(UnitOfWork, Guid, Guid, CancellationToken)"/>
    public static async Task<ProblemHttpResult?> RefuseOutsiderAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid consultationId, Guid residentId, CancellationToken cancellationToken)
    {
        var standing = await connection.QuerySingleAsync<AudienceStanding>(new CommandDefinition(
            $"""
            SELECT EXISTS (SELECT 1 FROM residents_concerned WHERE resident_id = @ResidentId)
                   OR EXISTS (SELECT 1 FROM consultation_audience WHERE resident_id = @ResidentId) AS Known,
                   EXISTS (SELECT 1 FROM erased_residents WHERE resident_id = @ResidentId) AS Erased,
                   EXISTS (SELECT 1 FROM consultations c WHERE c.id = @ConsultationId AND {MyParticipation.TakesPart}) AS InAudience
            """,
            new { ConsultationId = consultationId, ResidentId = residentId }, transaction, cancellationToken: cancellationToken));
        return standing switch
        {
            { Erased: true } or { InAudience: true } => null,
            { Known: false } => Problems.Unprocessable(
                "residentId",
                $"Resident '{residentId}' is not known to this service yet: a registration reaches it by an event, normally within a second; try again once it has."),
            _ => NotInAudience(residentId),
        };
    }

    public static ProblemHttpResult NotInAudience(Guid residentId) =>
        Problems.Unprocessable("residentId", $"Resident '{residentId}' is not among the residents this consultation is for.");

    private sealed record AudienceStanding(bool Known, bool Erased, bool InAudience);

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
