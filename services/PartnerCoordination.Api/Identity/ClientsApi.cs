using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Security.Cryptography;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Http;
using Participatie.PartnerCoordination.Partners;

namespace Participatie.PartnerCoordination.Identity;

/// <summary>A partner's OAuth clients: its systems and its web clients.</summary>
public static class ClientsApi
{
    public static IEndpointRouteBuilder MapClientsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapApiGroup("/v1/partners/{partnerId:guid}/clients", "Clients", AuthenticationExtensions.CallerPolicy)
            .WithPartnerAccess()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("", RegisterClient)
            .WithName("RegisterClient")
            .WithSummary("Register an OAuth client for a partner; a system client's secret is shown once, in this answer");
        api.MapGet("", ListClients)
            .WithName("ListClients")
            .WithSummary("List a partner's clients (never their secrets)");
        api.MapDelete("/{clientId}", RevokeClient)
            .WithName("RevokeClient")
            .WithSummary("Revoke a client: it gets no new tokens");
        // Beside the clients, so that every credential route is mapped in one place.
        routes.MapCredentialAuditApi();
        return routes;
    }

    internal static async Task<Results<Created<RegisteredClient>, ProblemHttpResult>> RegisterClient(
        Guid partnerId, RegisterClientRequest request, ClaimsPrincipal user, NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        if (StaffRoles.RefuseUnlessCredentialManager(user) is { } refused)
        {
            return refused;
        }

        var secret = request.Kind == ClientKinds.System ? ClientSecrets.Generate() : null;
        var client = new RegisteredClient
        {
            ClientId = $"{request.Kind}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}",
            PartnerId = partnerId,
            DisplayName = request.DisplayName!.Trim(),
            Kind = request.Kind!,
            RedirectUris = request.RedirectUris ?? [],
            AllowedOrigins = request.AllowedOrigins ?? [],
            ClientSecret = secret,
        };
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO partner_clients (client_id, partner_id, display_name, kind, secret_hash, redirect_uris, allowed_origins)
            VALUES (@ClientId, @PartnerId, @DisplayName, @Kind, @SecretHash, @RedirectUris, @AllowedOrigins)
            """,
            new
            {
                client.ClientId,
                client.PartnerId,
                client.DisplayName,
                client.Kind,
                SecretHash = secret is null ? null : ClientSecrets.Hash(secret),
                RedirectUris = client.RedirectUris.ToArray(),
                AllowedOrigins = client.AllowedOrigins.ToArray(),
            },
            transaction,
            cancellationToken: cancellationToken));
        await CredentialAudit.RecordAsync(
            connection, transaction, user, partnerId, CredentialActions.ClientRegistered, "client", client.ClientId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Created($"/v1/partners/{partnerId}/clients/{client.ClientId}", client);
    }

    internal static async Task<Results<Ok<IReadOnlyList<RegisteredClient>>, ProblemHttpResult>> ListClients(
        Guid partnerId, NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var clients = await connection.QueryAsync<RegisteredClient>(new CommandDefinition(
            """
            SELECT client_id AS ClientId, partner_id AS PartnerId, display_name AS DisplayName, kind,
                   redirect_uris AS RedirectUris, allowed_origins AS AllowedOrigins
            FROM partner_clients WHERE partner_id = @PartnerId AND revoked_at IS NULL ORDER BY created_at
            """,
            new { PartnerId = partnerId }, cancellationToken: cancellationToken));
        return TypedResults.Ok<IReadOnlyList<RegisteredClient>>(clients.AsList());
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> RevokeClient(
        // Client ids are the kind and 16 hex digits; the bound tells an integrator so, and a longer id is simply unknown (404).
        Guid partnerId, [System.ComponentModel.DataAnnotations.StringLength(100)] string clientId, ClaimsPrincipal user, NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        if (StaffRoles.RefuseUnlessCredentialManager(user) is { } refused)
        {
            return refused;
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var revoked = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE partner_clients SET revoked_at = now() WHERE partner_id = @PartnerId AND client_id = @ClientId AND revoked_at IS NULL",
            new { PartnerId = partnerId, ClientId = clientId }, transaction, cancellationToken: cancellationToken));
        if (revoked == 1)
        {
            await CredentialAudit.RecordAsync(
                connection, transaction, user, partnerId, CredentialActions.ClientRevoked, "client", clientId, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return revoked == 1
            ? TypedResults.NoContent()
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "The client was not found.", detail: $"Partner {partnerId} has no active client '{clientId}'.");
    }
}

public sealed record RegisterClientRequest(
    [StringLength(200)] string? DisplayName, [Vocabulary(typeof(ClientKinds))] string? Kind, IReadOnlyList<string>? RedirectUris, IReadOnlyList<string>? AllowedOrigins) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        if (errors.Required("displayName", DisplayName))
        {
            errors.MaxLength("displayName", DisplayName, 200);
        }

        errors.OneOf("kind", Kind, ClientKinds.All);
        if (Kind == ClientKinds.Web && (RedirectUris is null || RedirectUris.Count == 0))
        {
            errors.Add("redirectUris", "A web client needs at least one redirect URI.");
        }

        foreach (var uri in RedirectUris ?? [])
        {
            if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed))
            {
                errors.Add("redirectUris", $"'{uri}' is not an absolute URI.");
            }
            else if (!(parsed.Scheme == Uri.UriSchemeHttps || (parsed.Scheme == Uri.UriSchemeHttp && parsed.IsLoopback)))
            {
                // A code sent over plain HTTP can be read on the way; only a loopback address never leaves the machine.
                errors.Add("redirectUris", $"'{uri}' must use https (http only for a loopback address such as http://127.0.0.1).");
            }
        }

        foreach (var origin in AllowedOrigins ?? [])
        {
            // An origin is scheme, host and port: nothing more, no trailing slash.
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var parsed) || parsed.GetLeftPart(UriPartial.Authority) != origin)
            {
                errors.Add("allowedOrigins", $"'{origin}' is not an origin such as 'https://app.example.org'.");
            }
        }
    }
}

public sealed record RegisteredClient
{
    public required string ClientId { get; init; }

    public required Guid PartnerId { get; init; }

    public required string DisplayName { get; init; }

    [Vocabulary(typeof(ClientKinds))]
    public required string Kind { get; init; }

    public required IReadOnlyList<string> RedirectUris { get; init; }

    public required IReadOnlyList<string> AllowedOrigins { get; init; }

    /// <summary>Shown once, when a system client is registered; only its hash is kept.</summary>
    public string? ClientSecret { get; init; }
}
