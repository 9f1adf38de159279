using Dapper;
using Npgsql;
using Participatie.BuildingBlocks.Data;
using Participatie.Residents.Residents;

namespace Participatie.Residents.Registry;

/// <summary>The SQL that reads a resident's personal data; the caller logs each read in the same transaction.</summary>
public static class ResidentQueries
{
    public const string ResidentColumns =
        """
        id, full_name AS FullName, postcode, house_number AS HouseNumber,
        house_number_suffix AS HouseNumberSuffix, buurt_code AS BuurtCode, email,
        phone_number AS PhoneNumber, preferred_language AS PreferredLanguage,
        preferred_channel AS PreferredChannel, birth_year AS BirthYear, tenure, street, city,
        digest_frequency AS DigestFrequency, registered_at AS RegisteredAt,
        registered_by_partner_id AS RegisteredByPartnerId
        """;

    public static Task<ResidentResponse> GetAsync(UnitOfWork work, Guid residentId, CancellationToken cancellationToken) =>
        work.Connection.QuerySingleAsync<ResidentResponse>(new CommandDefinition(
            $"SELECT {ResidentColumns} FROM residents WHERE id = @ResidentId",
            new { ResidentId = residentId }, work.Transaction, cancellationToken: cancellationToken));

    public static Task<bool> IsLinkedAsync(NpgsqlConnection connection, Guid residentId, Guid? partnerId, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            // An erased resident keeps no row (the link may outlive it): to the partner they are gone, 404, not a 500 later.
            """
            SELECT EXISTS (
                SELECT 1 FROM resident_partners rp JOIN residents r ON r.id = rp.resident_id
                WHERE rp.resident_id = @ResidentId AND rp.partner_id = @PartnerId)
            """,
            new { ResidentId = residentId, PartnerId = partnerId }, cancellationToken: cancellationToken));

    public static async Task<ResidentConsents> ConsentsAsync(UnitOfWork work, Guid residentId, CancellationToken cancellationToken)
    {
        var history = (await work.Connection.QueryAsync<ConsentRecord>(new CommandDefinition(
            """
            SELECT purpose, given, channel, given_at AS GivenAt, recorded_at AS RecordedAt, recorded_by AS RecordedBy
            FROM resident_consents WHERE resident_id = @ResidentId ORDER BY id DESC
            """,
            new { ResidentId = residentId }, work.Transaction, cancellationToken: cancellationToken))).AsList();
        var current = history.DistinctBy(record => record.Purpose).OrderBy(record => record.Purpose, StringComparer.Ordinal).ToList();
        return new ResidentConsents(current, history);
    }

    public static Task RecordConsentAsync(
        UnitOfWork work, Guid residentId, string purpose, bool given, string channel, DateOnly givenAt, DateTimeOffset now, string recordedBy,
        CancellationToken cancellationToken) =>
        work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO resident_consents (resident_id, purpose, given, channel, given_at, recorded_at, recorded_by)
            VALUES (@ResidentId, @Purpose, @Given, @Channel, @GivenAt, @Now, @RecordedBy)
            """,
            new { ResidentId = residentId, Purpose = purpose, Given = given, Channel = channel, GivenAt = givenAt, Now = now, RecordedBy = recordedBy },
            work.Transaction, cancellationToken: cancellationToken));

    public static async Task<AddressHistory> AddressesAsync(UnitOfWork work, Guid residentId, CancellationToken cancellationToken) =>
        new([.. await work.Connection.QueryAsync<ResidentAddress>(new CommandDefinition(
            """
            SELECT postcode, house_number AS HouseNumber, house_number_suffix AS HouseNumberSuffix, street, city,
                   buurt_code AS BuurtCode, lived_from AS LivedFrom, lived_until AS LivedUntil
            FROM resident_addresses WHERE resident_id = @ResidentId ORDER BY id DESC
            """,
            new { ResidentId = residentId }, work.Transaction, cancellationToken: cancellationToken))]);
}
