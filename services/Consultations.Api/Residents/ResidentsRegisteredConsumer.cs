using Dapper;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Messaging;
using Participatie.BuildingBlocks.Residents;
using Participatie.Contracts;

namespace Participatie.Consultations.Residents;

/// <summary>A partner's bulk registration: the pseudonymous picture of each of its residents, in one statement.</summary>
public sealed class ResidentsRegisteredConsumer(UnitOfWorkFactory unitOfWork) : IdempotentConsumer<ResidentsRegistered>(unitOfWork)
{
    protected override async Task HandleAsync(ResidentsRegistered message, UnitOfWork work, CancellationToken cancellationToken)
    {
        await ResidentsConcernedStore.UpsertAsync(work, message.Residents, cancellationToken);
        await ResidentPartnerLinks.RecordAsync(work, message.Residents, cancellationToken);
    }
}

/// <summary>The SQL of the pseudonymous picture of residents, for one registration or a thousand.</summary>
public static class ResidentsConcernedStore
{
    public static Task UpsertAsync(UnitOfWork work, IReadOnlyList<ResidentRegistered> residents, CancellationToken cancellationToken) =>
        work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO residents_concerned (resident_id, buurt_code, language, age_band, tenure, birth_year)
            SELECT * FROM unnest(@ResidentIds, @BuurtCodes, @Languages, @AgeBands, @Tenures, @BirthYears)
            ON CONFLICT (resident_id) DO UPDATE
                SET buurt_code = excluded.buurt_code, language = excluded.language,
                    age_band = excluded.age_band, tenure = excluded.tenure, birth_year = excluded.birth_year
                -- A registration that arrives after a snapshot of the resident is older news: the snapshot stands.
                WHERE residents_concerned.profile_version IS NULL
            """,
            new
            {
                ResidentIds = residents.Select(resident => resident.ResidentId).ToArray(),
                BuurtCodes = residents.Select(resident => resident.BuurtCode).ToArray(),
                Languages = residents.Select(resident => resident.PreferredLanguage).ToArray(),
                AgeBands = residents.Select(resident => resident.AgeBand).ToArray(),
                Tenures = residents.Select(resident => resident.Tenure).ToArray(),
                BirthYears = residents.Select(resident => resident.BirthYear).ToArray(),
            },
            work.Transaction, cancellationToken: cancellationToken));
}
