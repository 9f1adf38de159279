using System.Text.Json;
using Dapper;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Messaging;
using Participatie.Contracts;

namespace Participatie.PartnerCoordination.ResidentSignIn;

/// <summary>Keeps the keys a resident signs in with; only a newer version replaces what is known.</summary>
public sealed class ResidentSignInKeysChangedConsumer(UnitOfWorkFactory unitOfWork)
    : IdempotentConsumer<ResidentSignInKeysChanged>(unitOfWork)
{
    protected override Task HandleAsync(ResidentSignInKeysChanged message, UnitOfWork work, CancellationToken cancellationToken) =>
        ResidentSignInStore.ApplyKeysAsync(work, message, cancellationToken);
}

/// <summary>The keys of a partner's bulk registration, a thousand residents in one transaction.</summary>
public sealed class ResidentsSignInKeysChangedConsumer(UnitOfWorkFactory unitOfWork)
    : IdempotentConsumer<ResidentsSignInKeysChanged>(unitOfWork)
{
    protected override Task HandleAsync(ResidentsSignInKeysChanged message, UnitOfWork work, CancellationToken cancellationToken) =>
        ResidentSignInStore.ApplyManyKeysAsync(work, message.Keys, cancellationToken);
}

/// <summary>
/// A resident was erased: their keys, codes, locks and sign-in history go; a row without keys stays, so that a late
/// message cannot bring the keys back (and a refresh token stops working). Each erasure is confirmed once.
/// </summary>
public sealed class ResidentErasedConsumer(UnitOfWorkFactory unitOfWork, TimeProvider clock)
    : IdempotentConsumer<ResidentErased>(unitOfWork)
{
    protected override async Task HandleAsync(ResidentErased message, UnitOfWork work, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            DELETE FROM resident_sign_in_codes WHERE resident_id = @ResidentId;
            DELETE FROM resident_sign_in_events WHERE resident_id = @ResidentId;
            DELETE FROM resident_sign_in_locks WHERE resident_id = @ResidentId;
            INSERT INTO resident_sign_in_keys (resident_id, version, changed_at, erased_at) VALUES (@ResidentId, 0, @Now, @Now)
            ON CONFLICT (resident_id) DO UPDATE
            SET email_key = NULL, phone_key = NULL, home_key = NULL, preferred_language = NULL,
                erased_at = COALESCE(resident_sign_in_keys.erased_at, EXCLUDED.erased_at);
            """,
            new { message.ResidentId, Now = now }, work.Transaction, cancellationToken: cancellationToken));
        var firstTime = await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO resident_erasures (erasure_id, resident_id, confirmed_at) VALUES (@ErasureId, @ResidentId, @Now)
            ON CONFLICT DO NOTHING
            """,
            new { message.ErasureId, message.ResidentId, Now = now }, work.Transaction, cancellationToken: cancellationToken)) == 1;
        if (firstTime)
        {
            await work.PublishAsync(
                new ResidentErasureConfirmed(message.ErasureId, message.ResidentId, DataHoldingServices.PartnerCoordination, now), cancellationToken);
        }
    }
}

/// <summary>
/// The token server's part of a resident's data export: whether and how they can sign in, their sign-in history
/// and any lock. Never a code, a hash or a key.
/// </summary>
public sealed class ResidentDataExportRequestedConsumer(UnitOfWorkFactory unitOfWork, TimeProvider clock)
    : IdempotentConsumer<ResidentDataExportRequested>(unitOfWork)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    protected override async Task HandleAsync(ResidentDataExportRequested message, UnitOfWork work, CancellationToken cancellationToken)
    {
        var parameters = new { message.ResidentId };
        var keys = await work.Connection.QueryAsync<ExportedSignInKeys>(new CommandDefinition(
            """
            SELECT version, email_key IS NOT NULL AS SignsInWithEmailAddress, phone_key IS NOT NULL AS SignsInWithPhoneNumber,
                   home_key IS NOT NULL AS SignsInWithLetterAtHome, preferred_language AS PreferredLanguage,
                   changed_at AS ChangedAt, erased_at AS ErasedAt
            FROM resident_sign_in_keys WHERE resident_id = @ResidentId
            """,
            parameters, work.Transaction, cancellationToken: cancellationToken));
        var history = await work.Connection.QueryAsync<ExportedSignInEvent>(new CommandDefinition(
            "SELECT kind, channel, occurred_at AS OccurredAt FROM resident_sign_in_events WHERE resident_id = @ResidentId ORDER BY occurred_at, id",
            parameters, work.Transaction, cancellationToken: cancellationToken));
        var locks = await work.Connection.QueryAsync<ExportedSignInLock>(new CommandDefinition(
            "SELECT failed_attempts AS FailedAttempts, locked_until AS LockedUntil FROM resident_sign_in_locks WHERE resident_id = @ResidentId",
            parameters, work.Transaction, cancellationToken: cancellationToken));
        var data = JsonSerializer.Serialize(new { signInKeys = keys, signInHistory = history, signInLocks = locks }, Json);
        await work.PublishAsync(
            new ResidentDataExported(message.ExportId, message.ResidentId, DataHoldingServices.PartnerCoordination, data, clock.GetUtcNow()),
            cancellationToken);
    }

    private sealed record ExportedSignInKeys
    {
        public long Version { get; init; }

        public bool SignsInWithEmailAddress { get; init; }

        public bool SignsInWithPhoneNumber { get; init; }

        public bool SignsInWithLetterAtHome { get; init; }

        public string? PreferredLanguage { get; init; }

        public DateTimeOffset ChangedAt { get; init; }

        public DateTimeOffset? ErasedAt { get; init; }
    }

    private sealed record ExportedSignInEvent
    {
        public required string Kind { get; init; }

        public string? Channel { get; init; }

        public DateTimeOffset OccurredAt { get; init; }
    }

    private sealed record ExportedSignInLock
    {
        public int FailedAttempts { get; init; }

        public DateTimeOffset? LockedUntil { get; init; }
    }
}
