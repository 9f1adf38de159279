using Dapper;
using NpgsqlTypes;
using Participatie.BuildingBlocks.Data;
using Participatie.Residents.Residents;

namespace Participatie.Residents.Registration;

/// <summary>The SQL that stores newly registered residents.</summary>
public static class ResidentStore
{
    private const string Columns =
        "id, full_name, postcode, house_number, house_number_suffix, buurt_code, email, phone_number, preferred_language, " +
        "preferred_channel, birth_year, tenure, registered_at, registered_by_partner_id, address_key, street, city, digest_frequency";

    public static Task InsertAsync(UnitOfWork work, ResidentResponse resident, CancellationToken cancellationToken) =>
        work.Connection.ExecuteAsync(new CommandDefinition(
            $"""
            INSERT INTO residents ({Columns})
            VALUES (@Id, @FullName, @Postcode, @HouseNumber, @HouseNumberSuffix, @BuurtCode,
                    @Email, @PhoneNumber, @PreferredLanguage, @PreferredChannel, @BirthYear, @Tenure,
                    @RegisteredAt, @RegisteredByPartnerId, @AddressKey, @Street, @City, @DigestFrequency)
            """,
            new
            {
                resident.Id, resident.FullName, resident.Postcode, resident.HouseNumber, resident.HouseNumberSuffix, resident.BuurtCode,
                resident.Email, resident.PhoneNumber, resident.PreferredLanguage, resident.PreferredChannel, resident.BirthYear,
                resident.Tenure, resident.RegisteredAt, resident.RegisteredByPartnerId, resident.AddressKey,
                resident.Street, resident.City, resident.DigestFrequency,
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
        }

        await writer.CompleteAsync(cancellationToken);
    }
}
