using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Participatie.BuildingBlocks.Data;
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

    /// <summary>Whether the database refused a row because its resident was erased.</summary>
    public static bool IsRefusal(PostgresException exception) => exception.SqlState == RefusedSqlState;

    public static ProblemHttpResult Problem(Guid residentId) =>
        Problems.Unprocessable("residentId", $"Resident '{residentId}' asked for their data to be erased; nothing new can be linked to them.");

    /// <summary>
    /// A 422 naming <c>residentId</c> when the resident was erased; null otherwise. Takes the erasure lock shared for
    /// the rest of the transaction, as the triggers of Migrations/0012 do: an erasure in progress is waited for, and
    /// one that starts later waits until this transaction's insert is in, so it unlinks that too.
    /// </summary>
    public static async Task<ProblemHttpResult?> RefuseIfErasedAsync(UnitOfWork work, Guid residentId, CancellationToken cancellationToken)
    {
        await work.Connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_advisory_xact_lock_shared(hashtext('resident-erasure'))", transaction: work.Transaction, cancellationToken: cancellationToken));
        // A statement of its own after the lock: read committed takes a new snapshot, which sees an erasure that just committed.
        var erased = await work.Connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM erased_residents WHERE resident_id = @ResidentId)",
            new { ResidentId = residentId }, work.Transaction, cancellationToken: cancellationToken));
        return erased ? Problem(residentId) : null;
    }
}
