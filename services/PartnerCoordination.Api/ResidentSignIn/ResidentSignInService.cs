using System.Security.Cryptography;
using System.Text;
using Participatie.BuildingBlocks.Data;
using Participatie.Contracts;
using Participatie.PartnerCoordination.Domain;

namespace Participatie.PartnerCoordination.ResidentSignIn;

/// <summary>
/// The platform secret that turns an e-mail address, phone number or home into the key the residents service
/// published. Read when first needed rather than at the start: a token server that serves only partners (as in
/// other services' tests) runs without it.
/// </summary>
public sealed class ResidentIdentifierSecret(IConfiguration configuration)
{
    private readonly Lazy<byte[]> _secret = new(() => ResidentIdentifierKeys.ParseSecret(configuration["Identity:ResidentIdentifierKey"]));

    public byte[] Value => _secret.Value;
}

/// <summary>What a try to redeem a code came to.</summary>
public abstract record RedeemOutcome
{
    public sealed record SignedIn(Guid ResidentId) : RedeemOutcome;

    public sealed record Refused(string Reason) : RedeemOutcome;

    public sealed record Locked(DateTimeOffset Until) : RedeemOutcome;
}

/// <summary>The answer to a code request, the same whether or not anybody matched.</summary>
public sealed record SignInChallenge
{
    public required Guid ChallengeId { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }
}

/// <summary>
/// Asking for and redeeming one-time codes. Every answer to a request looks alike whether or not the address is
/// known, so that nobody can find out who lives or signs in where.
/// </summary>
public sealed class ResidentSignInService(UnitOfWorkFactory unitOfWork, ResidentIdentifierSecret secret, TimeProvider clock)
{
    public const string Email = "email";
    public const string Sms = "sms";
    public const string Letter = "letter";

    private const string CodeRefused = "The code is not valid, has expired or was used before.";

    /// <summary>
    /// Sends a code to the one resident who signs in with this address. When residents of several homes share it,
    /// <paramref name="homeAddress"/> (<see cref="AddressKeys.Key"/>) picks the one living there; without it nobody
    /// gets a code. Every request leaves a challenge that counts wrong tries against the address's lock, a decoy when
    /// nothing was sent, so that no answer and no lock tells whether the address is known.
    /// </summary>
    public async Task<SignInChallenge> RequestCodeAsync(string channel, string address, string? homeAddress, CancellationToken cancellationToken)
    {
        var key = channel == Email ? ResidentIdentifierKeys.Email(address, secret.Value) : ResidentIdentifierKeys.Phone(address, secret.Value);
        var subject = ResidentSignInStore.AddressSubject(channel, key);
        var now = clock.GetUtcNow();
        var answer = new SignInChallenge { ChallengeId = Guid.NewGuid(), ExpiresAt = now + ResidentSignInRules.CodeValidity };
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        var resident = ChooseResident(await ResidentSignInStore.FindByKeyAsync(work, channel, key, cancellationToken), homeAddress);
        var locked = (await ResidentSignInStore.ReadLockAsync(work, subject, cancellationToken)).IsLocked(now);
        // Locked residents get no code either: a new one would only give more tries.
        var sendTo = locked ? null : resident;
        var code = ResidentSignInRules.NewCode();
        await ResidentSignInStore.InsertCodeAsync(
            work, answer.ChallengeId, sendTo?.ResidentId, channel, ResidentSignInRules.HashCode(answer.ChallengeId, code), null, subject, now, answer.ExpiresAt,
            cancellationToken);
        if (resident is not null)
        {
            await ResidentSignInStore.LogAsync(
                work, resident.ResidentId, locked ? SignInEventKinds.RequestedWhileLocked : SignInEventKinds.CodeRequested, channel, now, cancellationToken);
        }

        if (sendTo is not null)
        {
            await work.PublishAsync(new SignInCodeRequested(answer.ChallengeId, sendTo.ResidentId, channel, code, answer.ExpiresAt, now), cancellationToken);
        }

        await work.CommitAsync(cancellationToken);
        return answer;
    }

    /// <summary>The one resident the address belongs to; when several homes share it, the one at the home given.</summary>
    private KnownResident? ChooseResident(IReadOnlyList<KnownResident> matches, string? homeAddress)
    {
        if (matches.Count <= 1)
        {
            return matches.SingleOrDefault();
        }

        if (homeAddress is null)
        {
            return null;
        }

        var homeKey = ResidentIdentifierKeys.Home(homeAddress, secret.Value);
        var atHome = matches.Where(match => match.HomeKey == homeKey).ToList();
        return atHome.Count == 1 ? atHome[0] : null;
    }

