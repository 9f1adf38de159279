using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Participatie.BuildingBlocks.Http;

namespace Participatie.Consultations.DataRights;

/// <summary>
/// Keeps an erased resident erased against the API: a partner names the resident by id in the body, and without this
/// check a reaction, registration or answer entered after the erasure would tie new activity to the erased id again.
/// </summary>
public static class ErasedResidents
{
    /// <summary>The SQLSTATE with which a table's trigger refuses a row for an erased resident (Migrations/0015).</summary>
    public const string RefusedSqlState = "PE422";

    /// <summary>The 422 naming <c>residentId</c> for a row the trigger refused.</summary>
    public static ProblemHttpResult Refusal(Guid residentId) =>
        Problems.Unprocessable("residentId", $"Resident '{residentId}' asked for their data to be erased; nothing new can be linked to them.");

    /// <summary>
    /// Runs an insert of a row for <paramref name="residentId"/> that the table's trigger refuses when the resident was
    /// erased (Migrations/0015 and 0018: the erasure lock shared, then a lookup with a fresh snapshot, in the INSERT
    /// itself); the refusal becomes a 422 naming <c>residentId</c>. The caller's transaction is then aborted.
    /// </summary>
    public static async Task<(T? Value, ProblemHttpResult? Problem)> InsertAsync<T>(Guid residentId, Func<Task<T>> insert)
    {
        try
        {
            return (await insert(), null);
        }
        catch (PostgresException exception) when (exception.SqlState == RefusedSqlState)
        {
            return (default, Refusal(residentId));
        }
    }
}
