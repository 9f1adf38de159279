using Dapper;
using Participatie.BuildingBlocks.Data;
using Participatie.Contracts;

namespace Participatie.Residents.DataRights;

/// <summary>Who asked for an export or an erasure: the resident, a linked partner for them, or (erasure only) the retention job.</summary>
public static class Requesters
{
    public const string Resident = "resident";
    public const string Partner = "partner";
    public const string Retention = "retention";

    /// <summary>Who may ask for an erasure; the retention job erases on its own.</summary>
    public static readonly IReadOnlyList<string> All = [Resident, Partner, Retention];

    /// <summary>Who may ask for an export.</summary>
    public static readonly IReadOnlyList<string> OfExports = [Resident, Partner];
}

/// <summary>An erasure as stored: the tombstone, with each service's confirmation.</summary>
public sealed record ErasureRecord
{
    public required Guid Id { get; init; }

    public required Guid ResidentId { get; init; }

    public required string RequestedBy { get; init; }

    public required DateTimeOffset ErasedAt { get; init; }
}

/// <summary>
/// The SQL of an erasure (AVG art. 17) in the residents service. <see cref="EraseSql"/> is the one list of the tables
/// and columns with a resident's personal data in this service: a feature that stores more of it adds its table there.
/// </summary>
public static class ErasureStore
{
    /// <summary>
    /// Deletes every piece of personal data of one resident, in the caller's transaction, after the resident's row was
    /// locked (<see cref="LockResidentAsync"/>): the row goes from residents (name, address, contact details, birth year,
    /// preferences), the exports with their copies of the data go, and a tombstone without personal data stays in
    /// resident_erasures. The partners linked at that moment are recorded, so that they can read the proof later.
    /// The access log stays: it holds ids, no personal data, and is the record of who processed what.
    /// </summary>
    private const string EraseSql =
        """
        INSERT INTO resident_erasures (id, resident_id, requested_by, requested_by_partner_id, erased_at)
        VALUES (@ErasureId, @ResidentId, @RequestedBy, @RequestedByPartnerId, @ErasedAt);

        -- The partners linked to the resident, who may read the proof later.
        INSERT INTO resident_erasure_partners (erasure_id, partner_id)
        SELECT @ErasureId, partner_id FROM (
            SELECT registered_by_partner_id AS partner_id FROM residents WHERE id = @ResidentId
            UNION SELECT partner_id FROM resident_partners WHERE resident_id = @ResidentId
            UNION SELECT @RequestedByPartnerId WHERE @RequestedByPartnerId IS NOT NULL
        ) linked
        WHERE partner_id IS NOT NULL;

        -- Pending contact changes (a new address waiting for its code), consents, the address history and the links.
        DELETE FROM contact_confirmations WHERE resident_id = @ResidentId;
        DELETE FROM resident_consents WHERE resident_id = @ResidentId;
        DELETE FROM resident_addresses WHERE resident_id = @ResidentId;
        DELETE FROM resident_partners WHERE resident_id = @ResidentId;

        -- Copies of the personal data in exports, with their parts.
        DELETE FROM data_exports WHERE resident_id = @ResidentId;

        -- The resident's own row, last: other tables with personal data are cleared above this line.
        DELETE FROM residents WHERE id = @ResidentId;

        -- This service's own part of the proof, in the same transaction as the deletion.
        INSERT INTO resident_erasure_confirmations (erasure_id, service, confirmed_at)
        VALUES (@ErasureId, @Service, @ErasedAt);
        """;

    private const string ErasureColumns =
        "id AS Id, resident_id AS ResidentId, requested_by AS RequestedBy, erased_at AS ErasedAt";

    /// <summary>
    /// Locks the resident's row for the rest of the transaction: a concurrent erasure waits and then finds the
    /// tombstone, a concurrent export request waits and then finds no resident. False when there is no such row.
    /// </summary>
    public static async Task<bool> LockResidentAsync(UnitOfWork work, Guid residentId, CancellationToken cancellationToken) =>
        await work.Connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(
            "SELECT id FROM residents WHERE id = @ResidentId FOR UPDATE",
            new { ResidentId = residentId }, work.Transaction, cancellationToken: cancellationToken)) is not null;

    public static Task<ErasureRecord?> FindByResidentAsync(UnitOfWork work, Guid residentId, CancellationToken cancellationToken) =>
        work.Connection.QuerySingleOrDefaultAsync<ErasureRecord>(new CommandDefinition(
            $"SELECT {ErasureColumns} FROM resident_erasures WHERE resident_id = @ResidentId",
            new { ResidentId = residentId }, work.Transaction, cancellationToken: cancellationToken));

    /// <summary>Erases the resident (whose row the caller locked) and puts <see cref="ResidentErased"/> in the outbox.</summary>
    public static async Task<ErasureRecord> EraseAsync(
        UnitOfWork work, Guid residentId, string requestedBy, Guid? requestedByPartnerId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var erasure = new ErasureRecord { Id = Guid.CreateVersion7(now), ResidentId = residentId, RequestedBy = requestedBy, ErasedAt = now };
        await work.Connection.ExecuteAsync(new CommandDefinition(
            EraseSql,
            new
            {
                ErasureId = erasure.Id,
                ResidentId = residentId,
                RequestedBy = requestedBy,
                RequestedByPartnerId = requestedByPartnerId,
                ErasedAt = now,
                Service = DataHoldingServices.Residents,
            },
            work.Transaction, cancellationToken: cancellationToken));
        await work.PublishAsync(new ResidentErased(erasure.Id, residentId, now), cancellationToken);
        return erasure;
    }

    /// <summary>Records one service's confirmation; a repeated one keeps the first time.</summary>
    public static Task RecordConfirmationAsync(UnitOfWork work, ResidentErasureConfirmed confirmation, CancellationToken cancellationToken) =>
        work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO resident_erasure_confirmations (erasure_id, service, confirmed_at)
            SELECT id, @Service, @ConfirmedAt FROM resident_erasures WHERE id = @ErasureId AND resident_id = @ResidentId
            ON CONFLICT DO NOTHING
            """,
            new { confirmation.ErasureId, confirmation.ResidentId, confirmation.Service, confirmation.ConfirmedAt },
            work.Transaction, cancellationToken: cancellationToken));

    /// <summary>The proof: the erasure with each service's confirmation time (null: not yet confirmed).</summary>
    public static async Task<ErasureResponse?> GetProofAsync(UnitOfWork work, Guid erasureId, CancellationToken cancellationToken)
    {
        var erasure = await work.Connection.QuerySingleOrDefaultAsync<ErasureRecord>(new CommandDefinition(
            $"SELECT {ErasureColumns} FROM resident_erasures WHERE id = @ErasureId",
            new { ErasureId = erasureId }, work.Transaction, cancellationToken: cancellationToken));
        if (erasure is null)
        {
            return null;
        }

        var confirmations = (await work.Connection.QueryAsync<ConfirmationRow>(new CommandDefinition(
            "SELECT service AS Service, confirmed_at AS ConfirmedAt FROM resident_erasure_confirmations WHERE erasure_id = @ErasureId",
            new { ErasureId = erasureId }, work.Transaction, cancellationToken: cancellationToken)))
            .ToDictionary(row => row.Service, row => row.ConfirmedAt, StringComparer.Ordinal);
        return ErasureResponse.From(erasure, confirmations);
    }

    private sealed record ConfirmationRow
    {
        public required string Service { get; init; }

        public required DateTimeOffset ConfirmedAt { get; init; }
    }
}
