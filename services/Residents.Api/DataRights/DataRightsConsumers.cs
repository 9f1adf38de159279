using Dapper;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Messaging;
using Participatie.Contracts;

namespace Participatie.Residents.DataRights;

/// <summary>Keeps each service's part of an export; the export is ready once every data-holding service sent one.</summary>
public sealed class ResidentDataExportedConsumer(UnitOfWorkFactory unitOfWork, TimeProvider clock) : IdempotentConsumer<ResidentDataExported>(unitOfWork)
{
    protected override Task HandleAsync(ResidentDataExported message, UnitOfWork work, CancellationToken cancellationToken) =>
        ExportStore.RecordPartAsync(work, message, clock.GetUtcNow(), cancellationToken);
}

/// <summary>Records each service's confirmation of an erasure: the proof.</summary>
public sealed class ResidentErasureConfirmedConsumer(UnitOfWorkFactory unitOfWork) : IdempotentConsumer<ResidentErasureConfirmed>(unitOfWork)
{
    protected override Task HandleAsync(ResidentErasureConfirmed message, UnitOfWork work, CancellationToken cancellationToken) =>
        ErasureStore.RecordConfirmationAsync(work, message, cancellationToken);
}

/// <summary>A reaction is the resident's own action: it keeps them from being anonymised as inactive.</summary>
public sealed class ReactionSubmittedActivityConsumer(UnitOfWorkFactory unitOfWork) : IdempotentConsumer<ReactionSubmitted>(unitOfWork)
{
    protected override Task HandleAsync(ReactionSubmitted message, UnitOfWork work, CancellationToken cancellationToken) =>
        work.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE residents SET last_activity_at = greatest(last_activity_at, @SubmittedAt) WHERE id = @ResidentId",
            new { message.ResidentId, message.SubmittedAt }, work.Transaction, cancellationToken: cancellationToken));
}
