using Participatie.Contracts;

namespace Participatie.ResidentPortal.Gateway;

// The parts of the platform's public API the portal reads; the gateway's OpenAPI documents say the rest.

public sealed record Page<T>(IReadOnlyList<T> Items, long Total);

public sealed record AddressLookup(string Postcode, int HouseNumber, string? HouseNumberSuffix, string BuurtCode);

public sealed record PublicBuurtConsultations(string BuurtCode, IReadOnlyList<PublicConsultation> Items);

public sealed record PublicConsultation(
    Guid Id, string Title, string Description, string TextLanguage, DateOnly ClosesOn, bool HasQuestionnaire, bool HasPoll,
    IReadOnlyList<PublicMeeting> Meetings);

public sealed record PublicMeeting(string Place, DateTimeOffset StartsAt, DateTimeOffset EndsAt);

public sealed record PublicBuurtTrajectories(string BuurtCode, IReadOnlyList<PublicTrajectory> Items);

public sealed record PublicTrajectory(Guid Id, string Name, string Phase, IReadOnlyList<PublicPhase> Timeline, IReadOnlyList<PublicActivity> UpcomingActivities);

public sealed record PublicPhase(string Phase, DateTimeOffset? StartedAt, bool IsCurrent);

public sealed record PublicActivity(string Kind, string Title, string Place, DateTimeOffset StartsAt, DateTimeOffset EndsAt);

public sealed record SignInChallenge(Guid ChallengeId);

public sealed record Me(
    string FullName, string Postcode, int HouseNumber, string? HouseNumberSuffix, string BuurtCode, string? EmailAddress, string? PhoneNumber,
    string PreferredLanguage, string PreferredChannel, string DigestFrequency);

public sealed record MyConsultation(
    Guid Id, Guid TrajectoryId, string Title, string Description, string TextLanguage, bool InMyLanguage, DateOnly ClosesOn, bool IsOpen,
    bool Reacted, IReadOnlyList<MyMeeting> Meetings, MyQuestionsLink? Questionnaire, MyQuestionsLink? Poll);

public sealed record MyQuestionsLink(Guid Id, bool Answered);

public sealed record MyQuestionnaire(Guid Id, Guid ConsultationId, IReadOnlyList<MyQuestion> Questions, IReadOnlyList<MyAnswer>? MyAnswers);

public sealed record MyQuestion(string Id, string Type, string Text, string TextLanguage, IReadOnlyList<MyOption>? Options);

public sealed record MyOption(string Id, string Text);

public sealed record MyAnswer(string? QuestionId, string? Text, string? OptionId);

public sealed record MyPoll(Guid Id, Guid ConsultationId, string Text, string TextLanguage, IReadOnlyList<MyOption> Options, string? MyChoice);

/// <summary>What the API answers to a vote: the receipt's secret salt (given only this once) and the hash it keeps.</summary>
public sealed record VoteReceipt(Guid MeasurementId, string Choice, string Receipt, string ReceiptHash);

public sealed record MySupportMeasurement(Guid Id, string Title, string Proposal, DateTimeOffset Deadline, string Status, string? MyHomeVote);

/// <summary>The counts are shown as the API gives them: a number, or "&lt; 5" where fewer than five could point at someone.</summary>
public sealed record MyConsultationSummary(
    Guid ConsultationId, string Title, string TitleLanguage, DateOnly ClosesOn, SmallCount ReactionCount, IReadOnlyList<MyThemeSummary> Themes);

public sealed record MyThemeSummary(string Title, string? Description, SmallCount ReactionCount, MyThemeDecision? Decision);

public sealed record MyThemeDecision(string Status, string Explanation, string ExplanationLanguage, DateOnly DecidedOn);

/// <summary>A meeting as a resident sees it: its room left only as "available", "fewPlaces" or "full", never a number.</summary>
public sealed record MyMeeting(Guid Id, string Place, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string Availability, bool Registered)
{
    public bool IsFull => Availability == "full";
}

public sealed record MyReaction(
    Guid Id, Guid ConsultationId, string ConsultationTitle, string Text, string Status, string? Explanation, string? ExplanationLanguage,
    DateTimeOffset SubmittedAt, DateTimeOffset? AnsweredAt, DateOnly AnswerDueOn);

public sealed record DataExport(Guid Id, string Status, DateTimeOffset RequestedAt);

public sealed record Erasure(Guid Id, bool Complete);
