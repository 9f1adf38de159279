using System.Security.Claims;
using Dapper;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Http;
using Participatie.Consultations.Consultations;
using Participatie.Consultations.Domain;
using Participatie.Contracts;

namespace Participatie.Consultations.Me;

/// <summary>
/// The calling resident as this service knows them: only the pseudonymous projection (<c>residents_concerned</c>), so
/// a buurt and a language. A resident not in the projection yet has no buurt and reads Dutch.
/// </summary>
public sealed record MyProfile(Guid ResidentId, string? BuurtCode, string Language)
{
    public static async Task<MyProfile> LoadAsync(NpgsqlConnection connection, Guid residentId, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<ProfileRow>(new CommandDefinition(
            "SELECT buurt_code AS BuurtCode, language FROM residents_concerned WHERE resident_id = @ResidentId",
            new { ResidentId = residentId }, cancellationToken: cancellationToken));
        return new MyProfile(residentId, row?.BuurtCode, row?.Language ?? Languages.Dutch);
    }

    private sealed record ProfileRow
    {
        public required string BuurtCode { get; init; }

        public required string Language { get; init; }
    }
}

/// <summary>The SQL that decides what a resident takes part in, written once for every /v1/me route.</summary>
internal static class MyParticipation
{
    /// <summary>
    /// Consultation <c>c</c> is for the resident (<c>@ResidentId</c>): it is for their buurt and not for some addresses
    /// only, or the residents service put them in its audience. A resident unknown to the projection has no buurt.
    /// </summary>
    /// <remarks>Written as one id list from two indexed look-ups (buurt, audience) rather than an OR, which no index serves.</remarks>
    public const string TakesPart = """
        c.id IN (SELECT x.id FROM consultations x
                 WHERE NOT x.address_scoped AND x.buurt_code = (SELECT rc.buurt_code FROM residents_concerned rc WHERE rc.resident_id = @ResidentId)
                 UNION ALL
                 SELECT a.consultation_id FROM consultation_audience a WHERE a.resident_id = @ResidentId)
        """;

    /// <summary><see cref="TakesPart"/> for the resident that <paramref name="residentId"/> names in SQL (a column of a
    /// batch's rows, say) instead of the parameter.</summary>
    public static string TakesPartOf(string residentId) => TakesPart.Replace("@ResidentId", residentId, StringComparison.Ordinal);

    /// <summary>The caller's resident id; every /v1/me group requires the resident policy, which guarantees one.</summary>
    public static Guid ResidentId(this ClaimsPrincipal user) =>
        user.GetResidentId() ?? throw new InvalidOperationException("A /v1/me route was reached without a resident token.");

    /// <summary>The consultation as the resident may see it, or null when it is not for them.</summary>
    public static async Task<MyConsultation?> FindConsultationAsync(
        NpgsqlConnection connection, MyProfile me, Guid consultationId, CancellationToken cancellationToken)
    {
        var found = await connection.QuerySingleOrDefaultAsync<ConsultationWithDeadline>(new CommandDefinition(
            $"""
            SELECT {ConsultationStore.Columns}, COALESCE(s.answer_working_days, @DefaultWorkingDays) AS AnswerWorkingDays
            FROM consultations c LEFT JOIN trajectory_settings s ON s.trajectory_id = c.trajectory_id
            WHERE c.id = @ConsultationId AND {TakesPart}
            """,
            new { ConsultationId = consultationId, me.ResidentId, AnswerDeadlines.DefaultWorkingDays },
            cancellationToken: cancellationToken));
        return found is null ? null : new MyConsultation(found.ToConsultation(), found.AnswerWorkingDays, me);
    }

    private sealed record ConsultationWithDeadline
    {
        public required Guid Id { get; init; }

        public required Guid TrajectoryId { get; init; }

        public required Guid PartnerId { get; init; }

        public bool AddressScoped { get; init; }

        public required string Title { get; init; }

        public IReadOnlyDictionary<string, string>? TitleTranslations { get; init; }

        public required string Description { get; init; }

        public IReadOnlyDictionary<string, string>? DescriptionTranslations { get; init; }

        public required string BuurtCode { get; init; }

        public required DateOnly ClosesOn { get; init; }

        public required DateTimeOffset OpenedAt { get; init; }

        public required int AnswerWorkingDays { get; init; }

        public ConsultationResponse ToConsultation() => new()
        {
            Id = Id,
            TrajectoryId = TrajectoryId,
            PartnerId = PartnerId,
            AddressScoped = AddressScoped,
            Title = Title,
            TitleTranslations = TitleTranslations,
            Description = Description,
            DescriptionTranslations = DescriptionTranslations,
            BuurtCode = BuurtCode,
            ClosesOn = ClosesOn,
            OpenedAt = OpenedAt,
        };
    }
}

