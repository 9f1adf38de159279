using Dapper;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Messaging;
using Participatie.BuildingBlocks.Residents;
using Participatie.Contracts;
using Participatie.Notifications.Domain;
using Participatie.Notifications.Recipients;
using Participatie.Notifications.Texts;

namespace Participatie.Notifications.Residents;

/// <summary>
/// A partner's bulk registration: remembers how to reach each of its residents, and invites them to the consultations
/// still open in their buurten, a statement per consultation instead of one per resident.
/// </summary>
public sealed class ResidentsRegisteredConsumer(UnitOfWorkFactory unitOfWork) : IdempotentConsumer<ResidentsRegistered>(unitOfWork)
{
    protected override Task HandleAsync(ResidentsRegistered message, UnitOfWork work, CancellationToken cancellationToken) =>
        Newcomers.WelcomeAsync(work, message.Residents, cancellationToken);
}

/// <summary>
/// Remembers how to reach new residents, and invites them to the consultations still open in their buurten (they may
/// have registered after a consultation opened, or the two events may have crossed): one registration or a thousand,
/// a statement per consultation.
/// </summary>
public static class Newcomers
{
    public static async Task WelcomeAsync(UnitOfWork work, IReadOnlyList<ResidentRegistered> residents, CancellationToken cancellationToken)
    {
        await ResidentPartnerLinks.RecordAsync(work, residents, cancellationToken);
        await NotificationStore.LockBuurtenAsync(work, residents.Select(resident => resident.BuurtCode), cancellationToken);
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO recipients (resident_id, buurt_code, preferred_language, preferred_channel, registered_at, digest_frequency)
            SELECT * FROM unnest(@ResidentIds, @BuurtCodes, @Languages, @Channels, @RegisteredAt, @DigestFrequencies)
            ON CONFLICT (resident_id) DO UPDATE
                SET buurt_code = excluded.buurt_code,
                    preferred_language = excluded.preferred_language,
                    preferred_channel = excluded.preferred_channel,
                    digest_frequency = excluded.digest_frequency
                -- A resident's snapshot is newer news than their registration: it stands.
                WHERE recipients.profile_version IS NULL
            """,
            new
            {
                ResidentIds = residents.Select(resident => resident.ResidentId).ToArray(),
                BuurtCodes = residents.Select(resident => resident.BuurtCode).ToArray(),
                Languages = residents.Select(resident => resident.PreferredLanguage).ToArray(),
                Channels = residents.Select(resident => resident.PreferredChannel).ToArray(),
                RegisteredAt = residents.Select(resident => resident.RegisteredAt).ToArray(),
                DigestFrequencies = residents.Select(resident => resident.DigestFrequency).ToArray(),
            },
            work.Transaction, cancellationToken: cancellationToken));

        var openConsultations = await work.Connection.QueryAsync<OpenConsultation>(new CommandDefinition(
            """
            SELECT consultation_id AS ConsultationId, trajectory_id AS TrajectoryId, title, title_translations AS TitleTranslations,
                   buurt_code AS BuurtCode, closes_on AS ClosesOn
            FROM consultations
            WHERE buurt_code = ANY(@BuurtCodes) AND closes_on >= current_date AND NOT address_scoped
            """,
            new { BuurtCodes = residents.Select(resident => resident.BuurtCode).Distinct().ToArray() },
            work.Transaction, cancellationToken: cancellationToken));
        Guid[] newcomers = [.. residents.Select(resident => resident.ResidentId)];
        foreach (var consultation in openConsultations)
        {
            var title = PartnerText.WithTranslations(consultation.Title, consultation.TitleTranslations);
            var texts = NotificationTexts.SupportedLanguages
                .Select(language => NotificationTexts.Invitation(language, title, consultation.ClosesOn))
                .ToArray();
            await NotificationStore.RecordForBuurtenAsync(
                work, NotificationKinds.ConsultationOpened, consultation.ConsultationId, consultation.TrajectoryId, consultation.ConsultationId,
                [consultation.BuurtCode], texts, cancellationToken, onlyResidents: newcomers);
        }
    }

    private sealed record OpenConsultation
    {
        public required Guid ConsultationId { get; init; }

        public required Guid TrajectoryId { get; init; }

        public required string Title { get; init; }

        public IReadOnlyDictionary<string, string>? TitleTranslations { get; init; }

        public required string BuurtCode { get; init; }

        public required DateOnly ClosesOn { get; init; }
    }
}
