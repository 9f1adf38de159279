using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Participatie.BuildingBlocks.Http;
using Participatie.Contracts;

namespace Participatie.Residents.Me;

/// <summary>Public, without a token: which buurt a home belongs to, from the addresses the platform knows.</summary>
public static class PublicAddressesApi
{
    public static IEndpointRouteBuilder MapPublicAddressesApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/v1/public/addresses")
            .WithTags("Public")
            .AllowAnonymous()
            .AddEndpointFilter<ValidationFilter>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status500InternalServerError)
            .MapGet("", LookUp)
            .WithName("LookUpAddress")
            .WithSummary("Which buurt a postcode and house number belong to; no personal data and no count of residents");
        return routes;
    }

    internal static async Task<Results<Ok<AddressLookup>, ProblemHttpResult>> LookUp(
        [AsParameters] AddressLookupQuery query, NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        var postcode = AddressKeys.NormalisePostcode(query.Postcode)!;
        var suffix = AddressKeys.NormaliseSuffix(query.HouseNumberSuffix)!;
        var key = AddressKeys.Key(postcode, query.HouseNumber!.Value, suffix);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        // The latest known buurt of the home, whoever lived there: a buurt says nothing about a person.
        var buurtCode = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT buurt_code FROM resident_addresses WHERE address_key = @Key ORDER BY lived_from DESC, id DESC LIMIT 1",
            new { Key = key }, cancellationToken: cancellationToken));
        if (buurtCode is null)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Dit adres kennen we niet. (This address is not known.)",
                detail: $"The platform knows no buurt for {key}.",
                type: "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5");
        }

        return TypedResults.Ok(new AddressLookup(postcode, query.HouseNumber.Value, suffix.Length == 0 ? null : suffix, buurtCode));
    }
}
