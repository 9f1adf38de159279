using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.Consultations.Consultations;
using Participatie.Consultations.Domain;
using Participatie.Consultations.Trajectories;
using Participatie.Contracts;

namespace Participatie.Consultations.SupportMeasurements;

/// <summary>
/// How a vote reached us: cast online by the signed-in resident for their home, by the resident with the code from
/// their letter, or entered by partner staff from a signed paper form.
/// </summary>
public static class SupportVoteChannels
{
    public const string Online = "online";
    public const string Letter = "letter";
    public const string PaperForm = "paper-form";

    public static readonly IReadOnlyList<string> All = [Online, Letter, PaperForm];
}

/// <summary>Who entered a vote: partner staff from a signed paper form, or the resident themselves.</summary>
public static class SupportVoteEnterers
{
    public static readonly IReadOnlyList<string> All = [SupportVoter.ByPartner, SupportVoter.ByResident];
}

public sealed record CreateSupportMeasurementRequest(
    Guid TrajectoryId, [StringLength(200)] string? Title, string? Proposal, DateTimeOffset? Deadline, IReadOnlyList<SupportMeasurementHome?>? Homes)
    : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        errors.NotEmpty("trajectoryId", TrajectoryId);
        if (errors.Required("title", Title))
        {
            errors.MaxLength("title", Title, 200);
        }

        if (errors.Required("proposal", Proposal))
        {
            errors.MaxLength("proposal", Proposal, 4000);
        }

        if (Deadline is null)
        {
            errors.Add("deadline", "'deadline' is required.");
        }

        if (Homes is null)
        {
            errors.Add("homes", "'homes' is required.");
            return;
        }

        // How many homes, and whether one is listed twice, is the law's rule: a 422 from the handler. Far too many homes
        // are refused there without naming each one here.
        for (var index = 0; index < Homes.Count && Homes.Count <= SupportMeasurementRules.MaximumHomes; index++)
        {
            var home = Homes[index];
            var field = $"homes[{index}]";
            if (home is null)
            {
                errors.Add(field, $"'{field}' must be a home with a postcode and a house number.");
                continue;
            }

            if (AddressKeys.NormalisePostcode(home.Postcode) is null)
            {
                errors.Add($"{field}.postcode", $"'{field}.postcode' must be a Dutch postcode such as '1234 AB'.");
            }

            if (!AddressKeys.IsHouseNumber(home.HouseNumber))
            {
                errors.Add($"{field}.houseNumber", $"'{field}.houseNumber' must be between 1 and 99999.");
            }

            if (AddressKeys.NormaliseSuffix(home.HouseNumberSuffix) is null)
            {
                errors.Add(
                    $"{field}.houseNumberSuffix",
                    $"'{field}.houseNumberSuffix' may hold only letters and digits, at most {AddressKeys.MaximumSuffixLength}.");
            }
        }
    }
}

/// <summary>A rental home of the complex, by its address.</summary>
public sealed record SupportMeasurementHome(string? Postcode, int HouseNumber, string? HouseNumberSuffix);

/// <summary>
/// A vote a partner enters from a resident's signed paper form, for the home named; never with a voting code. The form's
/// reference (e.g. the number of its scan) goes into the vote log, so that the tenants' organisation can check the form.
/// </summary>
public sealed record EnterPaperVoteRequest([StringLength(64)] string? HomeKey, [Vocabulary(typeof(SupportVoteChoices))] string? Choice, string? Code, [StringLength(EnterPaperVoteRequest.MaximumFormReferenceLength)] string? FormReference) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        // The code is the resident's own: whoever holds it votes as the resident, so no partner enters one.
        if (Code is not null)
        {
            errors.Add("code", "A partner cannot vote with a voting code: the resident votes with it themselves, online or by letter. Enter a signed paper form by its 'homeKey'.");
        }

        if (errors.Required("homeKey", HomeKey))
        {
            errors.MaxLength("homeKey", HomeKey, 64);
        }

        errors.OneOf("choice", Choice, SupportVoteChoices.All);
        if (errors.Required("formReference", FormReference))
        {
            errors.MaxLength("formReference", FormReference, MaximumFormReferenceLength);
        }
    }

    public const int MaximumFormReferenceLength = 100;
}

