using System.Security.Claims;
using Dapper;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Http;
using Participatie.Contracts;

namespace Participatie.Consultations.SupportMeasurements;

/// <summary>What a partner may do with a support measurement it sees, besides reading it, its result and its vote log.</summary>
public static class SupportMeasurementPermissions
{
    /// <summary>Enter signed paper forms, leave homes out of the count and close: a contributor or higher, never an observer.</summary>
    public const string Contribute = "contribute";
}

/// <summary>A support measurement together with the calling partner's role in its trajectory.</summary>
public sealed record VisibleSupportMeasurement(SupportMeasurementResponse Measurement, string Role)
{
    public static ValueTask<VisibleSupportMeasurement?> BindAsync(HttpContext context) => RouteAccess.Loaded<VisibleSupportMeasurement>(context);
}

/// <summary>Routes under <c>/v1/support-measurements/{measurementId}</c>: 404 unless the caller takes part in its trajectory.</summary>
public sealed class SupportMeasurementAccessCheck(NpgsqlDataSource database, TimeProvider clock)
    : RouteAccessCheck<VisibleSupportMeasurement>("measurementId", "support measurement")
{
    protected override async Task<VisibleSupportMeasurement?> LoadAsync(HttpContext context, Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<SupportMeasurementResponse, string, VisibleSupportMeasurement>(new CommandDefinition(
            $"""
            SELECT x.*, m.role FROM ({SupportMeasurementStore.SelectMeasurement} WHERE id = @MeasurementId) x
            JOIN trajectory_member_projection m ON m.trajectory_id = x.trajectoryid AND m.partner_id = @CallerPartnerId
            """,
            new { MeasurementId = id, CallerPartnerId = context.User.GetPartnerId(), Now = clock.GetUtcNow() },
            cancellationToken: cancellationToken),
            (measurement, role) => new VisibleSupportMeasurement(measurement, role),
            splitOn: "role")).SingleOrDefault();
    }

    protected override string? Refuse(VisibleSupportMeasurement subject, string permission, ClaimsPrincipal user) =>
        permission == SupportMeasurementPermissions.Contribute && !TrajectoryRoles.CanContribute(subject.Role)
            ? $"A partner with role '{subject.Role}' in the trajectory cannot enter votes, leave homes out of the count or close the measurement."
            : null;
}

public static class SupportMeasurementAccessExtensions
{
    public static RouteGroupBuilder WithSupportMeasurementAccess(this RouteGroupBuilder group)
    {
        return group.WithAccessCheck<SupportMeasurementAccessCheck>();
    }
}
