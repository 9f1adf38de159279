using Dapper;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Messaging;
using Participatie.Contracts;

namespace Participatie.Consultations.Residents;

/// <summary>Remembers whom a consultation for some addresses concerns, so that its reach is measured against them.</summary>
public sealed class ConsultationAudienceResolvedConsumer(UnitOfWorkFactory unitOfWork) : IdempotentConsumer<ConsultationAudienceResolved>(unitOfWork)
{
    protected override Task HandleAsync(ConsultationAudienceResolved message, UnitOfWork work, CancellationToken cancellationToken) =>
        work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO consultation_audience (consultation_id, resident_id) SELECT @ConsultationId, unnest(@ResidentIds)
            ON CONFLICT DO NOTHING
            """,
            new { message.ConsultationId, ResidentIds = message.ResidentIds.ToArray() }, work.Transaction, cancellationToken: cancellationToken));
}
