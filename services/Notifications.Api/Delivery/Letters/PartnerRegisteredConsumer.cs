using Dapper;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Messaging;
using Participatie.Contracts;

namespace Participatie.Notifications.Delivery.Letters;

/// <summary>Keeps each partner's name, which its letters carry as the sender.</summary>
public sealed class PartnerRegisteredConsumer(UnitOfWorkFactory unitOfWork) : IdempotentConsumer<PartnerRegistered>(unitOfWork)
{
    protected override Task HandleAsync(PartnerRegistered message, UnitOfWork work, CancellationToken cancellationToken) =>
        work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO letter_senders (partner_id, name, registered_at) VALUES (@PartnerId, @Name, @RegisteredAt)
            ON CONFLICT (partner_id) DO UPDATE SET name = excluded.name
            """,
            new { message.PartnerId, message.Name, message.RegisteredAt },
            work.Transaction,
            cancellationToken: cancellationToken));
}
