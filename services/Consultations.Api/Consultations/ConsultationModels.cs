using System.ComponentModel.DataAnnotations;
using Participatie.BuildingBlocks.Http;
using Participatie.Consultations.Domain;
using Participatie.Contracts;

namespace Participatie.Consultations.Consultations;

/// <summary>
/// A home a consultation is meant for, with the buurt it lies in (<c>GET /v1/public/addresses</c> tells it); without
/// one the consultation's own buurt is meant. Only the residents service knows every address, and no service asks
/// another synchronously, so the partner states the buurt and it is checked against the trajectory's buurten here.
/// </summary>
public sealed record ConsultationAddress(string? Postcode, int HouseNumber, string? HouseNumberSuffix, string? BuurtCode = null);

public sealed record OpenConsultationRequest(
    Guid TrajectoryId,
    [StringLength(OpenConsultationRequest.MaximumTitleLength)] string? Title,
    [StringLength(OpenConsultationRequest.MaximumDescriptionLength)] string? Description,
    string? BuurtCode,
    DateOnly? ClosesOn,
    IReadOnlyList<ConsultationAddress>? Addresses = null,
    [StringLength(OpenConsultationRequest.MaximumTitleLength)]
    [Vocabulary(typeof(PartnerTranslations), nameof(PartnerTranslations.TranslatedLanguages))] IReadOnlyDictionary<string, string?>? TitleTranslations = null,
    [StringLength(OpenConsultationRequest.MaximumDescriptionLength)]
    [Vocabulary(typeof(PartnerTranslations), nameof(PartnerTranslations.TranslatedLanguages))] IReadOnlyDictionary<string, string?>? DescriptionTranslations = null) : IValidatableRequest
{
    public const int MaximumAddresses = 5000;

    /// <summary>
    /// Fewer homes than this would let the reach, the counts and the summaries of the consultation point at the few
    /// residents living there, however the counts themselves are hidden.
    /// </summary>
    public const int MinimumAddresses = 10;

    public const int MaximumTitleLength = 200;

    public const int MaximumDescriptionLength = 4000;

    /// <summary>The address keys of the homes it is meant for; none means the whole buurt.</summary>
    public IReadOnlyList<string> AddressKeys() =>
        [.. (Addresses ?? []).Select(address => Contracts.AddressKeys.Key(address.Postcode, address.HouseNumber, address.HouseNumberSuffix)!)
            .Distinct(StringComparer.Ordinal)];

    public void Validate(ValidationErrors errors)
    {
        if (Addresses is { Count: > MaximumAddresses })
        {
            errors.Add("addresses", $"'addresses' may name at most {MaximumAddresses} homes.");
        }

        for (var i = 0; i < (Addresses?.Count ?? 0); i++)
        {
            var address = Addresses![i];
            if (address is null)
            {
                errors.Add($"addresses[{i}]", $"'addresses[{i}]' must be an address, not null.");
                continue;
            }

            if (Contracts.AddressKeys.Key(address.Postcode, address.HouseNumber, address.HouseNumberSuffix) is null)
            {
                errors.Add($"addresses[{i}]", $"'addresses[{i}]' is not a Dutch address (postcode such as '1234 AB', house number 1 to 99999).");
            }

            if (address.BuurtCode is not null && !BuurtCodes.IsValid(address.BuurtCode))
            {
                errors.Add($"addresses[{i}].buurtCode", $"'addresses[{i}].buurtCode' must be a CBS buurt code such as 'BU03630001'.");
            }
        }

        errors.NotEmpty("trajectoryId", TrajectoryId);
        if (errors.Required("title", Title))
        {
            errors.MaxLength("title", Title, MaximumTitleLength);
        }

        PartnerTranslations.Validate(errors, "titleTranslations", TitleTranslations, MaximumTitleLength);
        if (errors.Required("description", Description))
        {
            errors.MaxLength("description", Description, MaximumDescriptionLength);
        }

        PartnerTranslations.Validate(errors, "descriptionTranslations", DescriptionTranslations, MaximumDescriptionLength);

        if (errors.Required("buurtCode", BuurtCode) && !BuurtCodes.IsValid(BuurtCode))
        {
            errors.Add("buurtCode", "'buurtCode' must be a CBS buurt code such as 'BU03630001'.");
        }

        if (ClosesOn is null)
        {
            errors.Add("closesOn", "'closesOn' is required.");
        }
    }
}

public sealed record ConsultationResponse
{
    public required Guid Id { get; init; }

    public required Guid TrajectoryId { get; init; }

    /// <summary>The partner that opened the consultation and owns it.</summary>
    public required Guid PartnerId { get; init; }

    /// <summary>Meant only for the homes at a list of addresses in the buurt, not for the whole buurt.</summary>
    public bool AddressScoped { get; init; }

    /// <summary>In Dutch: the default, read by every resident whose language has no translation.</summary>
    public required string Title { get; init; }

    /// <summary>The title in other languages (language code to text), as the partner gave it; null when none.</summary>
    [Vocabulary(typeof(PartnerTranslations), nameof(PartnerTranslations.TranslatedLanguages))]
    public IReadOnlyDictionary<string, string>? TitleTranslations { get; init; }

    /// <summary>In Dutch: the default, read by every resident whose language has no translation.</summary>
    public required string Description { get; init; }

    /// <summary>The description in other languages (language code to text), as the partner gave it; null when none.</summary>
    [Vocabulary(typeof(PartnerTranslations), nameof(PartnerTranslations.TranslatedLanguages))]
    public IReadOnlyDictionary<string, string>? DescriptionTranslations { get; init; }

    public required string BuurtCode { get; init; }

    public required DateOnly ClosesOn { get; init; }

    public required DateTimeOffset OpenedAt { get; init; }
}
