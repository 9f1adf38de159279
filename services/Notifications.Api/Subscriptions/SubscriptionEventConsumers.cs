using Dapper;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Messaging;
using Participatie.Contracts;

namespace Participatie.Notifications.Subscriptions;

// One consumer per event, each with its own queue beside the consumers that notify residents: a partner's
// subscription never waits for (or fails with) a resident's notification. Data: ids and links only.

public sealed class ReactionSubmittedSubscriptionConsumer(UnitOfWorkFactory unitOfWork, SubscriptionEvents events)
    : IdempotentConsumer<ReactionSubmitted>(unitOfWork)
{
    protected override Task HandleAsync(ReactionSubmitted message, UnitOfWork work, CancellationToken cancellationToken) =>
        events.EnqueueAsync(work, EventKinds.ReactionSubmitted, [message.TrajectoryId], message.ReactionId, message.SubmittedAt,
            SubscriptionEventData.Reaction(events, message.ReactionId, message.ConsultationId, message.TrajectoryId, ("answerDueOn", message.AnswerDueOn)),
            cancellationToken);
}

public sealed class ReactionAnsweredSubscriptionConsumer(UnitOfWorkFactory unitOfWork, SubscriptionEvents events)
    : IdempotentConsumer<ReactionAnswered>(unitOfWork)
{
    protected override Task HandleAsync(ReactionAnswered message, UnitOfWork work, CancellationToken cancellationToken) =>
        events.EnqueueAsync(work, EventKinds.ReactionAnswered, [message.TrajectoryId], message.ReactionId, message.AnsweredAt,
            SubscriptionEventData.Reaction(events, message.ReactionId, message.ConsultationId, message.TrajectoryId, ("status", message.Status)),
            cancellationToken);
}

public sealed class ReactionOverdueSubscriptionConsumer(UnitOfWorkFactory unitOfWork, SubscriptionEvents events)
    : IdempotentConsumer<ReactionOverdue>(unitOfWork)
{
    protected override Task HandleAsync(ReactionOverdue message, UnitOfWork work, CancellationToken cancellationToken) =>
        events.EnqueueAsync(work, EventKinds.ReactionOverdue, [message.TrajectoryId], message.ReactionId, message.DetectedAt,
            SubscriptionEventData.Reaction(events, message.ReactionId, message.ConsultationId, message.TrajectoryId, ("answerDueOn", message.AnswerDueOn)),
            cancellationToken);
}

public sealed class ConsultationOpenedSubscriptionConsumer(UnitOfWorkFactory unitOfWork, SubscriptionEvents events)
    : IdempotentConsumer<ConsultationOpened>(unitOfWork)
{
    protected override Task HandleAsync(ConsultationOpened message, UnitOfWork work, CancellationToken cancellationToken) =>
        events.EnqueueAsync(work, EventKinds.ConsultationOpened, [message.TrajectoryId], message.ConsultationId, message.OpenedAt,
            SubscriptionEventData.Consultation(events, message.ConsultationId, message.TrajectoryId, ("closesOn", message.ClosesOn)),
            cancellationToken);
}

public sealed class ConsultationClosedSubscriptionConsumer(UnitOfWorkFactory unitOfWork, SubscriptionEvents events)
    : IdempotentConsumer<ConsultationClosed>(unitOfWork)
{
    protected override Task HandleAsync(ConsultationClosed message, UnitOfWork work, CancellationToken cancellationToken) =>
        events.EnqueueAsync(work, EventKinds.ConsultationClosed, [message.TrajectoryId], message.ConsultationId, message.ClosedAt,
            SubscriptionEventData.Consultation(events, message.ConsultationId, message.TrajectoryId, ("closesOn", message.ClosesOn)),
            cancellationToken);
}

public sealed class SupportMeasurementClosedSubscriptionConsumer(UnitOfWorkFactory unitOfWork, SubscriptionEvents events)
    : IdempotentConsumer<SupportMeasurementClosed>(unitOfWork)
{
    protected override Task HandleAsync(SupportMeasurementClosed message, UnitOfWork work, CancellationToken cancellationToken) =>
        events.EnqueueAsync(work, EventKinds.SupportMeasurementClosed, [message.TrajectoryId], message.MeasurementId, message.ClosedAt,
            new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["supportMeasurementId"] = message.MeasurementId,
                ["trajectoryId"] = message.TrajectoryId,
                // The outcome is the measurement's, not any resident's: the partner needs it to decide on the proposal.
                ["thresholdMet"] = message.ThresholdMet,
                ["courtPeriodEndsOn"] = message.CourtPeriodEndsOn,
                ["links"] = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["supportMeasurement"] = events.Link($"/v1/support-measurements/{message.MeasurementId}"),
                },
            },
            cancellationToken);
}

