using Dapper;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Messaging;
using Participatie.Contracts;

namespace Participatie.BuildingBlocks.Residents;

/// <summary>
/// A service's copy of which partners registered each resident (or were linked to them later), in its own
/// <c>resident_partners</c> table: only those partners see the resident's pseudonymous id there.
/// </summary>
public static class ResidentPartnerLinks
{
    /// <summary>Links each newly registered resident to the partner that registered them, in the consumer's transaction.</summary>
    public static Task RecordAsync(UnitOfWork work, IReadOnlyList<ResidentRegistered> residents, CancellationToken cancellationToken)
    {
        var registered = residents.Where(resident => resident.RegisteredByPartnerId is not null).ToList();
        return registered.Count == 0
            ? Task.CompletedTask
            : LinkAsync(work, [.. registered.Select(resident => resident.ResidentId)], [.. registered.Select(resident => resident.RegisteredByPartnerId!.Value)], cancellationToken);
    }

    public static Task LinkAsync(UnitOfWork work, Guid[] residentIds, Guid[] partnerIds, CancellationToken cancellationToken) =>
        work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO resident_partners (resident_id, partner_id)
            SELECT * FROM unnest(@ResidentIds, @PartnerIds)
            ON CONFLICT DO NOTHING
            """,
            new { ResidentIds = residentIds, PartnerIds = partnerIds }, work.Transaction, cancellationToken: cancellationToken));
}

/// <summary>A partner registered residents already known: it now sees their ids too.</summary>
public sealed class ResidentsLinkedToPartnerConsumer(UnitOfWorkFactory unitOfWork) : IdempotentConsumer<ResidentsLinkedToPartner>(unitOfWork)
{
    protected override Task HandleAsync(ResidentsLinkedToPartner message, UnitOfWork work, CancellationToken cancellationToken) =>
        ResidentPartnerLinks.LinkAsync(work, [.. message.ResidentIds], [.. message.ResidentIds.Select(_ => message.PartnerId)], cancellationToken);
}
