using Participatie.Contracts;

namespace Participatie.Notifications.Domain;

/// <summary>
/// The consent purpose (<see cref="ConsentPurposes"/>) a notification of a kind is sent for: no notification of a
/// purpose is created or sent to a resident who does not consent to it. Every kind so far is about the consultations
/// of the resident's own buurt or home, hence participation. A kind the resident asked for themselves (a sign-in or
/// confirmation code) needs none: null.
/// </summary>
public static class NotificationPurposes
{
    public static string? Of(string kind) => kind switch
    {
        NotificationKinds.ConsultationOpened or NotificationKinds.ReactionReceived or NotificationKinds.ReactionAnswered
            or NotificationKinds.PhaseChanged or NotificationKinds.Digest => ConsentPurposes.Participation,
        _ when kind.StartsWith("meeting-", StringComparison.Ordinal) => ConsentPurposes.Participation,
        _ => null,
    };
}
