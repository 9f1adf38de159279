namespace Participatie.Consultations.Domain;

/// <summary>The rules of a meeting that need no database: when it may be planned, and when a reminder is due.</summary>
public static class MeetingRules
{
    public const int MinimumCapacity = 1;
    public const int MaximumCapacity = 1000;

    /// <summary>How long before the start residents are reminded: the day before.</summary>
    public static readonly TimeSpan ReminderLead = TimeSpan.FromHours(24);

    /// <summary>The field and message of the first thing wrong with a planned time, or null when it may be planned.</summary>
    public static (string Field, string Message)? CheckTimes(DateTimeOffset startsAt, DateTimeOffset endsAt, DateTimeOffset now)
    {
        if (startsAt <= now)
        {
            return ("startsAt", "'startsAt' must be in the future.");
        }

        return endsAt <= startsAt ? ("endsAt", "'endsAt' must be after 'startsAt'.") : null;
    }

    /// <summary>A reminder is due from a day before the start until the start; after that it would come too late.</summary>
    public static bool IsReminderDue(DateTimeOffset startsAt, DateTimeOffset now) =>
        now < startsAt && startsAt - now <= ReminderLead;

    /// <summary>Attendance can only be known once the meeting has begun.</summary>
    public static bool CanRecordAttendance(DateTimeOffset startsAt, DateTimeOffset now) => now >= startsAt;
}