/// <summary>A consultation the calling resident takes part in, with its trajectory's answer promise and the resident.</summary>
public sealed record MyConsultation(ConsultationResponse Consultation, int AnswerWorkingDays, MyProfile Me)
{
    public static ValueTask<MyConsultation?> BindAsync(HttpContext context) => RouteAccess.Loaded<MyConsultation>(context);
}

/// <summary>
/// Every route under <c>/v1/me/consultations/{consultationId}</c>: a consultation that is not for the resident does not
/// exist for them (404, never 403: they learn nothing about it).
/// </summary>
public sealed class MyConsultationAccessCheck(NpgsqlDataSource database)
    : RouteAccessCheck<MyConsultation>("consultationId", "consultation")
{
    protected override async Task<MyConsultation?> LoadAsync(HttpContext context, Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var me = await MyProfile.LoadAsync(connection, context.User.ResidentId(), cancellationToken);
        return await MyParticipation.FindConsultationAsync(connection, me, id, cancellationToken);
    }

    // A resident has no permissions beyond taking part; what they may do is decided by the rules of each handler.
    protected override string? Refuse(MyConsultation subject, string permission, ClaimsPrincipal user) => null;
}

/// <summary>One of the calling resident's own reactions.</summary>
public sealed record MyReactionSubject(Guid ReactionId, MyProfile Me)
{
    public static ValueTask<MyReactionSubject?> BindAsync(HttpContext context) => RouteAccess.Loaded<MyReactionSubject>(context);
}

/// <summary>Routes under <c>/v1/me/reactions/{reactionId}</c>: another resident's reaction is 404.</summary>
public sealed class MyReactionAccessCheck(NpgsqlDataSource database) : RouteAccessCheck<MyReactionSubject>("reactionId", "reaction")
{
    protected override async Task<MyReactionSubject?> LoadAsync(HttpContext context, Guid id, CancellationToken cancellationToken)
    {
        var residentId = context.User.ResidentId();
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var mine = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM reactions WHERE id = @ReactionId AND resident_id = @ResidentId)",
            new { ReactionId = id, ResidentId = residentId }, cancellationToken: cancellationToken));
        return mine ? new MyReactionSubject(id, await MyProfile.LoadAsync(connection, residentId, cancellationToken)) : null;
    }

    protected override string? Refuse(MyReactionSubject subject, string permission, ClaimsPrincipal user) => null;
}

/// <summary>A meeting of a consultation the calling resident takes part in.</summary>
public sealed record MyMeetingSubject(Guid MeetingId, MyConsultation Consultation)
{
    public static ValueTask<MyMeetingSubject?> BindAsync(HttpContext context) => RouteAccess.Loaded<MyMeetingSubject>(context);
}

/// <summary>Routes under <c>/v1/me/meetings/{meetingId}</c>: a meeting of a consultation not for the resident is 404.</summary>
public sealed class MyMeetingAccessCheck(NpgsqlDataSource database) : RouteAccessCheck<MyMeetingSubject>("meetingId", "meeting")
{
    protected override async Task<MyMeetingSubject?> LoadAsync(HttpContext context, Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var consultationId = await connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(
            "SELECT consultation_id FROM meetings WHERE id = @MeetingId", new { MeetingId = id }, cancellationToken: cancellationToken));
        if (consultationId is null)
        {
            return null;
        }

        var me = await MyProfile.LoadAsync(connection, context.User.ResidentId(), cancellationToken);
        var consultation = await MyParticipation.FindConsultationAsync(connection, me, consultationId.Value, cancellationToken);
        return consultation is null ? null : new MyMeetingSubject(id, consultation);
    }

    protected override string? Refuse(MyMeetingSubject subject, string permission, ClaimsPrincipal user) => null;
}

/// <summary>A questionnaire or poll of a consultation the calling resident takes part in.</summary>
public sealed record MyQuestionnaireSubject(Guid QuestionnaireId, string Kind, MyConsultation Consultation)
{
    public static ValueTask<MyQuestionnaireSubject?> BindAsync(HttpContext context) => RouteAccess.Loaded<MyQuestionnaireSubject>(context);
}

