using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using Participatie.BuildingBlocks.Http;
using Participatie.Contracts;

namespace Participatie.Residents.Residents;

public sealed record ResidentResponse
{
    public required Guid Id { get; init; }

    public required string FullName { get; init; }

    public required string Postcode { get; init; }

    public required int HouseNumber { get; init; }

    public string? HouseNumberSuffix { get; init; }

    public required string BuurtCode { get; init; }

    public string? Email { get; init; }

    public string? PhoneNumber { get; init; }

    [Vocabulary(typeof(Languages))]
    public required string PreferredLanguage { get; init; }

    [Vocabulary(typeof(Channels))]
    public required string PreferredChannel { get; init; }

    public int? BirthYear { get; init; }

    /// <summary>tenant or owner-occupier, when known.</summary>
    [Vocabulary(typeof(Tenures), nameof(Tenures.Known))]
    public string? Tenure { get; init; }

    public string? Street { get; init; }

    public string? City { get; init; }

    /// <summary>immediately, daily or weekly: how often the resident wants messages.</summary>
    [Vocabulary(typeof(DigestFrequencies))]
    public required string DigestFrequency { get; init; }

    public required DateTimeOffset RegisteredAt { get; init; }

    /// <summary>The partner that registered the resident and holds their personal data.</summary>
    public required Guid RegisteredByPartnerId { get; init; }

    /// <summary>
    /// Only in the answer to a registration: true when the registration matched a resident already known (same home,
    /// same e-mail address or phone number), who is now linked to the registering partner too.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? MatchedExistingResident { get; init; }

    internal string? EmailNormalised => Email is null ? null : ResidentIdentifierKeys.NormaliseEmail(Email);

    internal string? PhoneNormalised => PhoneNumber is null ? null : ResidentIdentifierKeys.NormalisePhone(PhoneNumber);

    /// <summary>The home as an address key, by which a consultation meant for some addresses finds its residents.</summary>
    internal string? AddressKey => AddressKeys.Key(Postcode, HouseNumber, HouseNumberSuffix);

    /// <summary>What other services learn: the pseudonymous id and how to reach the resident, never who or where.</summary>
    internal ResidentRegistered ToEvent() =>
        new(Id, BuurtCode, PreferredLanguage, PreferredChannel, RegisteredAt, AgeBands.Of(BirthYear, RegisteredAt.Year), Tenure ?? Tenures.Unknown, DigestFrequency, BirthYear, RegisteredByPartnerId);
}

/// <summary>
/// The answer to a registration that matched a resident already known (same home, same e-mail address or phone
/// number): only the id and the fact, nothing the registering partner did not send itself. The partner is now linked
/// and reads the resident like any of its own (every read logged).
/// </summary>
public sealed record MatchedResidentResponse(Guid Id)
{
    public bool MatchedExistingResident => true;
}

public sealed record AggregatesQuery : IValidatableRequest
{
    [FromQuery(Name = "buurtCode")]
    public string? BuurtCode { get; init; }

    public void Validate(ValidationErrors errors)
    {
        if (errors.Required("buurtCode", BuurtCode) && !BuurtCodes.IsValid(BuurtCode))
        {
            errors.Add("buurtCode", "'buurtCode' must be a CBS buurt code such as 'BU03630001'.");
        }
    }
}

/// <summary>How many residents of a buurt prefer which language and channel; no one in it can be told apart.</summary>
public sealed record ResidentAggregates(
    string BuurtCode,
    SmallCount Residents,
    [Vocabulary(typeof(Languages))] IReadOnlyDictionary<string, SmallCount> ByLanguage,
    [Vocabulary(typeof(Channels))] IReadOnlyDictionary<string, SmallCount> ByChannel);
