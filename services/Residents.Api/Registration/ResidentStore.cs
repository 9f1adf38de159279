using Dapper;
using NpgsqlTypes;
using Participatie.BuildingBlocks.Data;
using Participatie.Contracts;
using Participatie.Residents.Registry;
using Participatie.Residents.Residents;

namespace Participatie.Residents.Registration;

/// <summary>The SQL that stores newly registered residents.</summary>
public static class ResidentStore
{
    private const string Columns =
        "id, full_name, postcode, house_number, house_number_suffix, buurt_code, email, phone_number, preferred_language, " +
        "preferred_channel, birth_year, tenure, registered_at, registered_by_partner_id, address_key, street, city, digest_frequency, " +
        "email_normalised, phone_normalised";

    public static Task InsertAsync(UnitOfWork work, ResidentResponse resident, CancellationToken cancellationToken) =>
        work.Connection.ExecuteAsync(new CommandDefinition(
            $"""
            INSERT INTO residents ({Columns})
            VALUES (@Id, @FullName, @Postcode, @HouseNumber, @HouseNumberSuffix, @BuurtCode,
                    @Email, @PhoneNumber, @PreferredLanguage, @PreferredChannel, @BirthYear, @Tenure,
                    @RegisteredAt, @RegisteredByPartnerId, @AddressKey, @Street, @City, @DigestFrequency,
                    @EmailNormalised, @PhoneNormalised)
            """,
            new
            {
                resident.Id, resident.FullName, resident.Postcode, resident.HouseNumber, resident.HouseNumberSuffix, resident.BuurtCode,
                resident.Email, resident.PhoneNumber, resident.PreferredLanguage, resident.PreferredChannel, resident.BirthYear,
                resident.Tenure, resident.RegisteredAt, resident.RegisteredByPartnerId, resident.AddressKey,
                resident.Street, resident.City, resident.DigestFrequency, resident.EmailNormalised, resident.PhoneNormalised,
            },
            work.Transaction, cancellationToken: cancellationToken));

    /// <summary>Many residents at once, streamed with binary COPY in the unit of work's transaction.</summary>
    public static async Task InsertManyAsync(UnitOfWork work, IReadOnlyList<ResidentResponse> residents, CancellationToken cancellationToken)
    {
        await using var writer = await work.Connection.BeginBinaryImportAsync(
            $"COPY residents ({Columns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var resident in residents)
        {
            await writer.StartRowAsync(cancellationToken);
            await writer.WriteAsync(resident.Id, NpgsqlDbType.Uuid, cancellationToken);
            await writer.WriteAsync(resident.FullName, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(resident.Postcode, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(resident.HouseNumber, NpgsqlDbType.Integer, cancellationToken);
            await writer.WriteNullableAsync(resident.HouseNumberSuffix, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(resident.BuurtCode, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteNullableAsync(resident.Email, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteNullableAsync(resident.PhoneNumber, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(resident.PreferredLanguage, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(resident.PreferredChannel, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteNullableAsync(resident.BirthYear, NpgsqlDbType.Integer, cancellationToken);
            await writer.WriteNullableAsync(resident.Tenure, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(resident.RegisteredAt.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken);
            await writer.WriteAsync(resident.RegisteredByPartnerId, NpgsqlDbType.Uuid, cancellationToken);
            await writer.WriteNullableAsync(resident.AddressKey, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteNullableAsync(resident.Street, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteNullableAsync(resident.City, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(resident.DigestFrequency, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteNullableAsync(resident.EmailNormalised, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteNullableAsync(resident.PhoneNormalised, NpgsqlDbType.Text, cancellationToken);
        }

        await writer.CompleteAsync(cancellationToken);
    }

    /// <summary>
    /// What every new resident gets besides their row: the link to the registering partner, the first address of
    /// their history, and participation consent given at registration (channel partner-registration). A partner
    /// registers a resident to involve them in the renewal of their own buurt or home, so that much is the reason of
    /// the registration itself; research and newsletters are other purposes and need a consent of their own.
    /// </summary>
    public static Task RecordRegistrationsAsync(
        UnitOfWork work, IReadOnlyCollection<Guid> residentIds, Guid partnerId, string? clientId, DateOnly today, CancellationToken cancellationToken) =>
        work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO resident_partners (resident_id, partner_id, registered_at, registered_by_client)
            SELECT id, @PartnerId, registered_at, @ClientId FROM residents WHERE id = ANY(@Ids);
            INSERT INTO resident_addresses (resident_id, postcode, house_number, house_number_suffix, street, city, buurt_code, address_key, lived_from)
            SELECT id, postcode, house_number, house_number_suffix, street, city, buurt_code, address_key, registered_at FROM residents WHERE id = ANY(@Ids);
            INSERT INTO resident_consents (resident_id, purpose, given, channel, given_at, recorded_at, recorded_by)
            SELECT id, @Participation, true, @Channel, @Today, registered_at, 'partner ' || @PartnerId::text FROM residents WHERE id = ANY(@Ids);
            """,
            new
            {
                Ids = residentIds.ToArray(), PartnerId = partnerId, ClientId = clientId, Today = today,
                Participation = ConsentPurposes.Participation, Channel = ConsentChannels.PartnerRegistration,
            },
            work.Transaction, cancellationToken: cancellationToken));
}
