using System.Security.Claims;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.Consultations.Apis;

namespace Participatie.Consultations.Domain;

/// <summary>A support measurement together with the calling partner's role in its trajectory.</summary>
public sealed record VisibleSupportMeasurement(SupportMeasurementResponse Measurement, string Role)
{
    /// <summary>The partner that created the measurement owns it: it closes it and reads its vote log.</summary>
    public bool IsOwner(ClaimsPrincipal user) => Measurement.PartnerId == user.GetPartnerId();
}

public static class SupportMeasurementAccess
{
    /// <summary>The measurement if the caller takes part in its trajectory; null otherwise (to outsiders it does not exist).</summary>
    public static async Task<VisibleSupportMeasurement?> FindVisibleAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        Guid measurementId,
        DateTimeOffset now,
        TrajectoryDirectory trajectories,
        CancellationToken cancellationToken)
    {
        var measurement = await SupportMeasurementsApi.FindAsync(connection, transaction, measurementId, now, cancellationToken);
        if (measurement is null)
        {
            return null;
        }

        var trajectory = await trajectories.FindAsync(measurement.TrajectoryId, cancellationToken);
        return trajectory?.MyRole is { } role ? new VisibleSupportMeasurement(measurement, role) : null;
    }
}