public sealed class AdviceDeadlineApproachingSubscriptionConsumer(UnitOfWorkFactory unitOfWork, SubscriptionEvents events)
    : IdempotentConsumer<AdviceDeadlineApproaching>(unitOfWork)
{
    protected override Task HandleAsync(AdviceDeadlineApproaching message, UnitOfWork work, CancellationToken cancellationToken) =>
        events.EnqueueAsync(work, EventKinds.AdviceDeadlineApproaching, [message.TrajectoryId], message.AdviceRequestId, message.RemindedAt,
            new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["adviceRequestId"] = message.AdviceRequestId,
                ["trajectoryId"] = message.TrajectoryId,
                ["deadline"] = message.Deadline,
                ["dueOn"] = message.DueOn,
                ["owedByPartnerId"] = message.OwedByPartnerId,
                ["links"] = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["adviceRequest"] = events.Link($"/v1/trajectories/{message.TrajectoryId}/advice-requests/{message.AdviceRequestId}"),
                },
            },
            cancellationToken);
}

public sealed class TaskOverdueSubscriptionConsumer(UnitOfWorkFactory unitOfWork, SubscriptionEvents events)
    : IdempotentConsumer<TaskOverdue>(unitOfWork)
{
    protected override Task HandleAsync(TaskOverdue message, UnitOfWork work, CancellationToken cancellationToken) =>
        events.EnqueueAsync(work, EventKinds.TaskOverdue, [message.TrajectoryId], message.TaskId, message.DetectedAt,
            new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["taskId"] = message.TaskId,
                ["trajectoryId"] = message.TrajectoryId,
                ["assigneePartnerId"] = message.AssigneePartnerId,
                ["dueOn"] = message.DueOn,
                ["links"] = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["task"] = events.Link($"/v1/trajectories/{message.TrajectoryId}/tasks/{message.TaskId}"),
                },
            },
            cancellationToken);
}

/// <summary>The data of the events, shared by the kinds about one thing.</summary>
internal static class SubscriptionEventData
{
    public static Dictionary<string, object?> Reaction(
        SubscriptionEvents events, Guid reactionId, Guid consultationId, Guid trajectoryId, (string Name, object? Value) extra) =>
        new(StringComparer.Ordinal)
        {
            ["reactionId"] = reactionId,
            ["consultationId"] = consultationId,
            ["trajectoryId"] = trajectoryId,
            [extra.Name] = extra.Value,
            ["links"] = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["reaction"] = events.Link($"/v1/consultations/{consultationId}/reactions/{reactionId}"),
                ["consultation"] = events.Link($"/v1/consultations/{consultationId}"),
            },
        };

    public static Dictionary<string, object?> Consultation(
        SubscriptionEvents events, Guid consultationId, Guid trajectoryId, (string Name, object? Value) extra) =>
        new(StringComparer.Ordinal)
        {
            ["consultationId"] = consultationId,
            ["trajectoryId"] = trajectoryId,
            [extra.Name] = extra.Value,
            ["links"] = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["consultation"] = events.Link($"/v1/consultations/{consultationId}"),
            },
        };
}

/// <summary>
/// A resident's erasure, for the subscriptions of every trajectory the resident was known in: the trajectories over
/// the resident's buurt and those the resident had notifications from. Called by the erasure consumer in its own
/// transaction, before it deletes what it held: afterwards nothing would say where the resident lived.
/// </summary>
public static class ResidentErasedSubscriptions
{
    public static async Task<int> EnqueueAsync(SubscriptionEvents events, UnitOfWork work, ResidentErased message, CancellationToken cancellationToken)
    {
        var trajectoryIds = (await work.Connection.QueryAsync<Guid>(new CommandDefinition(
            """
            SELECT t.id FROM trajectory_projection t JOIN recipients r ON r.buurt_code = ANY(t.buurt_codes) WHERE r.resident_id = @ResidentId
            UNION
            SELECT DISTINCT trajectory_id FROM notifications WHERE resident_id = @ResidentId AND trajectory_id IS NOT NULL
            """,
            new { message.ResidentId }, work.Transaction, cancellationToken: cancellationToken))).AsList();
        if (trajectoryIds.Count == 0)
        {
            return 0;
        }

        return await events.EnqueueAsync(work, EventKinds.ResidentErased, trajectoryIds, message.ResidentId, message.ErasedAt,
            new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["residentId"] = message.ResidentId,
                ["erasureId"] = message.ErasureId,
            },
            cancellationToken);
    }
}
