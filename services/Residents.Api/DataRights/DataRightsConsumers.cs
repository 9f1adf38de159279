using Dapper;
using MassTransit;
using Npgsql;
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

/// <summary>
/// The residents who acted themselves in consultations (reactions, answers, meeting registrations), reported by that
/// service in hourly batches: it keeps them from being anonymised as inactive.
/// </summary>
public sealed class ResidentsWereActiveConsumer(UnitOfWorkFactory unitOfWork) : IdempotentConsumer<ResidentsWereActive>(unitOfWork)
{
    protected override Task HandleAsync(ResidentsWereActive message, UnitOfWork work, CancellationToken cancellationToken) =>
        message.ResidentIds.Count == 0
            ? Task.CompletedTask
            : ResidentActivity.RecordAsync(work, message.ResidentIds, message.ActiveUntil, cancellationToken);
}

/// <summary>
/// The residents registered for a meeting that starts within a day take part in it: activity, as of the meeting's start
/// (the only event that names who registered for a meeting; the registration itself is not published).
/// </summary>
public sealed class MeetingReminderDueActivityConsumer(UnitOfWorkFactory unitOfWork) : IdempotentConsumer<MeetingReminderDue>(unitOfWork)
{
    protected override Task HandleAsync(MeetingReminderDue message, UnitOfWork work, CancellationToken cancellationToken) =>
        message.ResidentIds.Count == 0
            ? Task.CompletedTask
            : ResidentActivity.RecordAsync(work, message.ResidentIds, message.StartsAt, cancellationToken);
}
