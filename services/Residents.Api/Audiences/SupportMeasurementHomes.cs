using Dapper;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Messaging;
using Participatie.Contracts;

namespace Participatie.Residents.Audiences;

/// <summary>
/// The homes of a support measurement (draagvlakmeting) and who lives there, as only this service can tell: for each
/// home key the pseudonymous ids of its residents, never an address with an id. Answered when the measurement opens,
/// and again for a home whose residents change while it runs (someone registers at it, moves in or moves out): then
/// the home's whole current list, so that the consultations service can take it as it is.
/// </summary>
public sealed class HomeAnnouncements
{
    public async Task AnnounceAsync(UnitOfWork work, IEnumerable<string?> homeKeys, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var keys = homeKeys.OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        if (keys.Length == 0)
        {
            return;
        }

        var measurements = (await work.Connection.QueryAsync<(Guid MeasurementId, string HomeKey)>(new CommandDefinition(
            """
            SELECT h.measurement_id, h.home_key
            FROM support_measurement_homes h JOIN support_measurements m ON m.measurement_id = h.measurement_id
            WHERE h.home_key = ANY(@Keys) AND m.deadline >= @Now
            ORDER BY h.measurement_id, h.home_key
            """,
            new { Keys = keys, Now = now }, work.Transaction, cancellationToken: cancellationToken))).AsList();
        foreach (var measurement in measurements.GroupBy(row => row.MeasurementId))
        {
            await work.PublishAsync(
                new SupportMeasurementHomesResolved(measurement.Key, await ResidentsAtAsync(work, [.. measurement.Select(row => row.HomeKey)], cancellationToken)),
                cancellationToken);
        }
    }

    /// <summary>For each home key, the residents who live there now (an empty list for a home where nobody is known).</summary>
    public static async Task<IReadOnlyList<HomeResidents>> ResidentsAtAsync(UnitOfWork work, IReadOnlyList<string> homeKeys, CancellationToken cancellationToken)
    {
        var residents = (await work.Connection.QueryAsync<(string AddressKey, Guid Id)>(new CommandDefinition(
            "SELECT address_key, id FROM residents WHERE address_key = ANY(@Keys) ORDER BY address_key, id",
            new { Keys = homeKeys.ToArray() }, work.Transaction, cancellationToken: cancellationToken)))
            .ToLookup(row => row.AddressKey, row => row.Id, StringComparer.Ordinal);
        return [.. homeKeys.Distinct(StringComparer.Ordinal).Select(key => new HomeResidents(key, [.. residents[key]]))];
    }
}

/// <summary>Remembers a support measurement's homes and answers with their residents (see <see cref="HomeAnnouncements"/>).</summary>
public sealed class SupportMeasurementOpenedConsumer(UnitOfWorkFactory unitOfWork) : IdempotentConsumer<SupportMeasurementOpened>(unitOfWork)
{
    protected override async Task HandleAsync(SupportMeasurementOpened message, UnitOfWork work, CancellationToken cancellationToken)
    {
        // The keys are AddressKeys.Key values, as residents' own address_key is: compared as they are.
        string[] keys = [.. message.HomeKeys.Distinct(StringComparer.Ordinal)];
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO support_measurements (measurement_id, trajectory_id, deadline) VALUES (@MeasurementId, @TrajectoryId, @Deadline)
            ON CONFLICT (measurement_id) DO UPDATE SET deadline = excluded.deadline;
            INSERT INTO support_measurement_homes (measurement_id, home_key) SELECT @MeasurementId, unnest(@Keys)
            ON CONFLICT DO NOTHING;
            """,
            new { message.MeasurementId, message.TrajectoryId, message.Deadline, Keys = keys }, work.Transaction, cancellationToken: cancellationToken));
        await work.PublishAsync(
            new SupportMeasurementHomesResolved(message.MeasurementId, await HomeAnnouncements.ResidentsAtAsync(work, keys, cancellationToken)),
            cancellationToken);
    }
}
