using System.ComponentModel.DataAnnotations;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.Contracts;
using Participatie.PartnerCoordination.Domain;

namespace Participatie.PartnerCoordination.Partners;

public static class PartnersApi
{
    private const string SelectPartner = """
        SELECT id, name, kind, registry_number AS RegistryNumber, registered_at AS RegisteredAt FROM partners
        """;

    public static IEndpointRouteBuilder MapPartnersApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapApiGroup("/v1/partners", "Partners", AuthenticationExtensions.CallerPolicy);

        api.MapPost("", RegisterPartner)
            .WithName("RegisterPartner")
            .WithSummary("Register a partner organisation (the platform operator only)")
            .RequireAuthorization(AuthenticationExtensions.PlatformPolicy)
            .ProducesValidationProblem(StatusCodes.Status409Conflict);
        api.MapGet("", ListPartners)
            .WithName("ListPartners")
            .WithSummary("List the partner organisations, by name");
        api.MapGet("/{partnerId:guid}", GetPartner)
            .WithName("GetPartner")
            .WithSummary("Read one partner organisation");
        return routes;
    }

    internal static async Task<Results<Created<PartnerResponse>, ProblemHttpResult>> RegisterPartner(
        RegisterPartnerRequest request, UnitOfWorkFactory unitOfWork, TimeProvider clock, CancellationToken cancellationToken)
    {
        var partner = new PartnerResponse
        {
            Id = Guid.CreateVersion7(),
            Name = request.Name!.Trim(),
            Kind = request.Kind!,
            RegistryNumber = request.RegistryNumber!.Trim(),
            RegisteredAt = clock.GetUtcNow(),
        };

        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        try
        {
            await work.Connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO partners (id, name, kind, registry_number, registered_at)
                VALUES (@Id, @Name, @Kind, @RegistryNumber, @RegisteredAt)
                """,
                partner, work.Transaction, cancellationToken: cancellationToken));
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "The partner is already registered.",
                detail: $"A partner with registryNumber '{partner.RegistryNumber}' exists.",
                extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["registryNumber"] = ["already registered"] } });
        }

        await work.PublishAsync(new PartnerRegistered(partner.Id, partner.Name, partner.Kind, partner.RegisteredAt), cancellationToken);
        await work.CommitAsync(cancellationToken);
        return TypedResults.Created($"/v1/partners/{partner.Id}", partner);
    }

    internal static async Task<Ok<Page<PartnerResponse>>> ListPartners(
        [AsParameters] PageQuery page, NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return TypedResults.Ok(await connection.QueryPageAsync<PartnerResponse>(page, new CommandDefinition(
            $"""
            {SelectPartner} ORDER BY name, id OFFSET @Offset LIMIT @Size;
            SELECT count(*) FROM partners;
            """,
            new { page.Offset, page.Size }, cancellationToken: cancellationToken)));
    }

    internal static async Task<Results<Ok<PartnerResponse>, ProblemHttpResult>> GetPartner(
        Guid partnerId, NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var partner = await connection.QuerySingleOrDefaultAsync<PartnerResponse>(new CommandDefinition(
            $"{SelectPartner} WHERE id = @PartnerId", new { PartnerId = partnerId }, cancellationToken: cancellationToken));
        return partner is null ? Problems.NotFound("partner", partnerId) : TypedResults.Ok(partner);
    }
}

public sealed record RegisterPartnerRequest([StringLength(200)] string? Name, [Vocabulary(typeof(PartnerKinds))] string? Kind, string? RegistryNumber) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        if (errors.Required("name", Name))
        {
            errors.MaxLength("name", Name, 200);
        }

        errors.OneOf("kind", Kind, PartnerKinds.All);
        if (errors.Required("registryNumber", RegistryNumber) && PartnerKinds.All.Contains(Kind!)
            && RegistryNumbers.Check(Kind!, RegistryNumber!.Trim()) is { } problem)
        {
            errors.Add("registryNumber", problem);
        }
    }
}

public sealed record PartnerResponse
{
    public required Guid Id { get; init; }

    public required string Name { get; init; }

    [Vocabulary(typeof(PartnerKinds))]
    public required string Kind { get; init; }

    public required string RegistryNumber { get; init; }

    public required DateTimeOffset RegisteredAt { get; init; }
}
