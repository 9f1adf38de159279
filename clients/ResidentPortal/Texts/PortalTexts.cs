namespace Participatie.ResidentPortal.Texts;

/// <summary>
/// Every text of the portal, once per language (Texts/PortalTexts.*.cs). Each is required, so a language that misses
/// one does not compile; a unit test checks that none is empty and the placeholders match the Dutch.
/// Dutch is written first and at B1: short sentences, everyday words, "u".
/// </summary>
public sealed record PortalTexts
{
    // Every page
    public required string SiteName { get; init; }
    public required string SkipLink { get; init; }
    public required string LanguageMenu { get; init; }
    public required string MainMenu { get; init; }
    public required string NavHome { get; init; }
    public required string NavMyConsultations { get; init; }
    public required string NavMyReactions { get; init; }
    public required string NavSettings { get; init; }
    public required string NavMyData { get; init; }
    public required string SignIn { get; init; }
    public required string SignOut { get; init; }
    public required string ErrorSummaryTitle { get; init; }
    public required string ErrorPrefix { get; init; }
    public required string SomethingWentWrong { get; init; }
    public required string NotFoundTitle { get; init; }
    public required string NotFoundText { get; init; }
    public required string NotTranslated { get; init; }
    public required string Optional { get; init; }

    // Start page and buurt
    public required string HomeTitle { get; init; }
    public required string HomeIntro { get; init; }
    public required string Postcode { get; init; }
    public required string PostcodeHint { get; init; }
    public required string HouseNumber { get; init; }
    public required string HouseNumberSuffix { get; init; }
    public required string ShowMyBuurt { get; init; }
    public required string ErrorPostcode { get; init; }
    public required string ErrorHouseNumber { get; init; }
    public required string ErrorPostcodeUnknown { get; init; }
    public required string BuurtTitle { get; init; }
    public required string BuurtNothingOpen { get; init; }
    public required string OpenUntil { get; init; }
    public required string Meetings { get; init; }
    public required string HasQuestionnaire { get; init; }
    public required string HasPoll { get; init; }
    public required string SignInToTakePart { get; init; }
    public required string PlansTitle { get; init; }
    public required string PlanStageLabel { get; init; }
    public required string PhaseOrientation { get; init; }
    public required string PhasePlanMaking { get; init; }
    public required string PhaseDecision { get; init; }
    public required string PhaseExecution { get; init; }
    public required string PhaseAftercare { get; init; }
    public required string PhaseNow { get; init; }
    public required string PhaseSince { get; init; }
    public required string ComingUp { get; init; }
    public required string SignedOut { get; init; }

    // Sign-in
    public required string SignInTitle { get; init; }
    public required string SignInIntro { get; init; }
    public required string EmailAddress { get; init; }
    public required string PhoneNumber { get; init; }
    public required string PhoneHint { get; init; }
    public required string SharedAddressLegend { get; init; }
    public required string SendCode { get; init; }
    public required string ErrorEmailOrPhone { get; init; }
    public required string CodeTitle { get; init; }
    public required string CodeIntro { get; init; }
    public required string Code { get; init; }
    public required string CodeHint { get; init; }
    public required string Confirm { get; init; }
    public required string ErrorCode { get; init; }
    public required string ErrorTooManyTries { get; init; }
    public required string LetterTitle { get; init; }
    public required string LetterIntro { get; init; }
    public required string LetterCode { get; init; }

    // My consultations and reactions
    public required string MyConsultationsTitle { get; init; }
    public required string MyConsultationsNone { get; init; }
    public required string ReactLink { get; init; }
    public required string YouReacted { get; init; }
    public required string YourReaction { get; init; }
    public required string YourReactionHint { get; init; }
    public required string SendReaction { get; init; }
    public required string ErrorReactionText { get; init; }
    public required string ReactionSent { get; init; }
    public required string PlacesAvailable { get; init; }
    public required string FewPlacesLeft { get; init; }
    public required string Register { get; init; }
    public required string CancelRegistration { get; init; }
    public required string YouAreRegistered { get; init; }
    public required string MeetingFull { get; init; }
    public required string MyReactionsTitle { get; init; }
    public required string MyReactionsNone { get; init; }
    public required string Status { get; init; }
    public required string AnswerFromPartner { get; init; }
    public required string AnswerDueOn { get; init; }
    public required string StatusReceived { get; init; }
    public required string StatusUnderConsideration { get; init; }
    public required string StatusAdopted { get; init; }
    public required string StatusPartlyAdopted { get; init; }
    public required string StatusNotAdopted { get; init; }