/// <summary>A home left out of the count: vacant, or lived in by its owner (the law counts tenants only).</summary>
public sealed record ExcludeHomeRequest([StringLength(64)] string? HomeKey, [Vocabulary(typeof(SupportHomeExclusionReasons))] string? Reason, [StringLength(500)] string? Note) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        if (errors.Required("homeKey", HomeKey))
        {
            errors.MaxLength("homeKey", HomeKey, 64);
        }

        errors.OneOf("reason", Reason, SupportHomeExclusionReasons.All);
        errors.MaxLength("note", Note, 500);
    }
}

public sealed record ExcludedHome
{
    public required string HomeKey { get; init; }

    /// <summary><c>vacant</c> or <c>owner-occupied</c>.</summary>
    [Vocabulary(typeof(SupportHomeExclusionReasons))]
    public required string Reason { get; init; }

    public string? Note { get; init; }

    public required DateTimeOffset ExcludedAt { get; init; }

    public required Guid ExcludedByPartnerId { get; init; }
}

public sealed record SupportMeasurementResponse
{
    public required Guid Id { get; init; }

    public required Guid TrajectoryId { get; init; }

    /// <summary>The partner that started the measurement and owns it.</summary>
    public required Guid PartnerId { get; init; }

    public required string Title { get; init; }

    /// <summary>A summary of the renovation proposal the tenants vote on.</summary>
    public required string Proposal { get; init; }

    public required DateTimeOffset Deadline { get; init; }

    public required int HomeCount { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary><c>open</c>, or <c>closed</c> once its deadline passed.</summary>
    [Vocabulary(typeof(SupportMeasurementStatuses))]
    public required string Status { get; init; }

    public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>The owner, for a measurement it closed early before early closing was refused; otherwise null.</summary>
    public Guid? ClosedByPartnerId { get; init; }

    /// <summary>The address keys of the complex's homes (when one measurement is read).</summary>
    public IReadOnlyList<string>? Homes { get; init; }

    /// <summary>The homes left out of the count, with the reason (when one measurement is read).</summary>
    public IReadOnlyList<ExcludedHome>? ExcludedHomes { get; init; }
}

public sealed record VoteReceipt
{
    public required Guid MeasurementId { get; init; }

    [Vocabulary(typeof(SupportVoteChoices))]
    public required string Choice { get; init; }

    [Vocabulary(typeof(SupportVoteChannels))]
    public required string Channel { get; init; }

    public required DateTimeOffset RecordedAt { get; init; }

    /// <summary>The home had voted before; its vote is replaced, not added.</summary>
    public required bool ReplacedEarlierVote { get; init; }

    /// <summary>
    /// The secret salt of this vote's receipt, given only here: with it, the home and the choice the voter recomputes
    /// <see cref="ReceiptHash"/> (HMAC-SHA256 keyed with the salt over "measurement id, home key, choice", one per line)
    /// and finds it among the counted votes after closing.
    /// </summary>
    public required string Receipt { get; init; }

    /// <summary>The hash the vote log keeps of this vote, lowercase hexadecimal.</summary>
    public required string ReceiptHash { get; init; }
}

public sealed record SupportResultResponse
{
    public required Guid MeasurementId { get; init; }

    [Vocabulary(typeof(SupportMeasurementStatuses))]
    public required string Status { get; init; }

    /// <summary>The counts are frozen and will not change again.</summary>
    public required bool Final { get; init; }

    /// <summary>All homes of the complex, counted or left out.</summary>
    public required int ComplexHomes { get; init; }

    /// <summary>Homes left out as vacant or owner-occupied.</summary>
    public required int ExcludedHomes { get; init; }

