using Dapper;
using Participatie.BuildingBlocks.Data;
using Participatie.Contracts;

namespace Participatie.Residents.DataRights;

/// <summary>An export request as stored.</summary>
public sealed record ExportRecord
{
    public required Guid Id { get; init; }

    public required Guid ResidentId { get; init; }

    public required string RequestedBy { get; init; }

    public required DateTimeOffset RequestedAt { get; init; }
}

/// <summary>One service's part of an export.</summary>
public sealed record ExportPart
{
    public required string Service { get; init; }

    public required string Data { get; init; }

    public required DateTimeOffset ExportedAt { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }
}

/// <summary>The SQL of exports (AVG art. 15 and 20): the request, the parts the services send, and reading them back.</summary>
public static class ExportStore
{
    /// <summary>
    /// The residents service's own part: the personal data and every access log entry about the resident, as one JSON
    /// object of named arrays. A feature that stores more personal data adds its array here.
    /// </summary>
    private const string OwnPartSql =
        """
        SELECT jsonb_build_object(
            'personalData', coalesce((
                SELECT jsonb_agg(jsonb_build_object(
                    'id', r.id, 'fullName', r.full_name, 'street', r.street, 'houseNumber', r.house_number,
                    'houseNumberSuffix', r.house_number_suffix, 'postcode', r.postcode, 'city', r.city,
                    'buurtCode', r.buurt_code, 'email', r.email, 'phoneNumber', r.phone_number,
                    'preferredLanguage', r.preferred_language, 'preferredChannel', r.preferred_channel,
                    'digestFrequency', r.digest_frequency, 'birthYear', r.birth_year, 'tenure', r.tenure,
                    'registeredAt', r.registered_at, 'registeredByPartnerId', r.registered_by_partner_id,
                    'emailUndeliverableAt', r.email_undeliverable_at, 'phoneUndeliverableAt', r.phone_undeliverable_at,
                    'lastActivityAt', r.last_activity_at, 'quietHoursStart', r.quiet_hours_start, 'quietHoursEnd', r.quiet_hours_end))
                FROM residents r WHERE r.id = @ResidentId), '[]'::jsonb),
            'addresses', coalesce((
                SELECT jsonb_agg(jsonb_build_object(
                    'street', a.street, 'houseNumber', a.house_number, 'houseNumberSuffix', a.house_number_suffix,
                    'postcode', a.postcode, 'city', a.city, 'buurtCode', a.buurt_code, 'livedFrom', a.lived_from,
                    'livedUntil', a.lived_until) ORDER BY a.id)
                FROM resident_addresses a WHERE a.resident_id = @ResidentId), '[]'::jsonb),
            'consents', coalesce((
                SELECT jsonb_agg(jsonb_build_object(
                    'purpose', c.purpose, 'given', c.given, 'channel', c.channel, 'givenAt', c.given_at,
                    'recordedAt', c.recorded_at) ORDER BY c.id)
                FROM resident_consents c WHERE c.resident_id = @ResidentId), '[]'::jsonb),
            'partners', coalesce((
                SELECT jsonb_agg(jsonb_build_object('partnerId', l.partner_id, 'registeredAt', l.registered_at) ORDER BY l.registered_at)
                FROM resident_partners l WHERE l.resident_id = @ResidentId), '[]'::jsonb),
            'pendingContactChanges', coalesce((
                SELECT jsonb_agg(jsonb_build_object(
                    'channel', p.channel, 'value', p.value, 'requestedAt', p.requested_at, 'confirmedAt', p.confirmed_at) ORDER BY p.requested_at)
                FROM contact_confirmations p WHERE p.resident_id = @ResidentId), '[]'::jsonb),
            'accessLog', coalesce((
                SELECT jsonb_agg(jsonb_build_object(
                    'action', l.action, 'accessedBy', l.accessed_by, 'partnerId', l.partner_id, 'clientId', l.client_id,
                    'purpose', l.purpose, 'accessedAt', l.accessed_at) ORDER BY l.id)
                FROM personal_data_access_log l WHERE l.resident_id = @ResidentId), '[]'::jsonb))::text
        """;

