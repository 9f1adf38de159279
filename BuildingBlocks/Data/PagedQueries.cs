using System.Data;
using Dapper;
using Participatie.BuildingBlocks.Http;

namespace Participatie.BuildingBlocks.Data;

public static class PagedQueries
{
    /// <summary>
    /// Runs a command of two statements, written out beside its endpoint: the page of rows (ending in
    /// OFFSET @Offset LIMIT @Size) and their total count, and answers them as one page.
    /// </summary>
    public static async Task<Page<T>> QueryPageAsync<T>(this IDbConnection connection, PageQuery page, CommandDefinition command)
    {
        using var results = await connection.QueryMultipleAsync(command);
        var items = (await results.ReadAsync<T>()).AsList();
        return page.ToPage<T>(items, await results.ReadSingleAsync<long>());
    }
}
