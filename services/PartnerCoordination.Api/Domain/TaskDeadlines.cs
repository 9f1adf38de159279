namespace Participatie.PartnerCoordination.Domain;

/// <summary>When a task is overdue: its due date has passed in the Netherlands and it is not finished.</summary>
public static class TaskDeadlines
{
    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    /// <summary>Today's date in Europe/Amsterdam: a task due today is not overdue until midnight there, whatever UTC says.</summary>
    public static DateOnly Today(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Amsterdam).DateTime);
    }

    public static bool IsOverdue(DateOnly dueDate, string status, DateOnly today) =>
        dueDate < today && !TaskStatuses.IsFinished(status);
}
