using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Messaging;
using Participatie.Contracts;

namespace Participatie.BuildingBlocks.Trajectories;

/// <summary>Keeps the service's <see cref="TrajectoryProjection"/> up to date.</summary>
public sealed class TrajectoryChangedConsumer(UnitOfWorkFactory unitOfWork) : IdempotentConsumer<TrajectoryChanged>(unitOfWork)
{
    protected override Task HandleAsync(TrajectoryChanged message, UnitOfWork work, CancellationToken cancellationToken) =>
        TrajectoryProjection.ApplyAsync(work, message, cancellationToken);
}
