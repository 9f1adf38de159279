using Npgsql;
using NpgsqlTypes;

namespace Participatie.Residents;

/// <summary>Binary COPY needs an explicit null for a missing value.</summary>
public static class CopyWriting
{
    public static Task WriteNullableAsync<T>(this NpgsqlBinaryImporter writer, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
        where T : struct =>
        value is { } present ? writer.WriteAsync(present, type, cancellationToken) : writer.WriteNullAsync(cancellationToken);

    public static Task WriteNullableAsync(this NpgsqlBinaryImporter writer, string? value, NpgsqlDbType type, CancellationToken cancellationToken) =>
        value is null ? writer.WriteNullAsync(cancellationToken) : writer.WriteAsync(value, type, cancellationToken);
}
