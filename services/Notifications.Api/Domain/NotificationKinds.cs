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

    /// <summary>Several notifications joined into one message, for a resident who asked for a daily or weekly digest.</summary>
    public const string Digest = "digest";
}
