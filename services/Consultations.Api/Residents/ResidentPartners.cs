using Dapper;
using Npgsql;

namespace Participatie.Consultations.Residents;

/// <summary>
/// Which partners registered each resident (or were linked to them later): only they see the resident's pseudonymous
/// id; every other partner of the trajectory sees what was said or done, not by whom.
/// </summary>
public static class ResidentPartners
{
    /// <summary>
    /// The items as the partner may see them: those about a resident it did not register lose the resident's id
    /// (<paramref name="withoutResident"/>), keeping what was said or done.
    /// </summary>
    public static async Task<List<T>> HideOthersAsync<T>(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid? partnerId, IEnumerable<T> items, Func<T, Guid?> residentOf,
        Func<T, T> withoutResident, CancellationToken cancellationToken)
    {
        var list = items.ToList();
        var own = await RegisteredByAsync(connection, transaction, partnerId, list.Select(residentOf).OfType<Guid>(), cancellationToken);
        return [.. list.Select(item => residentOf(item) is { } residentId && own.Contains(residentId) ? item : withoutResident(item))];
    }

    /// <summary>Those of <paramref name="residentIds"/> the partner registered (or was linked to).</summary>
    public static async Task<HashSet<Guid>> RegisteredByAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid? partnerId, IEnumerable<Guid> residentIds, CancellationToken cancellationToken)
    {
        Guid[] ids = [.. residentIds.Distinct()];
        if (partnerId is null || ids.Length == 0)
        {
            return [];
        }

        return [.. await connection.QueryAsync<Guid>(new CommandDefinition(
            "SELECT resident_id FROM resident_partners WHERE partner_id = @PartnerId AND resident_id = ANY(@Ids)",
            new { PartnerId = partnerId, Ids = ids }, transaction, cancellationToken: cancellationToken))];
    }
}

