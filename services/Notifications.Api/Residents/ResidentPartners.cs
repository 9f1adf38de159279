using Dapper;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Messaging;
using Participatie.Contracts;

namespace Participatie.Notifications.Residents;

/// <summary>
/// Which partners registered each resident (or were linked to them later): only they see the resident's pseudonymous
/// id; every other partner of the trajectory sees what was said or done, not by whom.
/// </summary>
public static class ResidentPartners
{
    /// <summary>SQL on <c>notifications</c>: whether the caller (<c>@CallerPartnerId</c>) registered the notification's resident.</summary>
    public const string CallerRegisteredResident =
        "EXISTS (SELECT 1 FROM resident_partners rp WHERE rp.resident_id = notifications.resident_id AND rp.partner_id = @CallerPartnerId)";

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
        ResidentPartners.LinkAsync(work, [.. message.ResidentIds], [.. message.ResidentIds.Select(_ => message.PartnerId)], cancellationToken);
}