/// <summary>
/// Routes under <c>/v1/me/questionnaires/{questionnaireId}</c> and <c>/v1/me/polls/{pollId}</c>: one of the given kind,
/// of a consultation for the resident, or 404.
/// </summary>
public abstract class MyQuestionnaireAccessCheck(NpgsqlDataSource database, string routeParameter, string questionnaireKind)
    : RouteAccessCheck<MyQuestionnaireSubject>(routeParameter, questionnaireKind)
{
    private readonly string _kind = questionnaireKind;

    protected override async Task<MyQuestionnaireSubject?> LoadAsync(HttpContext context, Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var consultationId = await connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(
            "SELECT consultation_id FROM questionnaires WHERE id = @Id AND kind = @Kind",
            new { Id = id, Kind = _kind }, cancellationToken: cancellationToken));
        if (consultationId is null)
        {
            return null;
        }

        var me = await MyProfile.LoadAsync(connection, context.User.ResidentId(), cancellationToken);
        var consultation = await MyParticipation.FindConsultationAsync(connection, me, consultationId.Value, cancellationToken);
        return consultation is null ? null : new MyQuestionnaireSubject(id, _kind, consultation);
    }

    protected override string? Refuse(MyQuestionnaireSubject subject, string permission, ClaimsPrincipal user) => null;
}

public sealed class MyQuestionnaireOnlyAccessCheck(NpgsqlDataSource database)
    : MyQuestionnaireAccessCheck(database, "questionnaireId", "questionnaire");

public sealed class MyPollAccessCheck(NpgsqlDataSource database) : MyQuestionnaireAccessCheck(database, "pollId", "poll");

/// <summary>A support measurement the calling resident lives in one of the homes of, with that home.</summary>
public sealed record MySupportMeasurementSubject(Guid MeasurementId, string HomeKey, Guid ResidentId)
{
    public static ValueTask<MySupportMeasurementSubject?> BindAsync(HttpContext context) => RouteAccess.Loaded<MySupportMeasurementSubject>(context);
}

/// <summary>
/// Routes under <c>/v1/me/support-measurements/{measurementId}</c>: only a measurement whose homes include the
/// resident's (as the residents service resolved them); any other is 404. A resident whose home is not resolved votes
/// with the code from their letter at <c>/v1/public/support-measurements/{id}/votes</c>.
/// </summary>
public sealed class MySupportMeasurementAccessCheck(NpgsqlDataSource database)
    : RouteAccessCheck<MySupportMeasurementSubject>("measurementId", "support measurement")
{
    protected override async Task<MySupportMeasurementSubject?> LoadAsync(HttpContext context, Guid id, CancellationToken cancellationToken)
    {
        var residentId = context.User.ResidentId();
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        // A resident registered at two homes of one complex (rare) votes for the first; each home still has one vote.
        var homeKey = await connection.QueryFirstOrDefaultAsync<string?>(new CommandDefinition(
            """
            SELECT home_key FROM support_measurement_residents
            WHERE measurement_id = @MeasurementId AND resident_id = @ResidentId ORDER BY home_key LIMIT 1
            """,
            new { MeasurementId = id, ResidentId = residentId }, cancellationToken: cancellationToken));
        return homeKey is null ? null : new MySupportMeasurementSubject(id, homeKey, residentId);
    }

    protected override string? Refuse(MySupportMeasurementSubject subject, string permission, ClaimsPrincipal user) => null;
}

/// <summary>A trajectory in which at least one consultation was for the calling resident.</summary>
public sealed record MyTrajectorySubject(Guid TrajectoryId, MyProfile Me)
{
    public static ValueTask<MyTrajectorySubject?> BindAsync(HttpContext context) => RouteAccess.Loaded<MyTrajectorySubject>(context);
}

/// <summary>Routes under <c>/v1/me/summaries/trajectories/{trajectoryId}</c>: only a trajectory the resident was invited to.</summary>
public sealed class MyTrajectoryAccessCheck(NpgsqlDataSource database) : RouteAccessCheck<MyTrajectorySubject>("trajectoryId", "trajectory")
{
    protected override async Task<MyTrajectorySubject?> LoadAsync(HttpContext context, Guid id, CancellationToken cancellationToken)
    {
        var residentId = context.User.ResidentId();
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var invited = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            $"SELECT EXISTS (SELECT 1 FROM consultations c WHERE c.trajectory_id = @TrajectoryId AND {MyParticipation.TakesPart})",
            new { TrajectoryId = id, ResidentId = residentId }, cancellationToken: cancellationToken));
        return invited ? new MyTrajectorySubject(id, await MyProfile.LoadAsync(connection, residentId, cancellationToken)) : null;
    }

    protected override string? Refuse(MyTrajectorySubject subject, string permission, ClaimsPrincipal user) => null;
}
