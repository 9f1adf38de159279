using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Messaging;
using Participatie.Contracts;
using Participatie.Notifications.Subscriptions;

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
public sealed class ResidentErasedConsumer(UnitOfWorkFactory unitOfWork, TimeProvider clock, SubscriptionEvents subscriptionEvents)
    : IdempotentConsumer<ResidentErased>(unitOfWork)
{
    protected override async Task HandleAsync(ResidentErased message, UnitOfWork work, CancellationToken cancellationToken)
    {
        // Partners' subscriptions hear of it first, while the rows still say in which trajectories the resident was known.
        await ResidentErasedSubscriptions.EnqueueAsync(subscriptionEvents, work, message, cancellationToken);
        if (!await ResidentDataStore.EraseAsync(work, message.ResidentId, message.ErasureId, message.ErasedAt, cancellationToken))
        {
            return;
        }

        await work.PublishAsync(
            new ResidentErasureConfirmed(message.ErasureId, message.ResidentId, DataHoldingServices.Notifications, clock.GetUtcNow()), cancellationToken);
    }
}
