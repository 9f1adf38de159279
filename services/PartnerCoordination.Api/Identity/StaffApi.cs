using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Http;
using Participatie.PartnerCoordination.Partners;

namespace Participatie.PartnerCoordination.Identity;

/// <summary>The people of a partner who sign in to its web clients.</summary>
public static class StaffApi
{
    public const int MinimumPasswordLength = StaffPasswords.MinimumLength;

    public static IEndpointRouteBuilder MapStaffApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapApiGroup("/v1/partners/{partnerId:guid}/staff", "Staff", AuthenticationExtensions.CallerPolicy)
            .WithPartnerAccess()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("", AddStaffMember)
            .WithName("AddStaffMember")
            .WithSummary("Give a person of the partner a sign-in for its web clients")
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{staffId:guid}/disable", DisableStaffMember)
            .WithName("DisableStaffMember")
            .WithSummary("Disable a staff member's sign-in: no new sign-in or token at once, and their last token ends within 5 minutes");
        api.MapGet("", ListStaff)
            .WithName("ListStaff")
            .WithSummary("List the partner's people who can sign in (never their passwords)");
        return routes;
    }

    internal static async Task<Results<Created<StaffMember>, ProblemHttpResult>> AddStaffMember(
        Guid partnerId, AddStaffMemberRequest request, ClaimsPrincipal user, NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        if (StaffRoles.RefuseUnlessCredentialManager(user) is { } refused)
        {
            return refused;
        }

        var member = new StaffMember
        {
            Id = Guid.CreateVersion7(), Email = request.Email!.Trim(), Name = request.Name!.Trim(), Role = request.Role ?? StaffRoles.Staff,
        };
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO partner_users (id, partner_id, email, name, password_hash, role)
                VALUES (@Id, @PartnerId, @Email, @Name, @PasswordHash, @Role)
                """,
                new { member.Id, PartnerId = partnerId, member.Email, member.Name, PasswordHash = StaffPasswords.Hash(request.Password!), member.Role },
                transaction,
                cancellationToken: cancellationToken));
            await CredentialAudit.RecordAsync(
                connection, transaction, user, partnerId, CredentialActions.StaffAdded, "staff", member.Id.ToString(), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "This e-mail address can already sign in.",
                extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["email"] = ["already in use"] } });
        }

        return TypedResults.Created($"/v1/partners/{partnerId}/staff/{member.Id}", member);
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DisableStaffMember(
        Guid partnerId, Guid staffId, ClaimsPrincipal user, NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        if (StaffRoles.RefuseUnlessCredentialManager(user) is { } refused)
        {
            return refused;
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var disabled = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE partner_users SET disabled_at = now() WHERE partner_id = @PartnerId AND id = @StaffId AND disabled_at IS NULL",
            new { PartnerId = partnerId, StaffId = staffId }, transaction, cancellationToken: cancellationToken));
        if (disabled == 0)
        {
            return Problems.NotFound("staff member", staffId);
        }

        await CredentialAudit.RecordAsync(
            connection, transaction, user, partnerId, CredentialActions.StaffDisabled, "staff", staffId.ToString(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    internal static async Task<Results<Ok<IReadOnlyList<StaffMember>>, ProblemHttpResult>> ListStaff(
        Guid partnerId, NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var staff = await connection.QueryAsync<StaffMember>(new CommandDefinition(
            "SELECT id, email, name, role FROM partner_users WHERE partner_id = @PartnerId AND disabled_at IS NULL ORDER BY name",
            new { PartnerId = partnerId }, cancellationToken: cancellationToken));
        return TypedResults.Ok<IReadOnlyList<StaffMember>>(staff.AsList());
    }
}

public sealed record AddStaffMemberRequest(string? Email, [StringLength(200)] string? Name, string? Password, [Vocabulary(typeof(StaffRoles))] string? Role = null) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        if (Role is not null)
        {
            errors.OneOf("role", Role, StaffRoles.All);
        }

        if (errors.Required("email", Email) && !Email!.Contains('@', StringComparison.Ordinal))
        {
            errors.Add("email", "'email' is not an e-mail address.");
        }

        if (errors.Required("name", Name))
        {
            errors.MaxLength("name", Name, 200);
        }

        if (errors.Required("password", Password) && Password!.Length < StaffApi.MinimumPasswordLength)
        {
            errors.Add("password", $"'password' must be at least {StaffApi.MinimumPasswordLength} characters long.");
        }
        else if (Password is not null && StaffPasswords.IsCommon(Password))
        {
            errors.Add("password", "'password' is one of the most common passwords; choose another.");
        }
    }
}

public sealed record StaffMember
{
    public required Guid Id { get; init; }

    public required string Email { get; init; }

    public required string Name { get; init; }

    /// <summary>staff, or partner-admin: who may manage the partner's clients and staff.</summary>
    [Vocabulary(typeof(StaffRoles))]
    public required string Role { get; init; }
}
