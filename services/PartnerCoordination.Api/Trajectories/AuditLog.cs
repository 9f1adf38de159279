using System.Security.Claims;
using System.Text.Json;
using Dapper;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;

namespace Participatie.PartnerCoordination.Trajectories;

/// <summary>Records changes of ownership and roles in the append-only audit log, in the caller's transaction.</summary>
public static class AuditLog
{
    public static Task RecordAsync(
        UnitOfWork work, ClaimsPrincipal actor, Guid? trajectoryId, string action, string subject, object details, CancellationToken cancellationToken) =>
        work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO audit_log (trajectory_id, actor_partner_id, actor_client_id, action, subject, details)
            VALUES (@TrajectoryId, @ActorPartnerId, @ActorClientId, @Action, @Subject, CAST(@Details AS jsonb))
            """,
            new
            {
                TrajectoryId = trajectoryId,
                ActorPartnerId = actor.GetPartnerId(),
                ActorClientId = actor.GetClientId() ?? "unknown",
                Action = action,
                Subject = subject,
                Details = JsonSerializer.Serialize(details, JsonSerializerOptions.Web),
            },
            work.Transaction, cancellationToken: cancellationToken));
}
