using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Participatie.BuildingBlocks.Http;
using Participatie.Contracts;
using Participatie.Residents.Domain;

namespace Participatie.Residents.Registry;

/// <summary>How a consent reached the platform.</summary>
public static class ConsentChannels
{
    /// <summary>Participation consent recorded with a partner's registration (see ResidentStore.RecordRegistrationsAsync).</summary>
    public const string PartnerRegistration = "partner-registration";

    /// <summary>The resident gave or withdrew it themselves, under /v1/me.</summary>
    public const string ResidentPortal = "resident-portal";

    /// <summary>The channels a partner may name when it records a consent it received.</summary>
    public static readonly IReadOnlyList<string> ByPartner = ["paper-form", "website", "email", "phone", "meeting", "letter", "in-person"];

    /// <summary>Every channel a recorded consent can name.</summary>
    public static readonly IReadOnlyList<string> All = [PartnerRegistration, ResidentPortal, .. ByPartner];
}

/// <summary>PATCH /v1/residents/{id}: the fields given change, the others stay; the result must be valid as a registration.</summary>
public sealed record UpdateResidentRequest(
    [StringLength(200)] string? FullName = null,
    string? Email = null,
    string? PhoneNumber = null,
    [Vocabulary(typeof(Languages))] string? PreferredLanguage = null,
    [Vocabulary(typeof(Channels))] string? PreferredChannel = null,
    [Vocabulary(typeof(DigestFrequencies))] string? DigestFrequency = null,
    int? BirthYear = null,
    [Vocabulary(typeof(Tenures), nameof(Tenures.Known))] string? Tenure = null) : IValidatableRequest
{
    // The fields given are merged into the resident and checked as a registration; here only their bounds (InputBounds).
    public void Validate(ValidationErrors errors)
    {
    }
}

/// <summary>POST /v1/residents/{id}/moves: the new home; from <see cref="MovedAt"/> (default: now) the resident lives there.</summary>
public sealed record MoveResidentRequest(
    string? Postcode,
    int HouseNumber,
    string? HouseNumberSuffix,
    string? BuurtCode,
    [StringLength(200)] string? Street = null,
    [StringLength(100)] string? City = null,
    DateTimeOffset? MovedAt = null) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        if (errors.Required("postcode", Postcode) && AddressKeys.NormalisePostcode(Postcode) is null)
        {
            errors.Add("postcode", "'postcode' must be a Dutch postcode such as '1234 AB'.");
        }

        if (!AddressKeys.IsHouseNumber(HouseNumber))
        {
            errors.Add("houseNumber", "'houseNumber' must be between 1 and 99999.");
        }

        if (AddressKeys.NormaliseSuffix(HouseNumberSuffix) is null)
        {
            errors.Add("houseNumberSuffix", $"'houseNumberSuffix' may hold at most {AddressKeys.MaximumSuffixLength} letters and digits.");
        }

        if (errors.Required("buurtCode", BuurtCode) && !BuurtCodes.IsValid(BuurtCode))
        {
            errors.Add("buurtCode", "'buurtCode' must be a CBS buurt code such as 'BU03630001'.");
        }

        foreach (var (field, value, maxLength) in new[] { ("street", Street, 200), ("city", City, 100) })
        {
            if (value is not null && string.IsNullOrWhiteSpace(value))
            {
                errors.Add(field, $"'{field}' must not be blank; leave it out when it is not known.");
            }

            errors.MaxLength(field, value, maxLength);
        }
    }
}

/// <summary>One address in a resident's history, newest first; the current one has no <see cref="LivedUntil"/>.</summary>
public sealed record ResidentAddress
{
    public required string Postcode { get; init; }

    public required int HouseNumber { get; init; }

    public string? HouseNumberSuffix { get; init; }

    public string? Street { get; init; }

    public string? City { get; init; }

    public required string BuurtCode { get; init; }

    public required DateTimeOffset LivedFrom { get; init; }

    public DateTimeOffset? LivedUntil { get; init; }
}

public sealed record AddressHistory(IReadOnlyList<ResidentAddress> Addresses);

/// <summary>GET /v1/residents: a page of the residents linked to the caller's partner, optionally searched by name or postcode.</summary>
public sealed record ResidentListQuery : IValidatableRequest
{
    [FromQuery(Name = "search")]
    public string? Search { get; init; }

    public void Validate(ValidationErrors errors)
    {
        if (Search is not null && Search.Trim().Length is 0 or > 100)
        {
            errors.Add("search", "'search' must be 1 to 100 characters: part of a name, or a postcode.");
        }
    }
}

/// <summary>A resident in a list: enough to recognise them; the full record is one GET away (and logged).</summary>
public sealed record ResidentListItem
{
    public required Guid Id { get; init; }

    public required string FullName { get; init; }

    public required string Postcode { get; init; }

    public required int HouseNumber { get; init; }

    public string? HouseNumberSuffix { get; init; }

    public required string BuurtCode { get; init; }
}

/// <summary>PUT /v1/residents/{id}/consents/{purpose}.</summary>
public sealed record ConsentRequest(bool? Given, [Vocabulary(typeof(ConsentChannels), nameof(ConsentChannels.ByPartner))] string? Channel, DateOnly? GivenAt) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        if (Given is null)
        {
            errors.Add("given", "'given' is required: true when the resident consents, false when they withdraw.");
        }

        errors.OneOf("channel", Channel, ConsentChannels.ByPartner);
    }
}

/// <summary>PUT /v1/me/consents/{purpose}: the resident gives or withdraws it themselves.</summary>
public sealed record OwnConsentRequest(bool? Given) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        if (Given is null)
        {
            errors.Add("given", "'given' is required: true to consent, false to withdraw.");
        }
    }
}

/// <summary>A purpose from the route, checked like a field.</summary>
public sealed record ConsentPurposeRoute : IValidatableRequest
{
    [FromRoute(Name = "purpose")]
    [Vocabulary(typeof(ConsentPurposes))]
    public string? Purpose { get; init; }

    public void Validate(ValidationErrors errors) => errors.OneOf("purpose", Purpose, ConsentPurposes.All);
}

/// <summary>A consent as given or withdrawn, with when, how and by whom it was recorded.</summary>
public sealed record ConsentRecord
{
    [Vocabulary(typeof(ConsentPurposes))]
    public required string Purpose { get; init; }

    public required bool Given { get; init; }

    [Vocabulary(typeof(ConsentChannels))]
    public required string Channel { get; init; }

    public required DateOnly GivenAt { get; init; }

    public required DateTimeOffset RecordedAt { get; init; }

    public required string RecordedBy { get; init; }
}

/// <summary>The current choice per purpose (a purpose never recorded is not given), and every change, newest first.</summary>
public sealed record ResidentConsents(IReadOnlyList<ConsentRecord> Current, IReadOnlyList<ConsentRecord> History);

internal static class ContactValidation
{
    public static void Email(ValidationErrors errors, string field, string? value)
    {
        if (value is not null && !ContactDetails.IsEmail(value))
        {
            errors.Add(field, $"'{field}' is not an e-mail address.");
        }
    }

    public static void Phone(ValidationErrors errors, string field, string? value)
    {
        if (value is not null && !ContactDetails.IsPhoneNumber(value))
        {
            errors.Add(field, $"'{field}' must be a phone number such as '+31612345678'.");
        }
    }
}
