using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Participatie.BuildingBlocks.Http;
using Participatie.Contracts;

namespace Participatie.Residents.Me;

/// <summary>Public, without a token: which buurt a home belongs to, from the addresses the platform knows in its postcode.</summary>
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
            .WithSummary(
                "Which buurt a postcode and house number belong to, from the known address with that postcode nearest in house number " +
                "(the same answer whether or not that home is registered); 404 only for an unknown postcode");
        return routes;
    }

    internal static async Task<Results<Ok<AddressLookup>, ProblemHttpResult>> LookUp(
        [AsParameters] AddressLookupQuery query, NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        var postcode = AddressKeys.NormalisePostcode(query.Postcode)!;
        var suffix = AddressKeys.NormaliseSuffix(query.HouseNumberSuffix)!;
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        // By postcode, never by the exact home: the buurt of the known address with that postcode whose house number
        // is nearest to the one asked (latest first), so that the answer is the same whether or not that home is
        // registered. A postcode lies within one buurt almost always; a buurt says nothing about a person.
        var buurtCode = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            """
            SELECT buurt_code FROM resident_addresses WHERE postcode = @Postcode
            ORDER BY abs(house_number - @HouseNumber), house_number, lived_from DESC, id DESC LIMIT 1
            """,
            new { Postcode = postcode, HouseNumber = query.HouseNumber!.Value }, cancellationToken: cancellationToken));
        if (buurtCode is null)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Deze postcode kennen we niet. (This postcode is not known.)",
                detail: $"The platform knows no address with postcode {postcode}.",
                type: "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5");
        }

        return TypedResults.Ok(new AddressLookup(postcode, query.HouseNumber.Value, suffix.Length == 0 ? null : suffix, buurtCode));
    }
}
