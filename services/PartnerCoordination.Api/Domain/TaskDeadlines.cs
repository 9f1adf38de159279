namespace Participatie.PartnerCoordination.Domain;

/// <summary>When a task is overdue: its due date has passed in the Netherlands and it is not finished.</summary>
public static class TaskDeadlines
{
    /// <summary>
    /// Today is the date in the Netherlands (the shared Amsterdam clock's): a task due today is not overdue until
    /// midnight there, whatever UTC says.
    /// </summary>
    public static bool IsOverdue(DateOnly dueDate, string status, DateOnly today) =>
        dueDate < today && !TaskStatuses.IsFinished(status);
}
