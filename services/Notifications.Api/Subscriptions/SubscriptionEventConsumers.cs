using Dapper;
using MassTransit;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Messaging;
using Participatie.Contracts;

namespace Participatie.Notifications.Subscriptions;

// One consumer per event, each with its own queue beside the consumers that notify residents: a partner's
// subscription never waits for (or fails with) a resident's notification. Data: ids and links only.

/// <summary>
/// Records a domain event for the subscriptions to it. An event no subscription listens for (most of them: every
/// reaction of a busy evening) is acknowledged after one read, without a transaction or an inbox row.
/// </summary>
public abstract class SubscriptionEventConsumer<TMessage>(UnitOfWorkFactory unitOfWork, SubscriptionEvents events)
    : IdempotentConsumer<TMessage>(unitOfWork)
    where TMessage : class
{
    protected SubscriptionEvents Events => events;

    /// <summary>The event's kind, the trajectories whose subscriptions hear of it, and its data.</summary>
    protected abstract SubscriptionEvent Describe(TMessage message);

    // A subscription made after this read does not hear of the event, as when it was made after the event.
    protected override async ValueTask<bool> ConcernsThisServiceAsync(TMessage message, CancellationToken cancellationToken)
    {
        var described = Describe(message);
        return await events.AnyListenerAsync(described.Kind, described.TrajectoryIds, cancellationToken);
    }

    protected override Task HandleAsync(TMessage message, UnitOfWork work, CancellationToken cancellationToken) =>
        events.EnqueueAsync(work, Describe(message), cancellationToken);
}

/// <summary>
/// The one event every reaction of a busy evening raises, so taken in batches: one read finds which of the batch's
/// trajectories anyone listens to, where one read per reaction cost the notifications service more than the
/// reactions' receipts did (issue 7, profiled). Each message that is listened to is then recorded as the other
/// subscription consumers record theirs: its inbox row and its deliveries in one transaction. Reactions the
/// consultations service wrote together come as one <see cref="ReactionsSubmitted"/>, batched the same way.
/// </summary>
public sealed class ReactionSubmittedSubscriptionConsumer(UnitOfWorkFactory unitOfWork, SubscriptionEvents events)
    : IConsumer<Batch<ReactionSubmitted>>, IConsumer<Batch<ReactionsSubmitted>>
{
    public Task Consume(ConsumeContext<Batch<ReactionSubmitted>> context) =>
        RecordAsync([.. context.Message.Select(delivery => (delivery.MessageId, (IReadOnlyList<ReactionSubmitted>)[delivery.Message]))], context.CancellationToken);

    public Task Consume(ConsumeContext<Batch<ReactionsSubmitted>> context) =>
        RecordAsync([.. context.Message.Select(delivery => (delivery.MessageId, delivery.Message.Reactions))], context.CancellationToken);

    private async Task RecordAsync(IReadOnlyList<(Guid? MessageId, IReadOnlyList<ReactionSubmitted> Reactions)> deliveries, CancellationToken cancellationToken)
    {
        var listened = await events.ListenedTrajectoriesAsync(
            EventKinds.ReactionSubmitted, [.. deliveries.SelectMany(delivery => delivery.Reactions).Select(reaction => reaction.TrajectoryId).Distinct()],
            cancellationToken);
        // Should one fail, the batch comes back, and the inbox keeps what was recorded from being recorded twice.
        foreach (var (messageId, reactions) in deliveries)
        {
            var heard = reactions.Where(reaction => listened.Contains(reaction.TrajectoryId)).DistinctBy(reaction => reaction.ReactionId).ToList();
            if (heard.Count == 0)
            {
                continue;
            }

            await using var work = await unitOfWork.BeginAsync(cancellationToken);
            if (await Inbox.RecordFirstDeliveryAsync(
                work, messageId ?? throw new InvalidOperationException("A reaction's event arrived without a message id."), GetType(), cancellationToken))
            {
                foreach (var reaction in heard)
                {
                    await events.EnqueueAsync(work, Describe(reaction), cancellationToken);
                }

                await work.CommitAsync(cancellationToken);
            }
        }
    }

    private SubscriptionEvent Describe(ReactionSubmitted message) =>
        new(EventKinds.ReactionSubmitted, [message.TrajectoryId], message.ReactionId, message.SubmittedAt,
            SubscriptionEventData.Reaction(events, message.ReactionId, message.ConsultationId, message.TrajectoryId, ("answerDueOn", message.AnswerDueOn)));
}

/// <summary>Up to 100 events, or what arrived within 100 ms of the first: a partner's webhook does not wait for that.</summary>
public sealed class ReactionSubmittedSubscriptionConsumerDefinition : ConsumerDefinition<ReactionSubmittedSubscriptionConsumer>
{
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ReactionSubmittedSubscriptionConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        consumerConfigurator.Options<BatchOptions>(batch => batch
            .SetMessageLimit(100)
            .SetTimeLimit(TimeSpan.FromMilliseconds(100))
            .SetConcurrencyLimit(2));
}

