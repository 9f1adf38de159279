using Dapper;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Messaging;
using Participatie.Contracts;

namespace Participatie.Consultations.Residents;

/// <summary>
/// A resident's newer pseudonymous snapshot (a move, a new language, a birth year): applied to the projection only
/// when its version is newer than the one held, so a late or redelivered snapshot never undoes a later change.
/// </summary>
public sealed class ResidentProfileChangedConsumer(UnitOfWorkFactory unitOfWork) : IdempotentConsumer<ResidentProfileChanged>(unitOfWork)
{
    protected override Task HandleAsync(ResidentProfileChanged message, UnitOfWork work, CancellationToken cancellationToken) =>
        work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO residents_concerned (resident_id, buurt_code, language, age_band, tenure, birth_year, profile_version)
            VALUES (@ResidentId, @BuurtCode, @PreferredLanguage, @AgeBand, @Tenure, @BirthYear, @Version)
            ON CONFLICT (resident_id) DO UPDATE
                SET buurt_code = excluded.buurt_code, language = excluded.language, age_band = excluded.age_band,
                    tenure = excluded.tenure, birth_year = excluded.birth_year, profile_version = excluded.profile_version
                WHERE residents_concerned.profile_version IS NULL OR residents_concerned.profile_version < excluded.profile_version
            """,
            new
            {
                message.ResidentId, message.BuurtCode, message.PreferredLanguage, message.Tenure, message.BirthYear, message.Version,
                // Kept for rows read without a birth year; reach computes the band from the birth year when there is one.
                AgeBand = AgeBands.Of(message.BirthYear, message.ChangedAt.Year),
            },
            work.Transaction, cancellationToken: cancellationToken));
}
