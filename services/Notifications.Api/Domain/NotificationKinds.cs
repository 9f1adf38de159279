namespace Participatie.Notifications.Domain;

public static class NotificationKinds
{
    /// <summary>A resident is invited to react to a consultation in their buurt.</summary>
    public const string ConsultationOpened = "consultation-opened";

    /// <summary>A resident's reaction arrived.</summary>
    public const string ReactionReceived = "reaction-received";

    /// <summary>A resident's reaction was answered, or its answer changed.</summary>
    public const string ReactionAnswered = "reaction-answered";

    /// <summary>The resident's trajectory entered a new phase.</summary>
    public const string PhaseChanged = "phase-changed";

    /// <summary>A reminder of a meeting the resident registered for.</summary>
    public const string MeetingReminder = "meeting-reminder";

    /// <summary>Several notifications joined into one message, for a resident who asked for a daily or weekly digest.</summary>
    public const string Digest = "digest";

    /// <summary>A one-time code to sign in with (by e-mail, SMS or letter).</summary>
    public const string SignInCode = "sign-in-code";

    /// <summary>A code that confirms a new e-mail address or phone number, sent to that new address.</summary>
    public const string ContactConfirmation = "contact-confirmation";

    /// <summary>
    /// Asked for by the resident right now and worthless in an hour: they go first, quiet hours do not hold them, a
    /// digest never takes them, and a failed one is not sent again by letter.
    /// </summary>
    public static readonly IReadOnlyList<string> AnsweringTheResidentNow = [SignInCode, ContactConfirmation];

    /// <summary>Every kind a notification is recorded under (the OpenAPI documents' enum).</summary>
    public static readonly IReadOnlyList<string> All =
    [
        ConsultationOpened, ReactionReceived, ReactionAnswered, PhaseChanged, MeetingReminder, Digest,
        SignInCode, ContactConfirmation,
    ];
}
