using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Messaging;
using Participatie.Contracts;

namespace Participatie.Notifications.Residents;

/// <summary>A new resident: remembered and invited like those of a bulk registration (<see cref="Newcomers"/>).</summary>
public sealed class ResidentRegisteredConsumer(UnitOfWorkFactory unitOfWork) : IdempotentConsumer<ResidentRegistered>(unitOfWork)
{
    protected override Task HandleAsync(ResidentRegistered message, UnitOfWork work, CancellationToken cancellationToken) =>
        Newcomers.WelcomeAsync(work, [message], cancellationToken);
}
