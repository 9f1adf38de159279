using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Http;
using Participatie.Consultations.Apis;
using Participatie.Contracts;

namespace Participatie.Consultations.Domain;

/// <summary>A consultation together with the calling partner's role in its trajectory.</summary>
public sealed record VisibleConsultation(ConsultationResponse Consultation, string Role)
{
    /// <summary>The partner that opened it, and the trajectory's lead and co-owners, answer its reactions.</summary>
    public bool CanAnswer(ClaimsPrincipal user) =>
        Consultation.PartnerId == user.GetPartnerId() || TrajectoryRoles.CanManageMembers(Role);
}

public static class ConsultationAccess
{
    /// <summary>
    /// The trajectory in which the caller starts something (a consultation, a support measurement): it must take part
    /// (422 naming trajectoryId otherwise) with a role that contributes (403 otherwise).
    /// </summary>
    public static async Task<(TrajectoryView Trajectory, ProblemHttpResult? Problem)> ContributingTrajectoryAsync(
        TrajectoryDirectory trajectories, Guid trajectoryId, string what, CancellationToken cancellationToken)
    {
        var trajectory = await trajectories.FindAsync(trajectoryId, cancellationToken);
        if (trajectory?.MyRole is null)
        {
            return (null!, Problems.Unprocessable("trajectoryId", $"You take part in no trajectory with id '{trajectoryId}'."));
        }

        return TrajectoryRoles.CanContribute(trajectory.MyRole)
            ? (trajectory, null)
            : (trajectory, Problems.Forbidden($"A partner with role '{trajectory.MyRole}' cannot start {what} in this trajectory."));
    }

    /// <summary>The consultation if the caller takes part in its trajectory; null otherwise (to outsiders it does not exist).</summary>
    public static async Task<VisibleConsultation?> FindVisibleAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        Guid consultationId,
        TrajectoryDirectory trajectories,
        CancellationToken cancellationToken)
    {
        var consultation = await ConsultationsApi.FindAsync(connection, transaction, consultationId, cancellationToken);
        if (consultation is null)
        {
            return null;
        }

        var trajectory = await trajectories.FindAsync(consultation.TrajectoryId, cancellationToken);
        return trajectory?.MyRole is { } role ? new VisibleConsultation(consultation, role) : null;
    }
}
