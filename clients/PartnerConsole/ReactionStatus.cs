namespace Participatie.PartnerConsole;

/// <summary>The reaction statuses of the consultations API, in the order a reaction goes through them.</summary>
public static class ReactionStatus
{
    public const string Received = "received";
    public static readonly IReadOnlyList<string> All = [Received, "under-consideration", "adopted", "partly-adopted", "not-adopted"];

    /// <summary>The statuses a partner may answer with (the API refuses "received").</summary>
    public static readonly IReadOnlyList<string> Answers = [.. All.Skip(1)];

    /// <summary>As the API's overdue filter: no outcome yet and the due date has passed.</summary>
    public static bool IsOverdue(Reaction reaction, DateOnly today) =>
        reaction.Status is Received or "under-consideration" && reaction.AnswerDueOn < today;

    public static readonly IReadOnlyList<string> Phases = ["orientation", "plan-making", "decision", "execution", "aftercare"];
}
