using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Messaging;
using Participatie.BuildingBlocks.Residents;
using Participatie.Contracts;

namespace Participatie.Consultations.Residents;

/// <summary>Keeps the pseudonymous picture of the residents a consultation concerns, to measure whom it reaches.</summary>
public sealed class ResidentRegisteredConsumer(UnitOfWorkFactory unitOfWork) : IdempotentConsumer<ResidentRegistered>(unitOfWork)
{
    protected override async Task HandleAsync(ResidentRegistered message, UnitOfWork work, CancellationToken cancellationToken)
    {
        await ResidentsConcernedStore.UpsertAsync(work, [message], cancellationToken);
        await ResidentPartnerLinks.RecordAsync(work, [message], cancellationToken);
    }
}
