using Dapper;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Messaging;
using Participatie.Contracts;

namespace Participatie.Consultations.SupportMeasurements;

/// <summary>
/// Remembers who lives at the homes of a support measurement, as the residents service resolved them, so that a
/// resident votes online for their own home. Only added to: the answer comes when the measurement opens and again for
/// each resident who registers at, or moves to, one of its homes; a resident who moves away keeps the home they had.
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
            INSERT INTO support_measurement_residents (measurement_id, home_key, resident_id)
            SELECT @MeasurementId, pair.home_key, pair.resident_id
            FROM unnest(@HomeKeys::text[], @ResidentIds::uuid[]) AS pair (home_key, resident_id)
            WHERE EXISTS (SELECT 1 FROM support_measurement_homes h WHERE h.measurement_id = @MeasurementId AND h.home_key = pair.home_key)
            ON CONFLICT DO NOTHING
            """,
            new
            {
                message.MeasurementId,
                HomeKeys = pairs.Select(pair => pair.HomeKey).ToArray(),
                ResidentIds = pairs.Select(pair => pair.ResidentId).ToArray(),
            },
            work.Transaction, cancellationToken: cancellationToken));
    }
}
