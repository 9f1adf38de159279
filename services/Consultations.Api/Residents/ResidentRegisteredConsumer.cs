using Dapper;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Messaging;
using Participatie.Contracts;

namespace Participatie.Consultations.Residents;

/// <summary>Keeps the pseudonymous picture of the residents a consultation concerns, to measure whom it reaches.</summary>
public sealed class ResidentRegisteredConsumer(UnitOfWorkFactory unitOfWork) : IdempotentConsumer<ResidentRegistered>(unitOfWork)
{
    protected override Task HandleAsync(ResidentRegistered message, UnitOfWork work, CancellationToken cancellationToken) =>
        work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO residents_concerned (resident_id, buurt_code, language, age_band, tenure)
            VALUES (@ResidentId, @BuurtCode, @PreferredLanguage, @AgeBand, @Tenure)
            ON CONFLICT (resident_id) DO UPDATE
                SET buurt_code = excluded.buurt_code, language = excluded.language,
                    age_band = excluded.age_band, tenure = excluded.tenure
            """,
            message, work.Transaction, cancellationToken: cancellationToken));
}
