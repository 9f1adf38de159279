using Dapper;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Messaging;
using Participatie.Contracts;

namespace Participatie.Consultations.SupportMeasurements;

/// <summary>
/// Remembers who lives at the homes of a support measurement, as the residents service resolved them, so that a
/// resident votes online for their own home. Each announced home comes with its whole current list of residents (when
/// the measurement opens, and again when someone registers at, moves to or moves away from one of its homes), so the
/// list is taken as it is: who is no longer on it no longer sees the measurement nor votes for that home (a vote
/// already cast stays with the home: it is the home's vote).
/// The message carries nothing to order two announcements of one home by. That is enough: the residents service
/// publishes them through one outbox in the order its transactions committed, and a redelivered old one is dropped
/// by the inbox of <see cref="IdempotentConsumer{TMessage}"/>.
/// </summary>
public sealed class SupportMeasurementHomesResolvedConsumer(UnitOfWorkFactory unitOfWork)
    : IdempotentConsumer<SupportMeasurementHomesResolved>(unitOfWork)
{
    protected override Task HandleAsync(SupportMeasurementHomesResolved message, UnitOfWork work, CancellationToken cancellationToken)
    {
        var pairs = message.Homes.SelectMany(home => home.ResidentIds.Select(residentId => (home.HomeKey, ResidentId: residentId))).ToList();
        // Only homes of the measurement: a home key it does not have gets no vote.
        return work.Connection.ExecuteAsync(new CommandDefinition(
            """
            DELETE FROM support_measurement_residents r
            WHERE r.measurement_id = @MeasurementId AND r.home_key = ANY(@AnnouncedHomes)
              AND NOT EXISTS (SELECT 1 FROM unnest(@HomeKeys::text[], @ResidentIds::uuid[]) AS pair (home_key, resident_id)
                              WHERE pair.home_key = r.home_key AND pair.resident_id = r.resident_id);
            INSERT INTO support_measurement_residents (measurement_id, home_key, resident_id)
            SELECT @MeasurementId, pair.home_key, pair.resident_id
            FROM unnest(@HomeKeys::text[], @ResidentIds::uuid[]) AS pair (home_key, resident_id)
            WHERE EXISTS (SELECT 1 FROM support_measurement_homes h WHERE h.measurement_id = @MeasurementId AND h.home_key = pair.home_key)
            ON CONFLICT DO NOTHING
            """,
            new
            {
                message.MeasurementId,
                AnnouncedHomes = message.Homes.Select(home => home.HomeKey).Distinct(StringComparer.Ordinal).ToArray(),
                HomeKeys = pairs.Select(pair => pair.HomeKey).ToArray(),
                ResidentIds = pairs.Select(pair => pair.ResidentId).ToArray(),
            },
            work.Transaction, cancellationToken: cancellationToken));
    }
}
