using Dapper;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Messaging;
using Participatie.Contracts;

namespace Participatie.Residents.Audiences;

/// <summary>
/// For a consultation meant for some addresses only, tells the other services which residents live there, by their
/// pseudonymous ids: the addresses never travel with the ids.
/// </summary>
public sealed class ConsultationOpenedConsumer(UnitOfWorkFactory unitOfWork) : IdempotentConsumer<ConsultationOpened>(unitOfWork)
{
    protected override async Task HandleAsync(ConsultationOpened message, UnitOfWork work, CancellationToken cancellationToken)
    {
        if (message.AddressKeys is not { Count: > 0 } keys)
        {
            return;
        }

        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO address_scoped_consultations (consultation_id, trajectory_id) VALUES (@ConsultationId, @TrajectoryId)
            ON CONFLICT DO NOTHING;
            INSERT INTO address_scoped_consultation_keys (consultation_id, address_key) SELECT @ConsultationId, unnest(@Keys)
            ON CONFLICT DO NOTHING;
            """,
            new { message.ConsultationId, message.TrajectoryId, Keys = keys.ToArray() }, work.Transaction, cancellationToken: cancellationToken));
        var residents = (await work.Connection.QueryAsync<Guid>(new CommandDefinition(
            "SELECT id FROM residents WHERE address_key = ANY(@Keys) ORDER BY id",
            new { Keys = keys.ToArray() }, work.Transaction, cancellationToken: cancellationToken))).AsList();
        await work.PublishAsync(new ConsultationAudienceResolved(message.ConsultationId, message.TrajectoryId, residents), cancellationToken);
    }
}
