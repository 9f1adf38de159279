using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Messaging;
using Participatie.Contracts;

namespace Participatie.Notifications.DataRights;

/// <summary>Answers an export request with everything this service holds on the resident.</summary>
public sealed class ResidentDataExportRequestedConsumer(UnitOfWorkFactory unitOfWork, TimeProvider clock)
    : IdempotentConsumer<ResidentDataExportRequested>(unitOfWork)
{
    protected override async Task HandleAsync(ResidentDataExportRequested message, UnitOfWork work, CancellationToken cancellationToken)
    {
        var data = await ResidentDataStore.ExportAsync(work, message.ResidentId, cancellationToken);
        await work.PublishAsync(
            new ResidentDataExported(message.ExportId, message.ResidentId, DataHoldingServices.Notifications, data, clock.GetUtcNow()), cancellationToken);
    }
}

/// <summary>Honours an erasure and confirms it in the same transaction; the inbox makes a second delivery a no-op.</summary>
public sealed class ResidentErasedConsumer(UnitOfWorkFactory unitOfWork, TimeProvider clock) : IdempotentConsumer<ResidentErased>(unitOfWork)
{
    protected override async Task HandleAsync(ResidentErased message, UnitOfWork work, CancellationToken cancellationToken)
    {
        if (!await ResidentDataStore.EraseAsync(work, message.ResidentId, message.ErasureId, message.ErasedAt, cancellationToken))
        {
            return;
        }

        await work.PublishAsync(
            new ResidentErasureConfirmed(message.ErasureId, message.ResidentId, DataHoldingServices.Notifications, clock.GetUtcNow()), cancellationToken);
    }
}
