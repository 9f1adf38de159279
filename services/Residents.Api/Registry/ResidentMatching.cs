using Dapper;
using Participatie.BuildingBlocks.Data;
using Participatie.Contracts;
using Participatie.Residents.Residents;

namespace Participatie.Residents.Registry;

/// <summary>
/// The matching rule: a registration at the same home (address key) with the same e-mail address or the same phone
/// number (each written alike, see ResidentIdentifierKeys) as a resident already known is that resident. The
/// registering partner is linked to them; nobody is registered twice.
/// </summary>
public sealed class ResidentMatching
{
    // Advisory locks of this class guard the homes being registered; 1024 buckets keep a bulk of 10,000 rows well
    // within PostgreSQL's lock table while two registrations of one home still wait for each other.
    private const int LockClass = 90_001;
    private const int Buckets = 1024;

    // By home: a bulk of 10,000 rows looks each row up among its own home's residents, not among all of them.
    private readonly Dictionary<string, List<Known>> _known;

    private ResidentMatching(IEnumerable<Known> known) =>
        _known = known.GroupBy(resident => resident.AddressKey!, StringComparer.Ordinal)
            .ToDictionary(home => home.Key, home => home.ToList(), StringComparer.Ordinal);

    /// <summary>
    /// Locks the homes for the rest of the transaction (so that two registrations of one person cannot both create
    /// them) and loads the residents known at them.
    /// </summary>
    public static async Task<ResidentMatching> LoadAsync(UnitOfWork work, IEnumerable<string?> addressKeys, CancellationToken cancellationToken)
    {
        var keys = addressKeys.OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        if (keys.Length == 0)
        {
            return new ResidentMatching([]);
        }

        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            SELECT pg_advisory_xact_lock(@LockClass, bucket)
            FROM (SELECT DISTINCT abs(hashtext(key) % @Buckets) AS bucket FROM unnest(@Keys) AS key ORDER BY bucket) AS buckets
            """,
            new { LockClass, Buckets, Keys = keys }, work.Transaction, cancellationToken: cancellationToken));
        var known = await work.Connection.QueryAsync<Known>(new CommandDefinition(
            """
            SELECT id AS Id, address_key AS AddressKey, email_normalised AS EmailNormalised, phone_normalised AS PhoneNormalised
            FROM residents WHERE address_key = ANY(@Keys)
            ORDER BY registered_at, id
            """,
            new { Keys = keys }, work.Transaction, cancellationToken: cancellationToken));
        return new ResidentMatching([.. known]);
    }

    /// <summary>The resident this registration is, or null when it is someone new.</summary>
    public Guid? Match(ResidentResponse candidate)
    {
        if (candidate.AddressKey is null || (candidate.EmailNormalised is null && candidate.PhoneNormalised is null))
        {
            return null;
        }

        return _known.GetValueOrDefault(candidate.AddressKey)?.FirstOrDefault(known =>
            ((candidate.EmailNormalised is not null && known.EmailNormalised == candidate.EmailNormalised)
                || (candidate.PhoneNormalised is not null && known.PhoneNormalised == candidate.PhoneNormalised)))?.Id;
    }

    /// <summary>A resident created in this transaction is known to the rows after it (a bulk registration's duplicates).</summary>
    public void Add(ResidentResponse created)
    {
        if (created.AddressKey is null)
        {
            return;
        }

        if (!_known.TryGetValue(created.AddressKey, out var home))
        {
            _known[created.AddressKey] = home = [];
        }

        home.Add(new Known { Id = created.Id, AddressKey = created.AddressKey, EmailNormalised = created.EmailNormalised, PhoneNormalised = created.PhoneNormalised });
    }

    /// <summary>
    /// Links the partner to residents it matched (once; a repeat changes nothing), and tells the other services, so
    /// that the partner sees these residents' pseudonymous ids as it does those it registered first.
    /// </summary>
    public static async Task LinkAsync(
        UnitOfWork work, IReadOnlyCollection<Guid> residentIds, Guid partnerId, string? clientId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        Guid[] ids = [.. residentIds.Distinct()];
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO resident_partners (resident_id, partner_id, registered_at, registered_by_client)
            SELECT unnest(@Ids), @PartnerId, @Now, @ClientId
            ON CONFLICT DO NOTHING
            """,
            new { Ids = ids, PartnerId = partnerId, Now = now, ClientId = clientId },
            work.Transaction, cancellationToken: cancellationToken));
        // A thousand per message, as for registrations, so that a bulk registration stays a few messages.
        foreach (var chunk in ids.Chunk(ResidentsRegistered.MaximumResidents))
        {
            await work.PublishAsync(new ResidentsLinkedToPartner(chunk, partnerId, now), cancellationToken);
        }
    }

    private sealed record Known
    {
        public required Guid Id { get; init; }

        public string? AddressKey { get; init; }

        public string? EmailNormalised { get; init; }

        public string? PhoneNormalised { get; init; }
    }
}
