using Dapper;
using Npgsql;
using Participatie.BuildingBlocks.Trajectories;
using Participatie.Consultations.Domain;

namespace Participatie.Consultations.Consultations;

/// <summary>The SQL of consultations.</summary>
public static class ConsultationStore
{
    internal const string Columns = """
        c.id, c.trajectory_id AS TrajectoryId, c.partner_id AS PartnerId, c.address_scoped AS AddressScoped, c.title,
        c.description, c.buurt_code AS BuurtCode, c.closes_on AS ClosesOn, c.opened_at AS OpenedAt,
        c.title_translations AS TitleTranslations, c.description_translations AS DescriptionTranslations
        """;

    /// <summary>The trajectories the caller takes part in, from this service's projection of them.</summary>
    internal const string MyTrajectories = TrajectoryProjection.CallerTrajectories;

    /// <summary>The consultation with the caller's role in its trajectory, in one query; null when it takes no part.</summary>
    public static async Task<VisibleConsultation?> FindVisibleAsync(
        NpgsqlConnection connection, Guid consultationId, Guid? callerPartnerId, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<ConsultationResponse, AccessRow, VisibleConsultation>(new CommandDefinition(
            $"""
            SELECT {Columns}, m.role, COALESCE(s.answer_working_days, @DefaultWorkingDays) AS AnswerWorkingDays
            FROM consultations c
            JOIN trajectory_member_projection m ON m.trajectory_id = c.trajectory_id AND m.partner_id = @CallerPartnerId
            LEFT JOIN trajectory_settings s ON s.trajectory_id = c.trajectory_id
            WHERE c.id = @ConsultationId
            """,
            new { ConsultationId = consultationId, CallerPartnerId = callerPartnerId, AnswerDeadlines.DefaultWorkingDays },
            cancellationToken: cancellationToken),
            (consultation, access) => new VisibleConsultation(consultation, access.Role, access.AnswerWorkingDays),
            splitOn: "role")).SingleOrDefault();

    /// <summary>A consultation whoever asks; only for what anyone may see of it (the public summary of a closed one).</summary>
    public static Task<ConsultationResponse?> FindAsync(NpgsqlConnection connection, Guid consultationId, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<ConsultationResponse>(new CommandDefinition(
            $"SELECT {Columns} FROM consultations c WHERE c.id = @ConsultationId",
            new { ConsultationId = consultationId }, cancellationToken: cancellationToken));

    public static async Task InsertAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, ConsultationResponse consultation, IReadOnlyList<string> addressKeys, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO consultations (id, trajectory_id, partner_id, address_scoped, title, description, buurt_code, closes_on, opened_at,
                                       title_translations, description_translations)
            VALUES (@Id, @TrajectoryId, @PartnerId, @AddressScoped, @Title, @Description, @BuurtCode, @ClosesOn, @OpenedAt,
                    CAST(@TitleTranslations AS jsonb), CAST(@DescriptionTranslations AS jsonb))
            """,
            new
            {
                consultation.Id, consultation.TrajectoryId, consultation.PartnerId, consultation.AddressScoped, consultation.Title,
                consultation.Description, consultation.BuurtCode, consultation.ClosesOn, consultation.OpenedAt,
                TitleTranslations = PartnerTranslations.ToJson(consultation.TitleTranslations),
                DescriptionTranslations = PartnerTranslations.ToJson(consultation.DescriptionTranslations),
            },
            transaction, cancellationToken: cancellationToken));
        if (addressKeys.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO consultation_addresses (consultation_id, address_key) SELECT @Id, unnest(@Keys)",
                new { consultation.Id, Keys = addressKeys.ToArray() }, transaction, cancellationToken: cancellationToken));
        }
    }

    private sealed record AccessRow
    {
        public required string Role { get; init; }

        public required int AnswerWorkingDays { get; init; }
    }
}
