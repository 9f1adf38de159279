namespace Participatie.Contracts;

/// <summary>
/// Languages residents can be reached in: Dutch first, then the most spoken other languages, and Somali and Tigrinya
/// (messages not yet translated into a language reach its speakers in Dutch and English).
/// </summary>
public static class Languages
{
    public const string Dutch = "nl";
    public const string English = "en";
    public const string Turkish = "tr";
    public const string Arabic = "ar";
    public const string Polish = "pl";
    public const string Ukrainian = "uk";
    public const string Somali = "so";
    public const string Tigrinya = "ti";

    public static readonly IReadOnlyList<string> All = [Dutch, English, Turkish, Arabic, Polish, Ukrainian, Somali, Tigrinya];
}

/// <summary>Channels through which a resident is reached.</summary>
public static class Channels
{
    public const string Email = "email";
    public const string Sms = "sms";
    public const string Letter = "letter";
    public const string App = "app";

    public static readonly IReadOnlyList<string> All = [Email, Sms, Letter, App];
}

/// <summary>The status of a resident's reaction, from receipt to the outcome.</summary>
public static class ReactionStatuses
{
    public const string Received = "received";
    public const string UnderConsideration = "under-consideration";
    public const string Adopted = "adopted";
    public const string PartlyAdopted = "partly-adopted";
    public const string NotAdopted = "not-adopted";

    /// <summary>The statuses a partner may give when it answers.</summary>
    public static readonly IReadOnlyList<string> Answers = [UnderConsideration, Adopted, PartlyAdopted, NotAdopted];

    /// <summary>Every status a reaction can have, as answers name it (the OpenAPI documents' enum).</summary>
    public static readonly IReadOnlyList<string> All = [Received, .. Answers];

    public static bool IsOutcome(string status) => status is Adopted or PartlyAdopted or NotAdopted;
}
