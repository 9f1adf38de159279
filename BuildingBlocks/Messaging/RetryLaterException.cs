namespace Participatie.BuildingBlocks.Messaging;

/// <summary>
/// The one way a consumer says "this message cannot be handled yet, try it again later": typically it refers to
/// something this service has not heard of yet, because the events that announce it travel separately (a
/// <c>ConsultationAudienceResolved</c> before its <c>ConsultationOpened</c>).
/// </summary>
/// <remarks>
/// Thrown from a handler, it rolls back the handler's transaction (an <see cref="IdempotentConsumer{TMessage}"/>
/// records nothing in its inbox), and the bus tries the message again on the slower schedule of
/// <see cref="RetryOptions.RetryLaterIntervals"/> (by default over about ten minutes) instead of the quick one for
/// faults. Only when that schedule runs out does the message go to the queue's <c>_error</c> queue, where nothing is
/// lost and an operator can move it back. Other exceptions are faults: retried quickly, then moved to <c>_error</c>.
/// </remarks>
public sealed class RetryLaterException : Exception
{
    public RetryLaterException()
    {
    }

    public RetryLaterException(string message)
        : base(message)
    {
    }

    public RetryLaterException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
