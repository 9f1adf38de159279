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

    /// <summary>Fewer places left than this read as "few places": the threshold under which a count is never shown.</summary>
    public const int FewPlacesBelow = 5;

    /// <summary>
    /// What a resident is told of the room left: no number, because capacity minus places left is the number of
    /// registrations, which for 1 to 4 would point at the few residents who registered.
    /// </summary>
    public static string AvailabilityOf(int placesLeft) => placesLeft switch
    {
        <= 0 => MeetingAvailability.Full,
        < FewPlacesBelow => MeetingAvailability.FewPlaces,
        _ => MeetingAvailability.Available,
    };

    /// <summary>Attendance can only be known once the meeting has begun.</summary>
    public static bool CanRecordAttendance(DateTimeOffset startsAt, DateTimeOffset now) => now >= startsAt;
}

/// <summary>How much room a meeting has left, as residents see it (<see cref="MeetingRules.AvailabilityOf"/>).</summary>
public static class MeetingAvailability
{
    /// <summary>Five places or more are left.</summary>
    public const string Available = "available";

    /// <summary>One to four places are left.</summary>
    public const string FewPlaces = "fewPlaces";

    /// <summary>No place is left.</summary>
    public const string Full = "full";

    public static readonly IReadOnlyList<string> All = [Available, FewPlaces, Full];
}