public sealed class ReactionAnsweredSubscriptionConsumer(UnitOfWorkFactory unitOfWork, SubscriptionEvents events)
    : SubscriptionEventConsumer<ReactionAnswered>(unitOfWork, events)
{
    protected override SubscriptionEvent Describe(ReactionAnswered message) =>
        new(EventKinds.ReactionAnswered, [message.TrajectoryId], message.ReactionId, message.AnsweredAt,
            SubscriptionEventData.Reaction(Events, message.ReactionId, message.ConsultationId, message.TrajectoryId, ("status", message.Status)));
}

public sealed class ReactionOverdueSubscriptionConsumer(UnitOfWorkFactory unitOfWork, SubscriptionEvents events)
    : SubscriptionEventConsumer<ReactionOverdue>(unitOfWork, events)
{
    protected override SubscriptionEvent Describe(ReactionOverdue message) =>
        new(EventKinds.ReactionOverdue, [message.TrajectoryId], message.ReactionId, message.DetectedAt,
            SubscriptionEventData.Reaction(Events, message.ReactionId, message.ConsultationId, message.TrajectoryId, ("answerDueOn", message.AnswerDueOn)));
}

public sealed class ConsultationOpenedSubscriptionConsumer(UnitOfWorkFactory unitOfWork, SubscriptionEvents events)
    : SubscriptionEventConsumer<ConsultationOpened>(unitOfWork, events)
{
    protected override SubscriptionEvent Describe(ConsultationOpened message) =>
        new(EventKinds.ConsultationOpened, [message.TrajectoryId], message.ConsultationId, message.OpenedAt,
            SubscriptionEventData.Consultation(Events, message.ConsultationId, message.TrajectoryId, ("closesOn", message.ClosesOn)));
}

public sealed class ConsultationClosedSubscriptionConsumer(UnitOfWorkFactory unitOfWork, SubscriptionEvents events)
    : SubscriptionEventConsumer<ConsultationClosed>(unitOfWork, events)
{
    protected override SubscriptionEvent Describe(ConsultationClosed message) =>
        new(EventKinds.ConsultationClosed, [message.TrajectoryId], message.ConsultationId, message.ClosedAt,
            SubscriptionEventData.Consultation(Events, message.ConsultationId, message.TrajectoryId, ("closesOn", message.ClosesOn)));
}

public sealed class SupportMeasurementClosedSubscriptionConsumer(UnitOfWorkFactory unitOfWork, SubscriptionEvents events)
    : SubscriptionEventConsumer<SupportMeasurementClosed>(unitOfWork, events)
{
    protected override SubscriptionEvent Describe(SupportMeasurementClosed message) =>
        new(EventKinds.SupportMeasurementClosed, [message.TrajectoryId], message.MeasurementId, message.ClosedAt,
            new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["supportMeasurementId"] = message.MeasurementId,
                ["trajectoryId"] = message.TrajectoryId,
                // The outcome is the measurement's, not any resident's: the partner needs it to decide on the proposal.
                ["thresholdMet"] = message.ThresholdMet,
                ["courtPeriodEndsOn"] = message.CourtPeriodEndsOn,
                ["links"] = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["supportMeasurement"] = Events.Link($"/v1/support-measurements/{message.MeasurementId}"),
                },
            });
}

public sealed class AdviceDeadlineApproachingSubscriptionConsumer(UnitOfWorkFactory unitOfWork, SubscriptionEvents events)
    : SubscriptionEventConsumer<AdviceDeadlineApproaching>(unitOfWork, events)
{
    protected override SubscriptionEvent Describe(AdviceDeadlineApproaching message) =>
        new(EventKinds.AdviceDeadlineApproaching, [message.TrajectoryId], message.AdviceRequestId, message.RemindedAt,
            new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["adviceRequestId"] = message.AdviceRequestId,
                ["trajectoryId"] = message.TrajectoryId,
                ["deadline"] = message.Deadline,
                ["dueOn"] = message.DueOn,
                ["owedByPartnerId"] = message.OwedByPartnerId,
                ["links"] = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["adviceRequest"] = Events.Link($"/v1/trajectories/{message.TrajectoryId}/advice-requests/{message.AdviceRequestId}"),
                },
            });
}

public sealed class TaskOverdueSubscriptionConsumer(UnitOfWorkFactory unitOfWork, SubscriptionEvents events)
    : SubscriptionEventConsumer<TaskOverdue>(unitOfWork, events)
{
    protected override SubscriptionEvent Describe(TaskOverdue message) =>
        new(EventKinds.TaskOverdue, [message.TrajectoryId], message.TaskId, message.DetectedAt,
            new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["taskId"] = message.TaskId,
                ["trajectoryId"] = message.TrajectoryId,
                ["assigneePartnerId"] = message.AssigneePartnerId,
                ["dueOn"] = message.DueOn,
                ["links"] = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["task"] = Events.Link($"/v1/trajectories/{message.TrajectoryId}/tasks/{message.TaskId}"),
                },
            });
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

        return await events.EnqueueAsync(
            work,
            new SubscriptionEvent(EventKinds.ResidentErased, trajectoryIds, message.ResidentId, message.ErasedAt,
                new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["residentId"] = message.ResidentId,
                    ["erasureId"] = message.ErasureId,
                }),
            cancellationToken);
    }
}
