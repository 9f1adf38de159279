using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.PartnerCoordination.Partners;

namespace Participatie.PartnerCoordination.Identity;

/// <summary>What may happen to a partner's credentials and areas, as recorded in <c>credential_audit</c>.</summary>
public static class CredentialActions
{
    public const string ClientRegistered = "client-registered";
    public const string ClientRevoked = "client-revoked";
    public const string StaffAdded = "staff-added";
    public const string StaffDisabled = "staff-disabled";

    /// <summary>The operator set the partner's areas: the subject is the new set, codes separated by spaces.</summary>
    public const string AreasGranted = "areas-granted";

    /// <summary>The subject kind of <see cref="AreasGranted"/>.</summary>
    public const string AreasSubject = "areas";

    /// <summary>The subject of <see cref="AreasGranted"/> when every area was taken away.</summary>
    public const string NoAreas = "none";

    public const string ClientSubject = "client";
    public const string StaffSubject = "staff";

    public static readonly IReadOnlyList<string> All = [ClientRegistered, ClientRevoked, StaffAdded, StaffDisabled, AreasGranted];

    /// <summary>What an entry is about: a client, a staff login, or the partner's areas.</summary>
    public static readonly IReadOnlyList<string> SubjectKinds = [ClientSubject, StaffSubject, AreasSubject];
}

/// <summary>
/// The append-only record of every credential action. It is written in the same transaction as the action, so an
/// action without its record cannot happen.
/// </summary>
public static class CredentialAudit
{
    public static Task RecordAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, ClaimsPrincipal actor, Guid partnerId,
        string action, string subjectKind, string subjectId, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO credential_audit (partner_id, action, subject_kind, subject_id, actor_client_id, actor_staff_id, acted_as_operator)
            VALUES (@PartnerId, @Action, @SubjectKind, @SubjectId, @ActorClientId, @ActorStaffId, @ActedAsOperator)
            """,
            new
            {
                PartnerId = partnerId,
                Action = action,
                SubjectKind = subjectKind,
                SubjectId = subjectId,
                ActorClientId = actor.GetClientId() ?? "unknown",
                ActorStaffId = StaffRoles.StaffMemberId(actor),
                ActedAsOperator = actor.IsPlatformOperator(),
            },
            transaction,
            cancellationToken: cancellationToken));

    public static IEndpointRouteBuilder MapCredentialAuditApi(this IEndpointRouteBuilder routes)
    {
        routes.MapApiGroup("/v1/partners/{partnerId:guid}/credential-audit", "Clients", AuthenticationExtensions.CallerPolicy)
            .WithPartnerAccess()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .MapGet("", ListAsync)
            .WithName("ListCredentialAudit")
            .WithSummary("Every action on the partner's clients, staff logins and areas, newest first: who, when, on what, and whether the operator acted");
        return routes;
    }

    internal static async Task<Results<Ok<Page<CredentialAuditEntry>>, ProblemHttpResult>> ListAsync(
        Guid partnerId, [AsParameters] PageQuery page, NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return TypedResults.Ok(await connection.QueryPageAsync<CredentialAuditEntry>(page, new CommandDefinition(
            """
            SELECT id, partner_id AS PartnerId, action, subject_kind AS SubjectKind, subject_id AS SubjectId,
                   actor_client_id AS ActorClientId, actor_staff_id AS ActorStaffId, acted_as_operator AS ActedAsOperator,
                   occurred_at AS OccurredAt
            FROM credential_audit WHERE partner_id = @PartnerId ORDER BY id DESC OFFSET @Offset LIMIT @Size;
            SELECT count(*) FROM credential_audit WHERE partner_id = @PartnerId;
            """,
            new { PartnerId = partnerId, page.Offset, page.Size }, cancellationToken: cancellationToken)));
    }
}

public sealed record CredentialAuditEntry
{
    public required long Id { get; init; }

    public required Guid PartnerId { get; init; }

    /// <summary>client-registered, client-revoked, staff-added, staff-disabled or areas-granted.</summary>
    [Vocabulary(typeof(CredentialActions))]
    public required string Action { get; init; }

    /// <summary>client, staff or areas.</summary>
    [Vocabulary(typeof(CredentialActions), nameof(CredentialActions.SubjectKinds))]
    public required string SubjectKind { get; init; }

    /// <summary>The client id, the staff member's id, or the areas granted (codes separated by spaces; "none").</summary>
    public required string SubjectId { get; init; }

    /// <summary>The client that acted: the operator's, the partner's system client, or the web client a staff member used.</summary>
    public required string ActorClientId { get; init; }

    /// <summary>The staff member who acted through a web client; null when a system or the operator acted.</summary>
    public Guid? ActorStaffId { get; init; }

    public required bool ActedAsOperator { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }
}
