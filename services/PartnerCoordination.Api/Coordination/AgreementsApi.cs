using System.ComponentModel.DataAnnotations;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.PartnerCoordination.Trajectories;

namespace Participatie.PartnerCoordination.Coordination;

/// <summary>Agreements between partners of a trajectory: who does what. Every partner in the trajectory reads them.</summary>
public static class AgreementsApi
{
    internal static readonly OwnedItemStore<Agreement> Store = new()
    {
        Name = "agreement",
        Table = "trajectory_agreements",
        Select = """
            SELECT id, trajectory_id AS TrajectoryId, title, description, owner_partner_id AS OwnerPartnerId, created_at AS CreatedAt
            FROM trajectory_agreements
            """,
        Owner = agreement => agreement.OwnerPartnerId,
        OwnerOnly = "Only the partner that recorded this agreement changes it.",
    };

    public static IEndpointRouteBuilder MapAgreementsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapApiGroup("/v1/trajectories/{trajectoryId:guid}/agreements", "Agreements", AuthenticationExtensions.CallerPolicy)
            .WithTrajectoryAccess()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("", CreateAgreement)
            .Requires(TrajectoryPermissions.Contribute)
            .WithName("CreateAgreement")
            .WithSummary("Record an agreement between partners of the trajectory (lead, co-owners, contributors)")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("", ListAgreements)
            .WithName("ListAgreements")
            .WithSummary("List the trajectory's agreements, newest first");
        api.MapOwnedItem(string.Empty, "agreementId", Store).MapGet("", GetAgreement)
            .WithName("GetAgreement")
            .WithSummary("Read an agreement with the partners it binds");
        return routes;
    }

    internal static async Task<Results<Created<Agreement>, ProblemHttpResult>> CreateAgreement(
        TrajectoryCaller caller, CreateAgreementRequest request, [AsParameters] ApiServices services)
    {
        var (work, cancellationToken) = (caller.Work, services.Cancellation);
        var partnerIds = request.PartnerIds!.Distinct().ToList();
        if (await TrajectoryStore.FirstOutsiderAsync(work, caller.TrajectoryId, partnerIds, cancellationToken) is { } outsider)
        {
            return Problems.Unprocessable("partnerIds", $"Partner '{outsider}' takes no part in this trajectory.");
        }

        var agreement = new Agreement
        {
            Id = Guid.CreateVersion7(),
            TrajectoryId = caller.TrajectoryId,
            Title = request.Title!.Trim(),
            Description = request.Description!.Trim(),
            OwnerPartnerId = caller.Partner,
            CreatedAt = services.Clock.GetUtcNow(),
        };
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO trajectory_agreements (id, trajectory_id, title, description, owner_partner_id, created_at)
            VALUES (@Id, @TrajectoryId, @Title, @Description, @OwnerPartnerId, @CreatedAt)
            """,
            agreement, work.Transaction, cancellationToken: cancellationToken));
        await work.Connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO trajectory_agreement_partners (agreement_id, partner_id) SELECT @AgreementId, unnest(@PartnerIds)",
            new { AgreementId = agreement.Id, PartnerIds = partnerIds.ToArray() }, work.Transaction, cancellationToken: cancellationToken));
        var created = (await WithPartnersAsync(work, [agreement], cancellationToken))[0];
        await work.CommitAsync(cancellationToken);
        return TypedResults.Created($"/v1/trajectories/{caller.TrajectoryId}/agreements/{agreement.Id}", created);
    }

    internal static async Task<Results<Ok<Page<Agreement>>, ProblemHttpResult>> ListAgreements(
        TrajectoryCaller caller, [AsParameters] PageQuery page, CancellationToken cancellationToken)
    {
        var agreements = await Store.PageAsync(
            caller.Work, page, "WHERE trajectory_id = @TrajectoryId", "created_at DESC, id DESC", new { caller.TrajectoryId }, cancellationToken);
        return TypedResults.Ok(agreements with { Items = await WithPartnersAsync(caller.Work, agreements.Items, cancellationToken) });
    }

    internal static async Task<Results<Ok<Agreement>, ProblemHttpResult>> GetAgreement(OwnedItem<Agreement> agreement, CancellationToken cancellationToken) =>
        TypedResults.Ok((await WithPartnersAsync(agreement.Work, [agreement.Item], cancellationToken))[0]);

    /// <summary>The agreements, in their order, each with the partners it binds.</summary>
    private static async Task<IReadOnlyList<Agreement>> WithPartnersAsync(UnitOfWork work, IReadOnlyList<Agreement> agreements, CancellationToken cancellationToken)
    {
        var partners = (await work.Connection.QueryAsync<(Guid AgreementId, Guid PartnerId)>(new CommandDefinition(
            """
            SELECT a.agreement_id, a.partner_id
            FROM trajectory_agreement_partners a JOIN partners p ON p.id = a.partner_id
            WHERE a.agreement_id = ANY(@AgreementIds) ORDER BY p.name, p.id
            """,
            new { AgreementIds = agreements.Select(agreement => agreement.Id).ToArray() }, work.Transaction, cancellationToken: cancellationToken)))
            .ToLookup(row => row.AgreementId, row => row.PartnerId);
        return [.. agreements.Select(agreement => agreement with { PartnerIds = [.. partners[agreement.Id]] })];
    }
}

public sealed record CreateAgreementRequest([StringLength(200)] string? Title, string? Description, IReadOnlyList<Guid>? PartnerIds) : IValidatableRequest
{
    private const int MaxPartners = 50;

    public void Validate(ValidationErrors errors)
    {
        if (errors.Required("title", Title))
        {
            errors.MaxLength("title", Title, 200);
        }

        if (errors.Required("description", Description))
        {
            errors.MaxLength("description", Description, 4000);
        }

        if (PartnerIds is null || PartnerIds.Count == 0)
        {
            errors.Add("partnerIds", "'partnerIds' must name at least one partner of the trajectory.");
        }
        else if (PartnerIds.Count > MaxPartners)
        {
            errors.Add("partnerIds", $"'partnerIds' may name at most {MaxPartners} partners.");
        }
        else if (PartnerIds.Contains(Guid.Empty))
        {
            errors.Add("partnerIds", "'partnerIds' may not contain an empty id.");
        }
    }
}

public sealed record Agreement
{
    public required Guid Id { get; init; }

    public required Guid TrajectoryId { get; init; }

    public required string Title { get; init; }

    public required string Description { get; init; }

    public required Guid OwnerPartnerId { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The partners the agreement binds, by name.</summary>
    public IReadOnlyList<Guid> PartnerIds { get; init; } = [];
}
