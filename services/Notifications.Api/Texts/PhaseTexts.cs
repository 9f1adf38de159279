using Participatie.Contracts;
using Participatie.Notifications.Domain;

namespace Participatie.Notifications.Texts;

/// <summary>
/// What residents read when their trajectory enters a new phase (words in <c>Texts/Languages/*.json</c>). The
/// trajectory's name is quoted as the partners wrote it.
/// </summary>
public static class PhaseTexts
{
    public static IReadOnlyCollection<string> SupportedLanguages => Languages.All;

    public static NotificationText For(string language, PartnerText trajectoryName, string phase) =>
        TextCatalog.Default.Compose(language, scope => new TextMessage(TextShapes.PhaseTitle, TextShapes.PhaseBody, NotificationTexts.Values(
            ("trajectoryName", scope.PartnerText(trajectoryName)),
            ("phase", scope.Word(TextShapes.Phase(phase), phase)))));
}
