namespace Participatie.Consultations.Domain;

/// <summary>
/// When a consultation takes reactions: through the end of its closing day in the Netherlands. Today is the date on
/// the shared Amsterdam clock, passed in so that the rule stays pure.
/// </summary>
public static class ConsultationPeriod
{
    public static bool IsOpen(DateOnly closesOn, DateOnly today) => today <= closesOn;
}
