using System.ComponentModel.DataAnnotations;
using Participatie.BuildingBlocks.Http;
using Participatie.Contracts;
using Participatie.Residents.Domain;
using Participatie.Residents.Residents;

namespace Participatie.Residents.Registration;

/// <summary>The body of POST /v1/residents, and each row of a bulk registration.</summary>
public sealed record RegisterResidentRequest(
    [StringLength(200)] string? FullName,
    string? Postcode,
    int HouseNumber,
    [StringLength(10)] string? HouseNumberSuffix,
    string? BuurtCode,
    string? Email,
    string? PhoneNumber,
    [Vocabulary(typeof(Languages))] string? PreferredLanguage,
    [Vocabulary(typeof(Channels))] string? PreferredChannel,
    int? BirthYear = null,
    [Vocabulary(typeof(Tenures), nameof(Tenures.Known))] string? Tenure = null,
    [StringLength(200)] string? Street = null,
    [StringLength(100)] string? City = null,
    [Vocabulary(typeof(DigestFrequencies))] string? DigestFrequency = null) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        if (errors.Required("fullName", FullName))
        {
            errors.MaxLength("fullName", FullName, 200);
        }

        if (errors.Required("postcode", Postcode) && AddressKeys.NormalisePostcode(Postcode) is null)
        {
            errors.Add("postcode", "'postcode' must be a Dutch postcode such as '1234 AB'.");
        }

        if (HouseNumber is < 1 or > 99999)
        {
            errors.Add("houseNumber", "'houseNumber' must be between 1 and 99999.");
        }

        errors.MaxLength("houseNumberSuffix", HouseNumberSuffix, 10);
        // Street and city are optional (postcode and house number find the home), but a letter prints them as given.
        NotBlankWhenGiven(errors, "street", Street, 200);
        NotBlankWhenGiven(errors, "city", City, 100);
        if (DigestFrequency is not null)
        {
            errors.OneOf("digestFrequency", DigestFrequency, DigestFrequencies.All);
        }

        if (errors.Required("buurtCode", BuurtCode) && !BuurtCodes.IsValid(BuurtCode))
        {
            errors.Add("buurtCode", "'buurtCode' must be a CBS buurt code such as 'BU03630001'.");
        }

        errors.OneOf("preferredLanguage", PreferredLanguage, Languages.All);
        errors.OneOf("preferredChannel", PreferredChannel, Channels.All);
        if (Email is not null && !ContactDetails.IsEmail(Email))
        {
            errors.Add("email", "'email' is not an e-mail address.");
        }

        if (PhoneNumber is not null && !ContactDetails.IsPhoneNumber(PhoneNumber))
        {
            errors.Add("phoneNumber", "'phoneNumber' must be a phone number such as '+31612345678'.");
        }

        if (BirthYear is { } year && (year < 1900 || year > DateTime.UtcNow.Year))
        {
            errors.Add("birthYear", $"'birthYear' must be between 1900 and {DateTime.UtcNow.Year}.");
        }

        if (Tenure is not null)
        {
            errors.OneOf("tenure", Tenure, Tenures.Known);
        }

        // A resident must be reachable through the channel they chose.
        if (PreferredChannel == Channels.Email && Email is null)
        {
            errors.Add("email", "'email' is required when the preferred channel is 'email'.");
        }

        if (PreferredChannel == Channels.Sms && PhoneNumber is null)
        {
            errors.Add("phoneNumber", "'phoneNumber' is required when the preferred channel is 'sms'.");
        }
    }

    private static void NotBlankWhenGiven(ValidationErrors errors, string field, string? value, int maxLength)
    {
        if (value is not null && string.IsNullOrWhiteSpace(value))
        {
            errors.Add(field, $"'{field}' must not be blank; leave it out when it is not known.");
        }

        errors.MaxLength(field, value, maxLength);
    }

    /// <summary>The resident this valid request registers, with the postcode normalised.</summary>
    public ResidentResponse ToResident(Guid id, DateTimeOffset registeredAt, Guid registeredByPartnerId) => new()
    {
        Id = id,
        FullName = FullName!.Trim(),
        Postcode = AddressKeys.NormalisePostcode(Postcode)!,
        HouseNumber = HouseNumber,
        HouseNumberSuffix = HouseNumberSuffix,
        BuurtCode = BuurtCode!,
        Email = Email,
        PhoneNumber = PhoneNumber,
        PreferredLanguage = PreferredLanguage!,
        PreferredChannel = PreferredChannel!,
        BirthYear = BirthYear,
        Tenure = Tenure,
        Street = Street?.Trim(),
        City = City?.Trim(),
        DigestFrequency = DigestFrequency ?? DigestFrequencies.Immediately,
        RegisteredAt = registeredAt,
        RegisteredByPartnerId = registeredByPartnerId,
    };
}
