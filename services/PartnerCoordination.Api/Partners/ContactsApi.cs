using System.ComponentModel.DataAnnotations;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Http;

namespace Participatie.PartnerCoordination.Partners;

/// <summary>The people a partner organisation puts forward as its contacts.</summary>
public static class ContactsApi
{
    public static IEndpointRouteBuilder MapContactsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapApiGroup("/v1/partners/{partnerId:guid}/contacts", "Contacts", AuthenticationExtensions.CallerPolicy)
            .WithPartnerAccess()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("", AddContact).WithName("AddContact").WithSummary("Add a contact person to a partner");
        api.MapGet("", ListContacts).WithName("ListContacts").WithSummary("List a partner's contact persons");
        return routes;
    }

    internal static async Task<Results<Created<Contact>, ProblemHttpResult>> AddContact(
        Guid partnerId, AddContactRequest request, NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        var contact = new Contact
        {
            Id = Guid.CreateVersion7(),
            Name = request.Name!.Trim(),
            Email = request.Email!.Trim(),
            PhoneNumber = request.PhoneNumber,
            Role = request.Role,
        };
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO partner_contacts (id, partner_id, name, email, phone_number, role)
            VALUES (@Id, @PartnerId, @Name, @Email, @PhoneNumber, @Role)
            """,
            new { contact.Id, PartnerId = partnerId, contact.Name, contact.Email, contact.PhoneNumber, contact.Role },
            cancellationToken: cancellationToken));
        return TypedResults.Created($"/v1/partners/{partnerId}/contacts/{contact.Id}", contact);
    }

    internal static async Task<Results<Ok<IReadOnlyList<Contact>>, ProblemHttpResult>> ListContacts(
        Guid partnerId, NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var contacts = await connection.QueryAsync<Contact>(new CommandDefinition(
            "SELECT id, name, email, phone_number AS PhoneNumber, role FROM partner_contacts WHERE partner_id = @PartnerId ORDER BY name",
            new { PartnerId = partnerId }, cancellationToken: cancellationToken));
        return TypedResults.Ok<IReadOnlyList<Contact>>(contacts.AsList());
    }
}

public sealed record AddContactRequest([StringLength(200)] string? Name, string? Email, string? PhoneNumber, [StringLength(100)] string? Role) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        if (errors.Required("name", Name))
        {
            errors.MaxLength("name", Name, 200);
        }

        if (errors.Required("email", Email) && !Email!.Contains('@', StringComparison.Ordinal))
        {
            errors.Add("email", "'email' is not an e-mail address.");
        }

        errors.MaxLength("role", Role, 100);
    }
}

public sealed record Contact
{
    public required Guid Id { get; init; }

    public required string Name { get; init; }

    public required string Email { get; init; }

    public string? PhoneNumber { get; init; }

    public string? Role { get; init; }
}
