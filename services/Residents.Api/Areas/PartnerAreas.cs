using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.BuildingBlocks.Messaging;
using Participatie.Contracts;

namespace Participatie.Residents.Areas;

/// <summary>
/// Keeps this service's copy of the areas the operator granted each partner (partner coordination owns them): the
/// whole set per partner, replaced only by a newer announcement.
/// </summary>
public sealed class PartnerAreasChangedConsumer(UnitOfWorkFactory unitOfWork) : IdempotentConsumer<PartnerAreasChanged>(unitOfWork)
{
    protected override Task HandleAsync(PartnerAreasChanged message, UnitOfWork work, CancellationToken cancellationToken) =>
        work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO partner_areas (partner_id, area_codes, changed_at) VALUES (@PartnerId, @AreaCodes, @ChangedAt)
            ON CONFLICT (partner_id) DO UPDATE SET area_codes = excluded.area_codes, changed_at = excluded.changed_at
                WHERE partner_areas.changed_at < excluded.changed_at
            """,
            new { message.PartnerId, AreaCodes = message.AreaCodes.ToArray(), message.ChangedAt },
            work.Transaction,
            cancellationToken: cancellationToken));
}

/// <summary>
/// The gemeenten and buurten a caller may register and count residents in. The platform operator is not confined;
/// a partner is confined to what this service last heard was granted to it (nothing, before the first grant arrives).
/// </summary>
public sealed class CallerAreas
{
    private readonly HashSet<string>? _granted;

    private CallerAreas(HashSet<string>? granted) => _granted = granted;

    public static async Task<CallerAreas> LoadAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, ClaimsPrincipal caller, CancellationToken cancellationToken)
    {
        if (caller.IsPlatformOperator() || caller.GetPartnerId() is not { } partnerId)
        {
            return new CallerAreas(null);
        }

        var granted = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT unnest(area_codes) FROM partner_areas WHERE partner_id = @PartnerId",
            new { PartnerId = partnerId }, transaction, cancellationToken: cancellationToken));
        return new CallerAreas(new HashSet<string>(granted, StringComparer.Ordinal));
    }

    /// <summary>The buurt is granted itself, or lies in a granted gemeente (or the caller is not confined).</summary>
    public bool Includes(string buurtCode) =>
        _granted is null || _granted.Contains(buurtCode) || _granted.Contains(BuurtCodes.GemeenteOf(buurtCode));

    /// <summary>
    /// Why a buurt outside is refused, for the field <c>buurtCode</c>. A grant reaches this service by an event, normally
    /// within a second, so a partner granted a moment ago tries again.
    /// </summary>
    public static string OutsideMessage(string buurtCode) =>
        $"Buurt '{buurtCode}' lies outside the areas granted to your organisation (as this service knows them; a new grant arrives within seconds); the platform operator grants them.";

    /// <summary>422 naming <c>buurtCode</c>: a registration or a move outside the partner's areas.</summary>
    public static ProblemHttpResult RefuseRegistration(string buurtCode) =>
        Problems.Unprocessable("buurtCode", OutsideMessage(buurtCode));

    /// <summary>
    /// 403 naming <c>buurtCode</c>: counting residents outside the partner's areas, as partner coordination refuses
    /// work there (a trajectory there cannot be started, so the counts are none of the partner's business).
    /// </summary>
    public static ProblemHttpResult RefuseCount(string buurtCode) =>
        TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { ["buurtCode"] = [OutsideMessage(buurtCode)] })
        {
            Status = StatusCodes.Status403Forbidden,
            Title = "This is not yours to see or change.",
            Type = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4",
        });
}