    private const string ExportColumns =
        "id AS Id, resident_id AS ResidentId, requested_by AS RequestedBy, requested_at AS RequestedAt";

    /// <summary>
    /// Records the request, this service's own part (after the request was logged, so that the part shows it) and
    /// puts <see cref="ResidentDataExportRequested"/> in the outbox for the other services.
    /// </summary>
    public static async Task<ExportRecord> CreateAsync(
        UnitOfWork work, Guid residentId, string requestedBy, Guid? partnerId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var export = new ExportRecord { Id = Guid.CreateVersion7(now), ResidentId = residentId, RequestedBy = requestedBy, RequestedAt = now };
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO data_exports (id, resident_id, requested_by, requested_by_partner_id, requested_at)
            VALUES (@Id, @ResidentId, @RequestedBy, @PartnerId, @RequestedAt)
            """,
            new { export.Id, export.ResidentId, export.RequestedBy, PartnerId = partnerId, export.RequestedAt },
            work.Transaction, cancellationToken: cancellationToken));
        var ownPart = await work.Connection.ExecuteScalarAsync<string>(new CommandDefinition(
            OwnPartSql, new { ResidentId = residentId }, work.Transaction, cancellationToken: cancellationToken));
        await RecordPartAsync(work, new ResidentDataExported(export.Id, residentId, DataHoldingServices.Residents, ownPart!, now), now, cancellationToken);
        await work.PublishAsync(new ResidentDataExportRequested(export.Id, residentId, now), cancellationToken);
        return export;
    }

    /// <summary>
    /// Keeps a service's part. A part for an export that is gone (the resident was erased meanwhile) or about another
    /// resident is dropped; a repeated part keeps the first.
    /// </summary>
    public static Task<int> RecordPartAsync(UnitOfWork work, ResidentDataExported part, DateTimeOffset receivedAt, CancellationToken cancellationToken) =>
        work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO data_export_parts (export_id, service, data, exported_at, received_at)
            SELECT id, @Service, @Data::jsonb, @ExportedAt, @ReceivedAt FROM data_exports
            WHERE id = @ExportId AND resident_id = @ResidentId
            ON CONFLICT DO NOTHING
            """,
            new { part.ExportId, part.ResidentId, part.Service, Data = part.DataJson, part.ExportedAt, ReceivedAt = receivedAt },
            work.Transaction, cancellationToken: cancellationToken));

    public static Task<ExportRecord?> FindAsync(UnitOfWork work, Guid residentId, Guid exportId, CancellationToken cancellationToken) =>
        work.Connection.QuerySingleOrDefaultAsync<ExportRecord>(new CommandDefinition(
            $"SELECT {ExportColumns} FROM data_exports WHERE id = @ExportId AND resident_id = @ResidentId",
            new { ExportId = exportId, ResidentId = residentId }, work.Transaction, cancellationToken: cancellationToken));

    /// <summary>The partner that asked for the export; null when the resident asked.</summary>
    public static Task<Guid?> RequestedByAsync(UnitOfWork work, Guid exportId, CancellationToken cancellationToken) =>
        work.Connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(
            "SELECT requested_by_partner_id FROM data_exports WHERE id = @ExportId",
            new { ExportId = exportId }, work.Transaction, cancellationToken: cancellationToken));

    public static async Task<IReadOnlyList<ExportPart>> PartsAsync(UnitOfWork work, Guid exportId, bool withData, CancellationToken cancellationToken) =>
        (await work.Connection.QueryAsync<ExportPart>(new CommandDefinition(
            $"""
            SELECT service AS Service, {(withData ? "data::text" : "''")} AS Data, exported_at AS ExportedAt, received_at AS ReceivedAt
            FROM data_export_parts WHERE export_id = @ExportId ORDER BY received_at, service
            """,
            new { ExportId = exportId }, work.Transaction, cancellationToken: cancellationToken))).AsList();

    /// <summary>Forgets exports older than the cutoff, with their copies of the data; returns how many.</summary>
    public static Task<int> DeleteOlderThanAsync(UnitOfWork work, DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        work.Connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM data_exports WHERE requested_at < @Cutoff",
            new { Cutoff = cutoff }, work.Transaction, cancellationToken: cancellationToken));
}
