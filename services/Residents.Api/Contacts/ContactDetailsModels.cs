using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using Participatie.BuildingBlocks.Http;
using Participatie.Contracts;

namespace Participatie.Residents.Contacts;

/// <summary>The route and query of the internal contact-details endpoint.</summary>
public sealed record ContactDetailsQuery : IValidatableRequest
{
    /// <summary>The channels that need an address; the app feed needs none.</summary>
    public static readonly IReadOnlyList<string> AddressedChannels = [Channels.Email, Channels.Sms, Channels.Letter];

    [FromRoute(Name = "residentId")]
    public Guid ResidentId { get; init; }

    [FromRoute(Name = "channel")]
    [Vocabulary(typeof(ContactDetailsQuery), nameof(AddressedChannels))]
    public string? Channel { get; init; }

    [FromQuery(Name = "notificationId")]
    public Guid? NotificationId { get; init; }

    /// <summary>
    /// A pending contact confirmation: then the address disclosed is the new one waiting for its code, not the
    /// resident's current one (404 no-usable-contact when the confirmation is unknown, confirmed or expired).
    /// </summary>
    [FromQuery(Name = "confirmationId")]
    public Guid? ConfirmationId { get; init; }

    public void Validate(ValidationErrors errors)
    {
        errors.OneOf("channel", Channel, AddressedChannels);
        // Every disclosure is logged with what it was for: a notification, or the confirmation whose code is sent.
        if ((NotificationId is null || NotificationId == Guid.Empty) && ConfirmationId is null)
        {
            errors.Add("notificationId", "'notificationId' is required: the notification this address is disclosed for.");
        }
    }
}

/// <summary>
/// What the notifications service learns for one delivery: the one address of the channel asked for (the others
/// are left out, not sent empty) and the resident's language.
/// </summary>
public sealed record ContactDetailsResponse
{
    public required Guid ResidentId { get; init; }

    public required string Channel { get; init; }

    public required string Language { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? EmailAddress { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PhoneNumber { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PostalAddressResponse? PostalAddress { get; init; }
}

/// <summary>A postal address as a window envelope shows it.</summary>
public sealed record PostalAddressResponse
{
    public required string Name { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Street { get; init; }

    public required int HouseNumber { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? HouseNumberSuffix { get; init; }

    public required string Postcode { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? City { get; init; }
}
