using Dapper;
using Participatie.BuildingBlocks.Data;
using Participatie.Contracts;

namespace Participatie.Residents.Audiences;

/// <summary>A consultation already meant for some addresses reaches whoever registers at one of them later.</summary>
public static class AddressScopedAudiences
{
    /// <summary>
    /// Announces, in the unit of work, the newly registered residents who live at addresses a consultation is meant
    /// for: one <see cref="ConsultationAudienceResolved"/> per consultation, naming them by pseudonymous id only.
    /// </summary>
    public static async Task AnnounceNewcomersAsync(
        UnitOfWork work, IReadOnlyList<(Guid ResidentId, string? AddressKey)> newcomers, CancellationToken cancellationToken)
    {
        var keys = newcomers.Select(newcomer => newcomer.AddressKey).OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        if (keys.Length == 0)
        {
            return;
        }

        var consultations = (await work.Connection.QueryAsync<(Guid ConsultationId, Guid TrajectoryId, string AddressKey)>(new CommandDefinition(
            """
            SELECT c.consultation_id, c.trajectory_id, k.address_key
            FROM address_scoped_consultation_keys k JOIN address_scoped_consultations c ON c.consultation_id = k.consultation_id
            WHERE k.address_key = ANY(@Keys)
            ORDER BY c.consultation_id
            """,
            new { Keys = keys }, work.Transaction, cancellationToken: cancellationToken))).AsList();
        if (consultations.Count == 0)
        {
            return;
        }

        var residentsByKey = newcomers.Where(newcomer => newcomer.AddressKey is not null)
            .ToLookup(newcomer => newcomer.AddressKey!, newcomer => newcomer.ResidentId, StringComparer.Ordinal);
        foreach (var consultation in consultations.GroupBy(row => (row.ConsultationId, row.TrajectoryId)))
        {
            Guid[] residentIds = [.. consultation.SelectMany(row => residentsByKey[row.AddressKey]).Distinct()];
            await work.PublishAsync(
                new ConsultationAudienceResolved(consultation.Key.ConsultationId, consultation.Key.TrajectoryId, residentIds), cancellationToken);
        }
    }
}
