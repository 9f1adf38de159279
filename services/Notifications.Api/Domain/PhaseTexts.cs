using System.Globalization;
using Participatie.Contracts;

namespace Participatie.Notifications.Domain;

/// <summary>
/// What residents read when their trajectory enters a new phase, at B1 level: Dutch first, then the other supported
/// languages. The trajectory's name is quoted as the partners wrote it.
/// </summary>
public static class PhaseTexts
{
    private sealed record Templates(string Title, string Body, IReadOnlyDictionary<string, string> Phases);

    private static readonly Dictionary<string, Templates> ByLanguage = new(StringComparer.Ordinal)
    {
        [Languages.Dutch] = new(
            "{0}: een nieuwe fase",
            "{0} is nu in de fase: {1}. We houden u op de hoogte en vragen uw mening als er iets te kiezen valt.",
            Phases("oriëntatie", "planvorming", "besluitvorming", "uitvoering", "nazorg")),
        [Languages.English] = new(
            "{0}: a new phase",
            "{0} is now in the phase: {1}. We will keep you informed and ask your opinion when there is a choice to make.",
            Phases("orientation", "making the plan", "decision", "carrying out the work", "aftercare")),
        [Languages.Turkish] = new(
            "{0}: yeni bir aşama",
            "{0} şu anda şu aşamada: {1}. Sizi bilgilendireceğiz ve seçim yapılacağı zaman fikrinizi soracağız.",
            Phases("ön inceleme", "plan hazırlama", "karar", "uygulama", "sonrası bakım")),
        [Languages.Arabic] = new(
            "{0}: مرحلة جديدة",
            "{0} الآن في مرحلة: {1}. سنبقيك على اطلاع وسنسألك عن رأيك عندما يكون هناك ما يجب اختياره.",
            Phases("الاستكشاف", "إعداد الخطة", "اتخاذ القرار", "التنفيذ", "المتابعة بعد التنفيذ")),
        [Languages.Polish] = new(
            "{0}: nowy etap",
            "{0} jest teraz na etapie: {1}. Będziemy Cię informować i zapytamy o zdanie, gdy będzie coś do wyboru.",
            Phases("rozpoznanie", "tworzenie planu", "decyzja", "realizacja", "opieka po zakończeniu")),
        [Languages.Ukrainian] = new(
            "{0}: новий етап",
            "{0} зараз на етапі: {1}. Ми будемо вас інформувати і запитаємо вашу думку, коли буде що вибирати.",
            Phases("ознайомлення", "складання плану", "ухвалення рішення", "виконання", "супровід після робіт")),
    };

    public static IReadOnlyCollection<string> SupportedLanguages => ByLanguage.Keys;

    public static NotificationText For(string language, string trajectoryName, string phase)
    {
        var (code, templates) = ByLanguage.TryGetValue(language, out var found)
            ? (language, found)
            : (Languages.Dutch, ByLanguage[Languages.Dutch]);
        var phaseText = templates.Phases.GetValueOrDefault(phase, phase);
        return new NotificationText(
            code,
            string.Format(CultureInfo.InvariantCulture, templates.Title, trajectoryName),
            string.Format(CultureInfo.InvariantCulture, templates.Body, trajectoryName, phaseText));
    }

    private static Dictionary<string, string> Phases(string orientation, string planMaking, string decision, string execution, string aftercare) =>
        new(StringComparer.Ordinal)
        {
            [TrajectoryPhases.Orientation] = orientation,
            [TrajectoryPhases.PlanMaking] = planMaking,
            [TrajectoryPhases.Decision] = decision,
            [TrajectoryPhases.Execution] = execution,
            [TrajectoryPhases.Aftercare] = aftercare,
        };
}
