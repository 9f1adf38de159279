using System.Security.Claims;
using Dapper;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Http;

namespace Participatie.Consultations.SupportMeasurements;

/// <summary>What a partner may do with a support measurement it sees, besides reading its result.</summary>
public static class SupportMeasurementPermissions
{
    /// <summary>Close it and read its vote log: the partner that started it.</summary>
    public const string Own = "own";
}

/// <summary>A support measurement together with the calling partner's role in its trajectory.</summary>
public sealed record VisibleSupportMeasurement(SupportMeasurementResponse Measurement, string Role)
{
    /// <summary>The partner that created the measurement owns it: it closes it and reads its vote log.</summary>
    public bool IsOwner(ClaimsPrincipal user) => Measurement.PartnerId == user.GetPartnerId();

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
        permission == SupportMeasurementPermissions.Own && !subject.IsOwner(user)
            ? "Only the partner that started the support measurement closes it and reads its vote log."
            : null;
}

public static class SupportMeasurementAccessExtensions
{
    public static RouteGroupBuilder WithSupportMeasurementAccess(this RouteGroupBuilder group)
    {
        return group.WithAccessCheck<SupportMeasurementAccessCheck>();
    }
}
