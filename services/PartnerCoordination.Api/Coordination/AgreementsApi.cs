using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.PartnerCoordination.Domain;
using Participatie.PartnerCoordination.Trajectories;

namespace Participatie.PartnerCoordination.Coordination;

/// <summary>Agreements between partners of a trajectory: who does what. Every partner in the trajectory reads them.</summary>
public static class AgreementsApi
{
    public static IEndpointRouteBuilder MapAgreementsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapApiGroup("/v1/trajectories/{trajectoryId:guid}/agreements", "Agreements", AuthenticationExtensions.CallerPolicy)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("", CreateAgreement)
            .WithName("CreateAgreement")
            .WithSummary("Record an agreement between partners of the trajectory (lead, co-owners, contributors)")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("", ListAgreements)
            .WithName("ListAgreements")
            .WithSummary("List the trajectory's agreements, newest first");
        api.MapGet("/{agreementId:guid}", GetAgreement)
            .WithName("GetAgreement")
            .WithSummary("Read an agreement with the partners it binds");
        return routes;
    }

    internal static async Task<Results<Created<Agreement>, ProblemHttpResult>> CreateAgreement(
        Guid trajectoryId, CreateAgreementRequest request, ClaimsPrincipal user, UnitOfWorkFactory unitOfWork, TimeProvider clock, CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        if (await TrajectoryAccess.CheckContributorAsync(work, trajectoryId, user, cancellationToken) is { } denied)
        {
            return denied;
        }

        var partnerIds = request.PartnerIds!.Distinct().ToList();
        if (await TrajectoryAccess.FirstOutsiderAsync(work, trajectoryId, partnerIds, cancellationToken) is { } outsider)
        {
            return Problems.Unprocessable("partnerIds", $"Partner '{outsider}' takes no part in this trajectory.");
        }

        var agreement = new Agreement
        {
            Id = Guid.CreateVersion7(),
            TrajectoryId = trajectoryId,
            Title = request.Title!.Trim(),
            Description = request.Description!.Trim(),
            OwnerPartnerId = user.GetPartnerId()!.Value,
            CreatedAt = clock.GetUtcNow(),
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
        var created = (await QueryAsync(work, "WHERE id = @AgreementId", new { AgreementId = agreement.Id }, cancellationToken))[0];
        await work.CommitAsync(cancellationToken);
        return TypedResults.Created($"/v1/trajectories/{trajectoryId}/agreements/{agreement.Id}", created);
    }

    internal static async Task<Results<Ok<Page<Agreement>>, ProblemHttpResult>> ListAgreements(
        Guid trajectoryId, [AsParameters] PageQuery page, ClaimsPrincipal user, UnitOfWorkFactory unitOfWork, CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        if (await TrajectoryAccess.CheckReaderAsync(work, trajectoryId, user, cancellationToken) is { } denied)
        {
            return denied;
        }

        var agreements = await QueryAsync(
            work,
            "WHERE trajectory_id = @TrajectoryId ORDER BY created_at DESC, id DESC OFFSET @Offset LIMIT @Size",
            new { TrajectoryId = trajectoryId, page.Offset, page.Size },
            cancellationToken);
        var total = await work.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM trajectory_agreements WHERE trajectory_id = @TrajectoryId",
            new { TrajectoryId = trajectoryId }, work.Transaction, cancellationToken: cancellationToken));
        return TypedResults.Ok(page.ToPage<Agreement>(agreements, total));
    }

    internal static async Task<Results<Ok<Agreement>, ProblemHttpResult>> GetAgreement(
        Guid trajectoryId, Guid agreementId, ClaimsPrincipal user, UnitOfWorkFactory unitOfWork, CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        if (await TrajectoryAccess.CheckReaderAsync(work, trajectoryId, user, cancellationToken) is { } denied)
        {
            return denied;
        }

        var agreements = await QueryAsync(
            work, "WHERE id = @AgreementId AND trajectory_id = @TrajectoryId", new { AgreementId = agreementId, TrajectoryId = trajectoryId }, cancellationToken);
        return agreements.Count == 0 ? Problems.NotFound("agreement", agreementId) : TypedResults.Ok(agreements[0]);
    }

    /// <summary>The agreements the condition selects, in its order, each with the partners it binds.</summary>
    private static async Task<List<Agreement>> QueryAsync(UnitOfWork work, string condition, object parameters, CancellationToken cancellationToken)
    {
        var agreements = (await work.Connection.QueryAsync<Agreement>(new CommandDefinition(
            $"""
            SELECT id, trajectory_id AS TrajectoryId, title, description, owner_partner_id AS OwnerPartnerId, created_at AS CreatedAt
            FROM trajectory_agreements {condition}
            """,
            parameters, work.Transaction, cancellationToken: cancellationToken))).AsList();
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

public sealed record CreateAgreementRequest(string? Title, string? Description, IReadOnlyList<Guid>? PartnerIds) : IValidatableRequest
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
