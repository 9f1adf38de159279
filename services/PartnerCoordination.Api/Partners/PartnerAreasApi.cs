using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.Contracts;
using Participatie.PartnerCoordination.Identity;

namespace Participatie.PartnerCoordination.Partners;

/// <summary>
/// The gemeenten and buurten a partner works in, granted by the platform operator. A partner starts trajectories only
/// inside them; a partner with no area starts none.
/// </summary>
public static class PartnerAreasApi
{
    /// <summary>More than any partner works in (the Netherlands has about 340 gemeenten), small enough to bound the body.</summary>
    public const int MaxAreas = 500;

    public static IEndpointRouteBuilder MapPartnerAreasApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapApiGroup("/v1/partners/{partnerId:guid}/areas", "Partners", AuthenticationExtensions.CallerPolicy)
            .WithPartnerAccess()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPut("", GrantAreas)
            .RequireAuthorization(AuthenticationExtensions.PlatformPolicy)
            .WithName("GrantPartnerAreas")
            .WithSummary("Set the gemeenten (GM0363) and buurten (BU03630000) a partner works in, replacing the earlier ones (the platform operator only); recorded in the credential audit");
        api.MapGet("", ListAreas)
            .WithName("ListPartnerAreas")
            .WithSummary("List the gemeenten and buurten a partner works in (the partner itself and the platform operator)");
        return routes;
    }

    internal static async Task<Ok<PartnerAreas>> GrantAreas(
        Guid partnerId, GrantAreasRequest request, ClaimsPrincipal user, UnitOfWorkFactory unitOfWork, TimeProvider clock, CancellationToken cancellationToken)
    {
        var areaCodes = request.AreaCodes!.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var now = clock.GetUtcNow();
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        // Replacing the whole set keeps the request idempotent; trajectories started earlier keep their buurten.
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            DELETE FROM partner_areas WHERE partner_id = @PartnerId AND NOT (area_code = ANY(@AreaCodes));
            INSERT INTO partner_areas (partner_id, area_code, granted_at) SELECT @PartnerId, unnest(@AreaCodes), @Now
            ON CONFLICT DO NOTHING;
            """,
            new { PartnerId = partnerId, AreaCodes = areaCodes, Now = now }, work.Transaction, cancellationToken: cancellationToken));
        // The whole set, in the same transaction: the residents service confines registrations and counts to it.
        await work.PublishAsync(new PartnerAreasChanged(partnerId, areaCodes, now), cancellationToken);
        await CredentialAudit.RecordAsync(
            work.Connection, work.Transaction, user, partnerId, CredentialActions.AreasGranted, CredentialActions.AreasSubject,
            areaCodes.Length == 0 ? CredentialActions.NoAreas : string.Join(' ', areaCodes), cancellationToken);
        await work.CommitAsync(cancellationToken);
        return TypedResults.Ok(new PartnerAreas { PartnerId = partnerId, AreaCodes = areaCodes });
    }

    internal static async Task<Ok<PartnerAreas>> ListAreas(Guid partnerId, NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var areaCodes = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT area_code FROM partner_areas WHERE partner_id = @PartnerId ORDER BY area_code",
            new { PartnerId = partnerId }, cancellationToken: cancellationToken));
        return TypedResults.Ok(new PartnerAreas { PartnerId = partnerId, AreaCodes = [.. areaCodes] });
    }

    /// <summary>
    /// The first of the buurten that lies outside the partner's areas (neither the buurt nor its gemeente granted), or
    /// null when all lie inside.
    /// </summary>
    public static async Task<string?> FirstBuurtOutsideAsync(
        UnitOfWork work, Guid partnerId, IReadOnlyCollection<string> buurtCodes, CancellationToken cancellationToken)
    {
        var granted = (await work.Connection.QueryAsync<string>(new CommandDefinition(
            "SELECT area_code FROM partner_areas WHERE partner_id = @PartnerId",
            new { PartnerId = partnerId }, work.Transaction, cancellationToken: cancellationToken))).ToHashSet(StringComparer.Ordinal);
        return buurtCodes.FirstOrDefault(code => !granted.Contains(code) && !granted.Contains(BuurtCodes.GemeenteOf(code)));
    }
}

public sealed record GrantAreasRequest(IReadOnlyList<string>? AreaCodes) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        if (AreaCodes is null)
        {
            errors.Add("areaCodes", "'areaCodes' is required (an empty list takes every area away).");
        }
        else if (AreaCodes.Count > PartnerAreasApi.MaxAreas)
        {
            errors.Add("areaCodes", $"At most {PartnerAreasApi.MaxAreas} areas.");
        }
        // Any, not FirstOrDefault: a null item is invalid too, and FirstOrDefault would return it as "nothing found".
        else if (AreaCodes.Any(code => !BuurtCodes.IsGemeenteCode(code) && !BuurtCodes.IsValid(code)))
        {
            var invalid = AreaCodes.First(code => !BuurtCodes.IsGemeenteCode(code) && !BuurtCodes.IsValid(code));
            errors.Add("areaCodes", $"'{invalid ?? "null"}' is neither a CBS gemeente code such as 'GM0363' nor a buurt code such as 'BU03630001'.");
        }
    }
}

public sealed record PartnerAreas
{
    public required Guid PartnerId { get; init; }

    /// <summary>Gemeente codes (GM0363) and buurt codes (BU03630001), in code order.</summary>
    public required IReadOnlyList<string> AreaCodes { get; init; }
}
