using Dapper;
using Participatie.BuildingBlocks.Data;
using Participatie.Contracts;

namespace Participatie.Residents.Registry;

/// <summary>The platform secret behind the sign-in keys (<c>Identity:ResidentIdentifierKey</c>), read once at start.</summary>
public sealed class ResidentIdentifierSecret(IConfiguration configuration)
{
    public byte[] Key { get; } = ResidentIdentifierKeys.ParseSecret(configuration["Identity:ResidentIdentifierKey"]);
}

/// <summary>
/// After every registration and change, in the unit of work: raises the residents' version and publishes their
/// pseudonymous snapshot (<see cref="ResidentProfileChanged"/>) and sign-in keys (<see cref="ResidentSignInKeysChanged"/>)
/// with it, so that both commit with the change and a late snapshot never undoes a newer one.
/// </summary>
public sealed class ResidentSnapshots(ResidentIdentifierSecret secret)
{
    /// <summary>
    /// New residents: <see cref="ResidentRegistered"/> is their first picture for the other services, so only their
    /// sign-in keys go out (version 1), a thousand residents per message when there are many.
    /// </summary>
    public Task PublishRegisteredAsync(UnitOfWork work, IReadOnlyCollection<Guid> residentIds, DateTimeOffset registeredAt, CancellationToken cancellationToken) =>
        PublishAsync(work, residentIds, registeredAt, cancellationToken, withProfile: false);

    public async Task PublishAsync(
        UnitOfWork work, IReadOnlyCollection<Guid> residentIds, DateTimeOffset changedAt, CancellationToken cancellationToken, bool withProfile = true)
    {
        if (residentIds.Count == 0)
        {
            return;
        }

        var ids = residentIds.Distinct().ToArray();
        using var results = await work.Connection.QueryMultipleAsync(new CommandDefinition(
            """
            UPDATE residents SET profile_version = profile_version + 1 WHERE id = ANY(@Ids)
            RETURNING id AS ResidentId, profile_version AS Version, buurt_code AS BuurtCode, preferred_language AS PreferredLanguage,
                      preferred_channel AS PreferredChannel, digest_frequency AS DigestFrequency, birth_year AS BirthYear, tenure,
                      quiet_hours_start AS QuietHoursStart, quiet_hours_end AS QuietHoursEnd, email, phone_number AS PhoneNumber,
                      address_key AS AddressKey, email_sign_in_confirmed AS EmailSignInConfirmed,
                      phone_sign_in_confirmed AS PhoneSignInConfirmed;
            SELECT DISTINCT ON (resident_id, purpose) resident_id AS ResidentId, purpose, given
            FROM resident_consents WHERE resident_id = ANY(@Ids)
            ORDER BY resident_id, purpose, id DESC;
            """,
            new { Ids = ids }, work.Transaction, cancellationToken: cancellationToken));
        var residents = (await results.ReadAsync<SnapshotRow>()).OrderBy(row => row.ResidentId).ToList();
        var consents = (await results.ReadAsync<(Guid ResidentId, string Purpose, bool Given)>())
            .Where(consent => consent.Given)
            .ToLookup(consent => consent.ResidentId, consent => consent.Purpose);

        if (withProfile)
        {
            await work.PublishManyAsync(
            [.. residents.Select(row => new ResidentProfileChanged(
                row.ResidentId, row.Version, row.BuurtCode, row.PreferredLanguage, row.PreferredChannel, row.DigestFrequency,
                row.BirthYear, row.Tenure ?? Tenures.Unknown, [.. consents[row.ResidentId].Order(StringComparer.Ordinal)],
                ToTime(row.QuietHoursStart), ToTime(row.QuietHoursEnd), changedAt))],
            cancellationToken);
        }

        ResidentSignInKeysChanged[] keys =
            [.. residents.Select(row => new ResidentSignInKeysChanged(
                row.ResidentId, row.Version,
                // Only an address the resident gave or confirmed themselves opens sign-in; a partner's change withdraws it.
                row is { Email: { } email, EmailSignInConfirmed: true } ? ResidentIdentifierKeys.Email(email, secret.Key) : null,
                row is { PhoneNumber: { } phone, PhoneSignInConfirmed: true } ? ResidentIdentifierKeys.Phone(phone, secret.Key) : null,
                row.AddressKey is null ? null : ResidentIdentifierKeys.Home(row.AddressKey, secret.Key),
                row.PreferredLanguage, changedAt))];
        if (keys.Length == 1)
        {
            await work.PublishAsync(keys[0], cancellationToken);
        }
        else
        {
            await work.PublishManyAsync(
                [.. keys.Chunk(ResidentsSignInKeysChanged.MaximumResidents).Select(chunk => new ResidentsSignInKeysChanged(chunk))], cancellationToken);
        }
    }

    private static TimeOnly? ToTime(TimeSpan? time) => time is { } value ? TimeOnly.FromTimeSpan(value) : null;

    private sealed record SnapshotRow
    {
        public required Guid ResidentId { get; init; }

        public required long Version { get; init; }

        public required string BuurtCode { get; init; }

        public required string PreferredLanguage { get; init; }

        public required string PreferredChannel { get; init; }

        public required string DigestFrequency { get; init; }

        public int? BirthYear { get; init; }

        public string? Tenure { get; init; }

        public TimeSpan? QuietHoursStart { get; init; }

        public TimeSpan? QuietHoursEnd { get; init; }

        public string? Email { get; init; }

        public string? PhoneNumber { get; init; }

        public string? AddressKey { get; init; }

        public required bool EmailSignInConfirmed { get; init; }

        public required bool PhoneSignInConfirmed { get; init; }
    }
}
