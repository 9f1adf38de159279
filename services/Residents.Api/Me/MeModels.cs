using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Participatie.BuildingBlocks.Http;
using Participatie.Contracts;
using Participatie.Residents.Registry;

namespace Participatie.Residents.Me;

/// <summary>What a resident sees of themselves: their own data, preferences and consents.</summary>
public sealed record MeResponse
{
    public required Guid Id { get; init; }

    public required string FullName { get; init; }

    public required string Postcode { get; init; }

    public required int HouseNumber { get; init; }

    public string? HouseNumberSuffix { get; init; }

    public string? Street { get; init; }

    public string? City { get; init; }

    public required string BuurtCode { get; init; }

    public string? EmailAddress { get; init; }

    public string? PhoneNumber { get; init; }

    [Vocabulary(typeof(Languages))]
    public required string PreferredLanguage { get; init; }

    [Vocabulary(typeof(Channels))]
    public required string PreferredChannel { get; init; }

    [Vocabulary(typeof(DigestFrequencies))]
    public required string DigestFrequency { get; init; }

    /// <summary>"HH:mm", Amsterdam time; null: the platform's quiet hours (21:00 to 08:00).</summary>
    public string? QuietHoursStart { get; init; }

    public string? QuietHoursEnd { get; init; }

    public required IReadOnlyList<ConsentRecord> Consents { get; init; }
}

/// <summary>PUT /v1/me/preferences: all of them at once; quiet hours both or neither ("HH:mm", Amsterdam time).</summary>
public sealed record PreferencesRequest(
    [Vocabulary(typeof(Languages))] string? PreferredLanguage,
    [Vocabulary(typeof(Channels))] string? PreferredChannel,
    [Vocabulary(typeof(DigestFrequencies))] string? DigestFrequency,
    string? QuietHoursStart = null,
    string? QuietHoursEnd = null) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        errors.OneOf("preferredLanguage", PreferredLanguage, Languages.All);
        errors.OneOf("preferredChannel", PreferredChannel, Channels.All);
        errors.OneOf("digestFrequency", DigestFrequency, DigestFrequencies.All);
        var start = Time(errors, "quietHoursStart", QuietHoursStart);
        var end = Time(errors, "quietHoursEnd", QuietHoursEnd);
        if ((QuietHoursStart is null) != (QuietHoursEnd is null))
        {
            errors.Add(QuietHoursStart is null ? "quietHoursStart" : "quietHoursEnd", "Geef begin en einde van de stille uren allebei, of geen van beide. (Give both quietHoursStart and quietHoursEnd, or neither.)");
        }
        else if (start is not null && start == end)
        {
            errors.Add("quietHoursEnd", "Het einde van de stille uren moet anders zijn dan het begin. ('quietHoursEnd' must differ from 'quietHoursStart'.)");
        }
    }

    internal TimeOnly? Start => ParseTime(QuietHoursStart);

    internal TimeOnly? End => ParseTime(QuietHoursEnd);

    private static TimeOnly? Time(ValidationErrors errors, string field, string? value)
    {
        if (value is null)
        {
            return null;
        }

        var time = ParseTime(value);
        if (time is null)
        {
            errors.Add(field, $"Schrijf de tijd als uu:mm, bijvoorbeeld 22:00. ('{field}' must be a time such as '22:00'.)");
        }

        return time;
    }

    internal static TimeOnly? ParseTime(string? value) =>
        TimeOnly.TryParseExact(value, ["HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) ? time : null;
}

/// <summary>POST /v1/me/contact-details: one new e-mail address or one new phone number, confirmed by a code sent to it.</summary>
public sealed record NewContactRequest([StringLength(254)] string? EmailAddress, string? PhoneNumber) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        if ((EmailAddress is null) == (PhoneNumber is null))
        {
            errors.Add("emailAddress", "Geef één nieuw e-mailadres of één nieuw telefoonnummer. (Give either 'emailAddress' or 'phoneNumber'.)");
            return;
        }

        ContactValidation.Email(errors, "emailAddress", EmailAddress);
        ContactValidation.Phone(errors, "phoneNumber", PhoneNumber);
        errors.MaxLength("emailAddress", EmailAddress, 254);
    }

    internal string Channel => EmailAddress is not null ? Channels.Email : Channels.Sms;

    internal string Value => (EmailAddress ?? PhoneNumber)!.Trim();
}

/// <summary>Where a confirmation code for a new contact goes: the new e-mail address or phone number.</summary>
public static class ContactConfirmationChannels
{
    public static readonly IReadOnlyList<string> All = [Channels.Email, Channels.Sms];
}

/// <summary>The answer to a new contact: the confirmation to send the code to.</summary>
public sealed record ContactConfirmationPending(Guid ConfirmationId, [Vocabulary(typeof(ContactConfirmationChannels))] string Channel, DateTimeOffset ExpiresAt);

/// <summary>POST /v1/me/contact-details/confirmations/{id}: the six digits the resident received.</summary>
public sealed record ConfirmContactRequest(string? Code) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        if (errors.Required("code", Code) && (Code!.Length != 6 || !Code.All(char.IsAsciiDigit)))
        {
            errors.Add("code", "De code heeft 6 cijfers. ('code' must be the 6 digits that were sent.)");
        }
    }
}

/// <summary>GET /v1/public/addresses: which buurt a home belongs to (answered by postcode, see PublicAddressesApi).</summary>
public sealed record AddressLookupQuery : IValidatableRequest
{
    [FromQuery(Name = "postcode")]
    public string? Postcode { get; init; }

    [FromQuery(Name = "houseNumber")]
    public int? HouseNumber { get; init; }

    [FromQuery(Name = "houseNumberSuffix")]
    public string? HouseNumberSuffix { get; init; }

    public void Validate(ValidationErrors errors)
    {
        if (errors.Required("postcode", Postcode) && AddressKeys.NormalisePostcode(Postcode) is null)
        {
            errors.Add("postcode", "'postcode' must be a Dutch postcode such as '1234 AB'.");
        }

        if (HouseNumber is not { } number || !AddressKeys.IsHouseNumber(number))
        {
            errors.Add("houseNumber", "'houseNumber' is required, between 1 and 99999.");
        }

        if (AddressKeys.NormaliseSuffix(HouseNumberSuffix) is null)
        {
            errors.Add("houseNumberSuffix", $"'houseNumberSuffix' may hold at most {AddressKeys.MaximumSuffixLength} letters and digits.");
        }
    }
}

/// <summary>A home and its buurt; nothing about who lives there.</summary>
public sealed record AddressLookup(string Postcode, int HouseNumber, string? HouseNumberSuffix, string BuurtCode);
