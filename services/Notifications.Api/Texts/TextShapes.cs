using Participatie.Contracts;

namespace Participatie.Notifications.Texts;

/// <summary>
/// Every key a language file may hold, with the placeholders its model provides. The catalog renders each template
/// with these sample values when it loads, so a template that uses a placeholder its model does not provide (or a
/// misspelt key) stops the service at start instead of failing one resident's message later.
/// </summary>
public static class TextShapes
{
    public const string InvitationTitle = "invitation.title";
    public const string InvitationBody = "invitation.body";
    public const string ReceiptTitle = "receipt.title";
    public const string ReceiptBody = "receipt.body";
    public const string ReceiptBodyWithDeadline = "receipt.bodyWithDeadline";
    public const string AnswerTitle = "answer.title";
    public const string AnswerBody = "answer.body";
    public const string PhaseTitle = "phase.title";
    public const string PhaseBody = "phase.body";
    public const string MeetingReminderTitle = "meetingReminder.title";
    public const string MeetingReminderBody = "meetingReminder.body";
    public const string FallbackNotice = "fallback.notice";
    public const string NotTranslated = "partnerText.notTranslated";
    public const string SignInCodeTitle = "signInCode.title";
    public const string SignInCodeBody = "signInCode.body";
    public const string SignInCodeLetterBody = "signInCode.letterBody";
    public const string ContactConfirmationTitle = "contactConfirmation.title";
    public const string ContactConfirmationBody = "contactConfirmation.body";

    public static string ReactionStatus(string status) => $"reactionStatus.{status}";

    public static string Phase(string phase) => $"phase.{phase}";

    public static string DigestTitle(string frequency) => $"digest.{frequency}.title";

    public static string DigestBody(string frequency) => $"digest.{frequency}.body";

    /// <summary>The frequencies a digest is sent at; "immediately" needs none.</summary>
    public static readonly IReadOnlyList<string> DigestFrequencies = [Contracts.DigestFrequencies.Daily, Contracts.DigestFrequencies.Weekly];

    /// <summary>Each key with the sample model it is rendered with when the catalog loads.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, object>> Samples = BuildSamples();

    private static Dictionary<string, IReadOnlyDictionary<string, object>> BuildSamples()
    {
        var samples = new Dictionary<string, IReadOnlyDictionary<string, object>>(StringComparer.Ordinal)
        {
            [InvitationTitle] = Model("consultationTitle"),
            [InvitationBody] = Model("consultationTitle", "closesOn"),
            [ReceiptTitle] = Model(),
            [ReceiptBody] = Model("consultationTitle"),
            [ReceiptBodyWithDeadline] = Model("consultationTitle", "answerDueOn"),
            [AnswerTitle] = Model("consultationTitle", "status"),
            [AnswerBody] = Model("consultationTitle", "status", "explanation"),
            [PhaseTitle] = Model("trajectoryName", "phase"),
            [PhaseBody] = Model("trajectoryName", "phase"),
            [MeetingReminderTitle] = Model("consultationTitle", "place"),
            [MeetingReminderBody] = Model("consultationTitle", "place", "date", "startsAt", "endsAt"),
            [FallbackNotice] = Model(),
            [NotTranslated] = Model(),
            [SignInCodeTitle] = Model(),
            [SignInCodeBody] = Model("code", "minutes"),
            [SignInCodeLetterBody] = Model("code", "validUntil"),
            [ContactConfirmationTitle] = Model(),
            [ContactConfirmationBody] = Model("code", "minutes"),
        };
        foreach (var status in ReactionStatuses.Answers)
        {
            samples[ReactionStatus(status)] = Model();
        }

        foreach (var phase in TrajectoryPhases.All)
        {
            samples[Phase(phase)] = Model();
        }

        foreach (var frequency in DigestFrequencies)
        {
            samples[DigestTitle(frequency)] = Model("count");
            samples[DigestBody(frequency)] = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["count"] = "2",
                ["items"] = new[] { DigestItem("Titel", "Tekst."), DigestItem("Titel 2", "Tekst 2.") },
            };
        }

        return samples;
    }

    /// <summary>One notification as a digest template sees it: <c>item.title</c> and <c>item.body</c>.</summary>
    public static IReadOnlyDictionary<string, object> DigestItem(string title, string body) =>
        new Dictionary<string, object>(StringComparer.Ordinal) { ["title"] = title, ["body"] = body };

    private static Dictionary<string, object> Model(params string[] placeholders) =>
        placeholders.ToDictionary(name => name, name => (object)$"[{name}]", StringComparer.Ordinal);
}