    /// <summary>The tenants' homes, the complex less the excluded ones: every one of them counts, voted or not.</summary>
    public required int Homes { get; init; }

    public required int Votes { get; init; }

    public required int Agreeing { get; init; }

    public required int Disagreeing { get; init; }

    public required int NotVoted { get; init; }

    /// <summary>Votes out of homes, 0 to 1, to 4 decimals.</summary>
    public required decimal ResponseRate { get; init; }

    /// <summary>Agreeing homes out of ALL tenants' homes (not out of the votes), 0 to 1, to 4 decimals cut off.</summary>
    public required decimal AgreeingShare { get; init; }

    public required int ThresholdPercent { get; init; }

    /// <summary>At least 70% of all homes agree: the proposal is deemed reasonable (art. 7:220 BW).</summary>
    public required bool ThresholdMet { get; init; }

    public required DateTimeOffset Deadline { get; init; }

    public DateTimeOffset? ClosedAt { get; init; }

    public Guid? ClosedByPartnerId { get; init; }

    /// <summary>When the written notice of the result to every tenant's home was sent on its way (at closing).</summary>
    public DateTimeOffset? NoticeRequestedAt { get; init; }

    /// <summary>
    /// The last day a tenant who disagrees can ask the court to judge the proposal: 8 weeks after the notice, moved to
    /// the next working day (art. 7:220 lid 3 BW, Algemene termijnenwet).
    /// </summary>
    public DateOnly? CourtPeriodEndsOn { get; init; }
}

/// <summary>A vote that counted, without its home: a home finds its own by the hash of its receipt.</summary>
public sealed record CountedVote
{
    public required string ReceiptHash { get; init; }

    [Vocabulary(typeof(SupportVoteChoices))]
    public required string Choice { get; init; }
}

/// <summary>
/// One vote or change of a vote. While the measurement is open an entry shows when, how and by whom it was entered, and
/// the home only of a partner's paper form (so the tenants' organisation can check that form with the home), never the
/// choice nor the receipt hash: a log with home and choice would put pressure on tenants and, saved, undo the unlinking.
/// Once closed it shows choice and receipt hash, never the home.
/// </summary>
public sealed record SupportVoteLogEntry
{
    /// <summary>The home of a partner's paper form while the measurement is open; otherwise null.</summary>
    public string? HomeKey { get; init; }

    /// <summary>The choice, once the measurement closed; null while it is open.</summary>
    [Vocabulary(typeof(SupportVoteChoices))]
    public string? Choice { get; init; }

    /// <summary>The home's vote this one replaced, once closed; null for its first, and while the measurement is open.</summary>
    [Vocabulary(typeof(SupportVoteChoices))]
    public string? PreviousChoice { get; init; }

    [Vocabulary(typeof(SupportVoteChannels))]
    public required string Channel { get; init; }

    public required DateTimeOffset RecordedAt { get; init; }

    /// <summary>partner (from a signed paper form) or resident (online with their own token, or with their letter code).</summary>
    [Vocabulary(typeof(SupportVoteEnterers))]
    public required string EnteredBy { get; init; }

    /// <summary>The partner that entered it; null when the resident cast it themselves.</summary>
    public Guid? EnteredByPartnerId { get; init; }

    public string? EnteredByClientId { get; init; }

    /// <summary>The token subject that entered a partner's vote: the staff member, or the system client.</summary>
    public string? EnteredByStaff { get; init; }

    /// <summary>The reference of the signed paper form a partner entered, while the measurement is open.</summary>
    public string? FormReference { get; init; }

    /// <summary>
    /// The resident's vote brought back a home that had been left out of the count for this reason (<c>vacant</c> or
    /// <c>owner-occupied</c>): someone lives there.
    /// </summary>
    [Vocabulary(typeof(SupportHomeExclusionReasons))]
    public string? UndidExclusion { get; init; }

    /// <summary>The hash of the vote's receipt (lowercase hexadecimal), once closed; null while open and for votes from before receipts.</summary>
    public string? ReceiptHash { get; init; }
}