    /// <summary>A personal letter code for each resident of the home; returns until when such codes hold.</summary>
    public async Task<DateTimeOffset> RequestLetterCodesAsync(string homeKey, CancellationToken cancellationToken)
    {
        var key = ResidentIdentifierKeys.Home(homeKey, secret.Value);
        var now = clock.GetUtcNow();
        var expiresAt = now + ResidentSignInRules.LetterCodeValidity;
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        if ((await ResidentSignInStore.ReadLockAsync(work, ResidentSignInStore.HomeSubject(key), cancellationToken)).IsLocked(now))
        {
            return expiresAt;
        }

        foreach (var resident in await ResidentSignInStore.FindByHomeAsync(work, key, cancellationToken))
        {
            // A letter costs money and anyone may ask: one a day per resident while the last one is unused.
            if (await ResidentSignInStore.HasRecentLetterCodeAsync(work, resident.ResidentId, now - TimeSpan.FromDays(1), cancellationToken))
            {
                continue;
            }

            var challengeId = Guid.NewGuid();
            var code = LetterCodes.New();
            await ResidentSignInStore.InsertCodeAsync(
                work, challengeId, resident.ResidentId, Letter, ResidentSignInRules.HashLetterCode(code), key, ResidentSignInStore.HomeSubject(key), now, expiresAt,
                cancellationToken);
            await ResidentSignInStore.LogAsync(work, resident.ResidentId, SignInEventKinds.CodeRequested, Letter, now, cancellationToken);
            await work.PublishAsync(new SignInCodeRequested(challengeId, resident.ResidentId, Letter, code, expiresAt, now), cancellationToken);
        }

        await work.CommitAsync(cancellationToken);
        return expiresAt;
    }

    public async Task<RedeemOutcome> RedeemCodeAsync(Guid challengeId, string code, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        var stored = await ResidentSignInStore.FindChallengeAsync(work, challengeId, cancellationToken);
        // A challenge id nobody was given (made up, or long expired) still locks after five tries, like any other.
        var subject = stored?.LockSubject ?? ResidentSignInStore.ChallengeSubject(challengeId);
        var lockState = await ResidentSignInStore.HoldLockAsync(work, subject, stored?.ResidentId, cancellationToken);
        if (lockState.IsLocked(now))
        {
            return new RedeemOutcome.Locked(lockState.LockedUntil!.Value);
        }

        // A decoy has a hash like any challenge, but no code of it was sent: it can only be wrong.
        if (stored?.ResidentId is not { } residentId
            || !ResidentSignInRules.LooksLikeCode(code) || !SameHash(ResidentSignInRules.HashCode(challengeId, code), stored.CodeHash))
        {
            return await CountWrongTryAsync(work, subject, lockState, stored?.ResidentId, stored?.Channel ?? Email, now, cancellationToken);
        }

        return await UseAsync(work, stored, residentId, subject, now, cancellationToken);
    }

    public async Task<RedeemOutcome> RedeemLetterCodeAsync(string homeKey, string code, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var key = ResidentIdentifierKeys.Home(homeKey, secret.Value);
        var subject = ResidentSignInStore.HomeSubject(key);
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        var lockState = await ResidentSignInStore.HoldLockAsync(work, subject, null, cancellationToken);
        if (lockState.IsLocked(now))
        {
            return new RedeemOutcome.Locked(lockState.LockedUntil!.Value);
        }

        var stored = await ResidentSignInStore.FindLetterCodeAsync(work, key, ResidentSignInRules.HashLetterCode(code), cancellationToken);
        if (stored?.ResidentId is not { } residentId)
        {
            return await CountWrongTryAsync(work, subject, lockState, residentId: null, Letter, now, cancellationToken);
        }

        // Bound to the home it was sent to: a resident who moved since cannot use it.
        if (!await ResidentSignInStore.LivesAtAsync(work, residentId, key, cancellationToken))
        {
            return new RedeemOutcome.Refused(CodeRefused);
        }

        return await UseAsync(work, stored, residentId, subject, now, cancellationToken);
    }

    private static async Task<RedeemOutcome> UseAsync(
        UnitOfWork work, StoredSignInCode stored, Guid residentId, string subject, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (stored.UsedAt is not null || stored.ExpiresAt <= now
            || !await ResidentSignInStore.CanSignInAsync(work.Connection, work.Transaction, residentId, cancellationToken)
            || !await ResidentSignInStore.UseCodeAsync(work, stored.ChallengeId, now, cancellationToken))
        {
            return new RedeemOutcome.Refused(CodeRefused);
        }

        await ResidentSignInStore.SetLockAsync(work, subject, 0, null, null, cancellationToken);
        await ResidentSignInStore.LogAsync(work, residentId, SignInEventKinds.CodeUsed, stored.Channel, now, cancellationToken);
        await work.CommitAsync(cancellationToken);
        return new RedeemOutcome.SignedIn(residentId);
    }

    private static async Task<RedeemOutcome> CountWrongTryAsync(
        UnitOfWork work, string subject, SignInLock lockState, Guid? residentId, string channel, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (failedAttempts, lockedUntil) = ResidentSignInRules.AfterWrongTry(lockState.FailedAttempts, lockState.LastFailedAt, now);
        await ResidentSignInStore.SetLockAsync(work, subject, failedAttempts, now, lockedUntil, cancellationToken);
        if (residentId is { } id)
        {
            await ResidentSignInStore.LogAsync(work, id, SignInEventKinds.WrongCode, channel, now, cancellationToken);
            if (lockedUntil is not null)
            {
                await ResidentSignInStore.LogAsync(work, id, SignInEventKinds.Locked, channel, now, cancellationToken);
            }
        }

        await work.CommitAsync(cancellationToken);
        return lockedUntil is { } until ? new RedeemOutcome.Locked(until) : new RedeemOutcome.Refused(CodeRefused);
    }

    private static bool SameHash(string left, string right) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(left), Encoding.ASCII.GetBytes(right));
}
