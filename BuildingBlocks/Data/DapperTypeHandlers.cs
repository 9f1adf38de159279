using System.Data;
using System.Text.Json;
using Dapper;

namespace Participatie.BuildingBlocks.Data;

/// <summary>
/// Npgsql hands out timestamptz as a UTC DateTime and date as DateTime; our models use DateTimeOffset and
/// DateOnly; text[] arrives as string[] where models use read-only lists; jsonb objects of texts per language arrive
/// as their JSON text where models use read-only dictionaries. Read models are records with init
/// properties, which Dapper fills through these handlers.
/// </summary>
public static class DapperTypeHandlers
{
    private static int _registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1)
        {
            return;
        }

        // Dapper consults its built-in type map before any handler, so without this the handler never wrote a
        // parameter: a DateTimeOffset with an offset (a client's "+01:00") reached Npgsql as it was and was refused
        // (only UTC is written to timestamptz), a 500 found by the fuzz drill.
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset));
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset?));
        SqlMapper.AddTypeHandler(typeof(DateTimeOffset), new DateTimeOffsetHandler());
        SqlMapper.AddTypeHandler(new DateOnlyHandler());
        SqlMapper.AddTypeHandler(new StringListHandler());
        SqlMapper.AddTypeHandler(new StringDictionaryHandler());
    }

    /// <summary>PostgreSQL jsonb objects of strings (texts per language) as read-only dictionaries; write them with CAST(@x AS jsonb).</summary>
    private sealed class StringDictionaryHandler : SqlMapper.TypeHandler<IReadOnlyDictionary<string, string>>
    {
        public override void SetValue(IDbDataParameter parameter, IReadOnlyDictionary<string, string>? value)
        {
            parameter.DbType = DbType.String;
            parameter.Value = value is null ? DBNull.Value : JsonSerializer.Serialize(value);
        }

        public override IReadOnlyDictionary<string, string> Parse(object value) => value switch
        {
            string json => JsonSerializer.Deserialize<Dictionary<string, string>>(json)
                ?? throw new DataException("A jsonb object of strings was null."),
            _ => throw new DataException($"Cannot read a {value.GetType().Name} as a dictionary of strings."),
        };
    }

    /// <summary>PostgreSQL text[] columns as read-only lists of strings.</summary>
    private sealed class StringListHandler : SqlMapper.TypeHandler<IReadOnlyList<string>>
    {
        public override void SetValue(IDbDataParameter parameter, IReadOnlyList<string>? value) => parameter.Value = value?.ToArray();

        public override IReadOnlyList<string> Parse(object value) => value switch
        {
            string[] strings => strings,
            _ => throw new DataException($"Cannot read a {value.GetType().Name} as a list of strings."),
        };
    }

    /// <summary>
    /// Untyped, so that a NULL read into a <c>DateTimeOffset?</c> on its own (a scalar query) comes back as null:
    /// Dapper hands such a value to the handler as DBNull, which a typed handler cannot answer with null.
    /// </summary>
    private sealed class DateTimeOffsetHandler : SqlMapper.ITypeHandler
    {
        public void SetValue(IDbDataParameter parameter, object value) =>
            parameter.Value = value is DateTimeOffset offset ? offset.ToUniversalTime() : DBNull.Value;

        public object? Parse(Type destinationType, object value) => value switch
        {
            DBNull => null,
            DateTime dateTime => new DateTimeOffset(DateTime.SpecifyKind(dateTime, DateTimeKind.Utc)),
            DateTimeOffset offset => offset,
            _ => throw new DataException($"Cannot read a {value.GetType().Name} as a DateTimeOffset."),
        };
    }

    private sealed class DateOnlyHandler : SqlMapper.TypeHandler<DateOnly>
    {
        public override void SetValue(IDbDataParameter parameter, DateOnly value)
        {
            parameter.DbType = DbType.Date;
            parameter.Value = value;
        }

        public override DateOnly Parse(object value) => value switch
        {
            DateTime dateTime => DateOnly.FromDateTime(dateTime),
            DateOnly date => date,
            _ => throw new DataException($"Cannot read a {value.GetType().Name} as a DateOnly."),
        };
    }
}
