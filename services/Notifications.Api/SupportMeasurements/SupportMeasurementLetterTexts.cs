using System.Globalization;
using Participatie.BuildingBlocks.Time;

namespace Participatie.Notifications.SupportMeasurements;

/// <summary>
/// The draagvlakmeting's letters in Dutch at B1 (short sentences, everyday words): the home's voting code, and the
/// written notice of the result. A home has no known language, so Dutch is the one the law and the platform start with.
/// </summary>
public static class SupportMeasurementLetterTexts
{
    public const string Language = "nl";

    /// <summary>Stands in the stored body for the code, which goes into the letter only when it is printed.</summary>
    public const string CodePlaceholder = "{stemcode}";

    private static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl-NL");

    public static (string Title, string Body) VotingCode(string measurementTitle, DateTimeOffset deadline)
    {
        var amsterdam = AmsterdamClock.ToAmsterdam(deadline);
        string[] paragraphs =
        [
            "Beste bewoner,",
            $"Uw verhuurder heeft een voorstel: \"{measurementTitle}\". Alle huurders mogen zeggen of ze het met dit voorstel eens zijn. Elke woning heeft één stem.",
            $"U kunt stemmen tot {amsterdam.ToString("d MMMM yyyy", Dutch)} om {amsterdam.ToString("HH:mm", Dutch)} uur. Tot dan mag u uw stem nog veranderen.",
            "Zo stemt u:",
            "1. Online: log in op het bewonersportaal. Kies daar de draagvlakmeting en geef uw stem.",
            "2. Met de stemcode van deze brief. Daarvoor hoeft u niet in te loggen.",
            $"Uw stemcode is: {CodePlaceholder}",
            "Alleen u krijgt deze code. Uw verhuurder en de andere organisaties kennen hem niet. Geef de code aan niemand anders. Bewaar deze brief goed.",
        ];
        return ($"Uw stem over: {measurementTitle}", string.Join('\n', paragraphs));
    }

    /// <summary>
    /// The notice of art. 7:220 lid 3 BW. Only when 70% agreed is the proposal taken to be reasonable, and only then
    /// does the 8-week court period matter to a tenant who disagrees; otherwise the letter says the proposal lacks support.
    /// </summary>
    public static (string Title, string Body) Result(
        string measurementTitle, int tenantHomes, int agreeing, int disagreeing, bool thresholdMet, DateTimeOffset closedAt, DateOnly courtPeriodEndsOn)
    {
        var notVoted = Math.Max(0, tenantHomes - agreeing - disagreeing);
        var paragraphs = new List<string>
        {
            "Beste bewoner,",
            $"De stemming over het voorstel \"{measurementTitle}\" is gesloten op {AmsterdamClock.ToAmsterdam(closedAt).ToString("d MMMM yyyy", Dutch)}. Dit is de uitslag.",
            $"Er telden {Homes(tenantHomes)} mee.",
            $"- {Homes(agreeing)} {(agreeing == 1 ? "is" : "zijn")} het eens met het voorstel.",
            $"- {Homes(disagreeing)} {(disagreeing == 1 ? "is" : "zijn")} het niet eens met het voorstel.",
            $"- {Homes(notVoted)} {(notVoted == 1 ? "heeft" : "hebben")} niet gestemd.",
        };
        if (thresholdMet)
        {
            paragraphs.Add("Dat is 70 procent of meer. Daarom geldt het voorstel nu als redelijk voor alle huurders.");
            paragraphs.Add(
                $"Bent u het niet eens met het voorstel? Dan mag u de rechter vragen of het voorstel redelijk is. Dat kan tot en met {courtPeriodEndsOn.ToString("d MMMM yyyy", Dutch)}. Daarna kan het niet meer.");
        }
        else
        {
            paragraphs.Add("Dat is minder dan 70 procent. Het voorstel geldt daarom niet vanzelf als redelijk.");
        }

        paragraphs.Add("Hebt u vragen? Neem dan contact op met uw verhuurder of uw huurdersorganisatie.");
        return ($"Uitslag van de stemming: {measurementTitle}", string.Join('\n', paragraphs));
    }

    private static string Homes(int count) => count == 1 ? "1 huurwoning" : $"{count} huurwoningen";
}
