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

/// <summary>How a vote reached us: typed in online by the resident, or entered by partner staff from a letter or a form.</summary>
public static class SupportVoteChannels
{
    public const string Online = "online";
    public const string Letter = "letter";
    public const string PaperForm = "paper-form";

    public static readonly IReadOnlyList<string> All = [Online, Letter, PaperForm];
}

public sealed record CreateSupportMeasurementRequest(
    Guid TrajectoryId, string? Title, string? Proposal, DateTimeOffset? Deadline, IReadOnlyList<SupportMeasurementHome?>? Homes)
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

public sealed record CastSupportVoteRequest(string? Code, string? Choice, string? Channel) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        if (errors.Required("code", Code))
        {
            errors.MaxLength("code", Code, 64);
        }

        errors.OneOf("choice", Choice, SupportVoteChoices.All);
        if (Channel is not null)
        {
            errors.OneOf("channel", Channel, SupportVoteChannels.All);
        }
    }
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

    /// <summary><c>open</c>, or <c>closed</c> once its owner closed it or its deadline passed.</summary>
    public required string Status { get; init; }

    public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>The owner when it closed the measurement early; null when the deadline closed it.</summary>
    public Guid? ClosedByPartnerId { get; init; }

    /// <summary>The address keys of the complex's homes (when one measurement is read).</summary>
    public IReadOnlyList<string>? Homes { get; init; }

    /// <summary>Each home's voting code, for the letters: only in the answer to the creation, never again.</summary>
    public IReadOnlyList<VotingCode>? VotingCodes { get; init; }
}

public sealed record VotingCode
{
    public required string HomeKey { get; init; }

    public required string Code { get; init; }
}

public sealed record VoteReceipt
{
    public required Guid MeasurementId { get; init; }

    public required string Choice { get; init; }

    public required string Channel { get; init; }

    public required DateTimeOffset RecordedAt { get; init; }

    /// <summary>The home had voted before; its vote is replaced, not added.</summary>
    public required bool ReplacedEarlierVote { get; init; }
}

public sealed record SupportResultResponse
{
    public required Guid MeasurementId { get; init; }

    public required string Status { get; init; }

    /// <summary>The counts are frozen and will not change again.</summary>
    public required bool Final { get; init; }

    /// <summary>The homes of the complex: every one of them counts, voted or not.</summary>
    public required int Homes { get; init; }

    public required int Votes { get; init; }

    public required int Agreeing { get; init; }

    public required int Disagreeing { get; init; }

    public required int NotVoted { get; init; }

    /// <summary>Votes out of homes, 0 to 1, to 4 decimals.</summary>
    public required decimal ResponseRate { get; init; }

    /// <summary>Agreeing homes out of ALL homes (not out of the votes), 0 to 1, to 4 decimals cut off.</summary>
    public required decimal AgreeingShare { get; init; }

    public required int ThresholdPercent { get; init; }

    /// <summary>At least 70% of all homes agree: the proposal is deemed reasonable (art. 7:220 BW).</summary>
    public required bool ThresholdMet { get; init; }

    public required DateTimeOffset Deadline { get; init; }

    public DateTimeOffset? ClosedAt { get; init; }

    public Guid? ClosedByPartnerId { get; init; }
}

public sealed record SupportVoteLogEntry
{
    public required string HomeKey { get; init; }

    public required string Choice { get; init; }

    /// <summary>The home's vote this one replaced; null for its first.</summary>
    public string? PreviousChoice { get; init; }

    public required string Channel { get; init; }

    public required DateTimeOffset RecordedAt { get; init; }

    /// <summary>partner (on the resident's behalf) or resident (online with their own token, or with their letter code).</summary>
    public required string EnteredBy { get; init; }

    /// <summary>The partner that entered it; null when the resident cast it themselves.</summary>
    public Guid? EnteredByPartnerId { get; init; }

    public string? EnteredByClientId { get; init; }
}