    // Settings
    public required string SettingsTitle { get; init; }
    public required string PreferredLanguage { get; init; }
    public required string PreferredChannel { get; init; }
    public required string DigestFrequency { get; init; }
    public required string ChannelEmail { get; init; }
    public required string ChannelSms { get; init; }
    public required string ChannelLetter { get; init; }
    public required string ChannelApp { get; init; }
    public required string DigestImmediately { get; init; }
    public required string DigestDaily { get; init; }
    public required string DigestWeekly { get; init; }
    public required string Save { get; init; }
    public required string Saved { get; init; }

    // My data
    public required string MyDataTitle { get; init; }
    public required string ExportTitle { get; init; }
    public required string ExportIntro { get; init; }
    public required string RequestExport { get; init; }
    public required string ExportPending { get; init; }
    public required string ExportReady { get; init; }
    public required string DownloadJson { get; init; }
    public required string DownloadPdf { get; init; }
    public required string ErasureTitle { get; init; }
    public required string ErasureIntro { get; init; }
    public required string ErasureConfirm { get; init; }
    public required string EraseButton { get; init; }
    public required string ErrorErasureConfirm { get; init; }
    public required string ErasureDone { get; init; }

    // Questionnaires, polls, the draagvlakmeting and "you said, we did"
    public required string QuestionnaireTitle { get; init; }
    public required string PollTitle { get; init; }
    public required string OpenQuestionnaire { get; init; }
    public required string OpenPoll { get; init; }
    public required string AlreadyAnswered { get; init; }
    public required string SendAnswers { get; init; }
    public required string AnswersSaved { get; init; }
    public required string ErrorChooseOption { get; init; }
    public required string NavSupport { get; init; }
    public required string SupportTitle { get; init; }
    public required string SupportIntro { get; init; }
    public required string SupportNone { get; init; }
    public required string VoteUntil { get; init; }
    public required string YourHomeVote { get; init; }
    public required string Agree { get; init; }
    public required string Disagree { get; init; }
    public required string Vote { get; init; }
    public required string VoteSaved { get; init; }
    public required string ErrorVoteChoice { get; init; }
    public required string VoteClosed { get; init; }
    public required string TryAgainTitle { get; init; }
    public required string TryAgainText { get; init; }
    public required string TryAgainLink { get; init; }
    public required string ReceiptTitle { get; init; }
    public required string ReceiptIntro { get; init; }
    public required string ReceiptHash { get; init; }
    public required string ReceiptSecret { get; init; }
    public required string ReceiptSecretHint { get; init; }
    public required string ReceiptCheck { get; init; }
    public required string ReceiptCheckLink { get; init; }
    public required string ErrorChannelNoEmail { get; init; }
    public required string ErrorChannelNoPhone { get; init; }
    public required string ErrorChannelChoice { get; init; }
    public required string SummaryTitle { get; init; }
    public required string SummaryLink { get; init; }
    public required string SummaryReactions { get; init; }
    public required string SummaryDecision { get; init; }
    public required string SummaryNoDecision { get; init; }

    public string StatusName(string status) => status switch
    {
        "received" => StatusReceived,
        "under-consideration" => StatusUnderConsideration,
        "adopted" => StatusAdopted,
        "partly-adopted" => StatusPartlyAdopted,
        "not-adopted" => StatusNotAdopted,
        _ => status,
    };

    public string ChannelName(string channel) => channel switch
    {
        "email" => ChannelEmail,
        "sms" => ChannelSms,
        "letter" => ChannelLetter,
        "app" => ChannelApp,
        _ => channel,
    };

    /// <summary>
    /// The residents API refuses a channel the resident has no address for, naming preferredChannel with a text of
    /// its own in Dutch and English; the portal says it in the resident's language, from the channel they chose.
    /// </summary>
    public string ChannelError(string? chosenChannel) => chosenChannel switch
    {
        "email" => ErrorChannelNoEmail,
        "sms" => ErrorChannelNoPhone,
        _ => ErrorChannelChoice,
    };

    public string DigestName(string frequency) => frequency switch
    {
        "immediately" => DigestImmediately,
        "daily" => DigestDaily,
        "weekly" => DigestWeekly,
        _ => frequency,
    };
}
