using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Messaging;
using Participatie.BuildingBlocks.Time;
using Participatie.Contracts;
using Participatie.Notifications.Domain;
using Participatie.Notifications.Recipients;
using Participatie.Notifications.Texts;

namespace Participatie.Notifications.Trajectories;

/// <summary>
/// Tells every known resident of the trajectory's buurten, in their own language, that a new phase began: at most once
/// per trajectory and Amsterdam day (the database's unique key drops the day's later phase messages), so that moving a
/// phase back and forth does not flood the residents.
/// </summary>
public sealed class TrajectoryPhaseChangedConsumer(UnitOfWorkFactory unitOfWork) : IdempotentConsumer<TrajectoryPhaseChanged>(unitOfWork)
{
    protected override async Task HandleAsync(TrajectoryPhaseChanged message, UnitOfWork work, CancellationToken cancellationToken)
    {
        var texts = PhaseTexts.SupportedLanguages.Select(language => PhaseTexts.For(language, message.TrajectoryName, message.Phase)).ToArray();
        await NotificationStore.RecordForBuurtenAsync(
            work, NotificationKinds.PhaseChanged, message.TrajectoryId, message.TrajectoryId, null, message.BuurtCodes, texts, cancellationToken,
            phaseDay: DateOnly.FromDateTime(AmsterdamClock.ToAmsterdam(message.ChangedAt).DateTime));
    }
}
