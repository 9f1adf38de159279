using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.Consultations.Consultations;
using Participatie.Consultations.DataRights;
using Participatie.Consultations.Domain;
using Participatie.Consultations.Residents;
using Participatie.Contracts;

namespace Participatie.Consultations.Meetings;

/// <summary>
/// Meetings (bewonersavonden) of a consultation: partners plan them, register residents up to the capacity of the
/// room, and afterwards record who came. Registered residents are reminded the day before (see
/// <see cref="MeetingReminders"/>). Like the consultation itself, a meeting is seen by the partners of its trajectory
/// only.
/// </summary>
public static class MeetingsApi
{
    private const string SelectMeeting = """
        SELECT m.id, m.consultation_id AS ConsultationId, m.place, m.starts_at AS StartsAt, m.ends_at AS EndsAt,
               m.capacity, m.created_at AS CreatedAt, m.reminder_published_at AS ReminderPublishedAt,
               (SELECT count(*)::int FROM meeting_registrations r WHERE r.meeting_id = m.id) AS RegisteredCount
        FROM meetings m
        """;

    private const string SelectRegistration = """
        SELECT meeting_id AS MeetingId, resident_id AS ResidentId, registered_at AS RegisteredAt, attended,
               attendance_recorded_at AS AttendanceRecordedAt
        FROM meeting_registrations
        """;

    public static IEndpointRouteBuilder MapMeetingsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapApiGroup("/v1/consultations/{consultationId:guid}/meetings", "Meetings")
            .WithConsultationAccess()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("", CreateMeeting)
            .Requires(ConsultationPermissions.Answer)
            .WithName("CreateMeeting")
            .WithSummary("Plan a meeting (bewonersavond) for a consultation (those who answer its reactions)")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("", ListMeetings)
            .WithName("ListMeetings")
            .WithSummary("List a consultation's meetings, earliest first, with how many residents registered");
        api.MapGet("/{meetingId:guid}", GetMeeting)
            .WithName("GetMeeting")
            .WithSummary("Read a meeting with how many residents registered")
            .WithDescription(SmallCount.Rule);
        api.MapPost("/{meetingId:guid}/registrations", RegisterForMeeting)
            .Requires(ConsultationPermissions.Contribute)
            .WithName("RegisterForMeeting")
            .WithSummary("Register a resident (by pseudonymous id) for a meeting; registering again changes nothing; 422 for a resident who was erased, is outside the consultation's audience or is not known to this service yet; 409 when another partner registered them")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesValidationProblem(StatusCodes.Status409Conflict);
        api.MapGet("/{meetingId:guid}/registrations", ListMeetingRegistrations)
            .WithName("ListMeetingRegistrations")
            .WithSummary("List the residents registered for a meeting, with their attendance once recorded")
            .WithDescription("residentId is shown only to the partner that registered the resident (null for the others).");
        api.MapPut("/{meetingId:guid}/registrations/{residentId:guid}/attendance", RecordMeetingAttendance)
            .Requires(ConsultationPermissions.Answer)
            .WithName("RecordMeetingAttendance")
            .WithSummary("Record whether a registered resident came, once the meeting has begun")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);

        return routes;
    }

    internal static async Task<Results<Created<MeetingResponse>, ProblemHttpResult>> CreateMeeting(
        VisibleConsultation visible, CreateMeetingRequest request, [AsParameters] ApiServices services)
    {
        await using var work = await services.UnitOfWork.BeginAsync(services.Cancellation);

        var now = services.Clock.GetUtcNow();
        if (MeetingRules.CheckTimes(request.StartsAt!.Value, request.EndsAt!.Value, now) is { } wrong)
        {
            return Problems.Unprocessable(wrong.Field, wrong.Message);
        }

        var meeting = new MeetingResponse
        {
            Id = Guid.CreateVersion7(),
            ConsultationId = visible.Consultation.Id,
            Place = request.Place!.Trim(),
            StartsAt = request.StartsAt.Value,
            EndsAt = request.EndsAt.Value,
            Capacity = request.Capacity!.Value,
            RegisteredCount = 0,
            CreatedAt = now,
        };
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO meetings (id, consultation_id, partner_id, place, starts_at, ends_at, capacity, created_at)
            VALUES (@Id, @ConsultationId, @PartnerId, @Place, @StartsAt, @EndsAt, @Capacity, @CreatedAt)
            """,
            new
            {
                meeting.Id, meeting.ConsultationId, PartnerId = services.User.GetPartnerId(), meeting.Place, meeting.StartsAt, meeting.EndsAt,
                meeting.Capacity, meeting.CreatedAt,
            },
            work.Transaction, cancellationToken: services.Cancellation));
        await work.CommitAsync(services.Cancellation);
        return TypedResults.Created($"/v1/consultations/{visible.Consultation.Id}/meetings/{meeting.Id}", meeting);
    }

    internal static async Task<Results<Ok<Page<MeetingResponse>>, ProblemHttpResult>> ListMeetings(
        VisibleConsultation visible, [AsParameters] PageQuery page, [AsParameters] ApiServices services)
    {
        await using var connection = await services.Database.OpenConnectionAsync(services.Cancellation);

        return TypedResults.Ok(await connection.QueryPageAsync<MeetingResponse>(page, new CommandDefinition(
            $"""
            {SelectMeeting} WHERE m.consultation_id = @ConsultationId
            ORDER BY m.starts_at, m.id OFFSET @Offset LIMIT @Size;
            SELECT count(*) FROM meetings WHERE consultation_id = @ConsultationId;
            """,
            new { ConsultationId = visible.Consultation.Id, page.Offset, page.Size }, cancellationToken: services.Cancellation)));
    }

    internal static async Task<Results<Ok<MeetingResponse>, ProblemHttpResult>> GetMeeting(
        VisibleConsultation visible, Guid meetingId, [AsParameters] ApiServices services)
    {
        await using var connection = await services.Database.OpenConnectionAsync(services.Cancellation);
        var meeting = await FindAsync(connection, null, visible.Consultation.Id, meetingId, services.Cancellation);
        return meeting is null ? Problems.NotFound("meeting", meetingId) : TypedResults.Ok(meeting);
    }

    internal static async Task<Results<Created<MeetingRegistration>, Ok<MeetingRegistration>, ProblemHttpResult>> RegisterForMeeting(
        VisibleConsultation visible, Guid meetingId, RegisterForMeetingRequest request, [AsParameters] ApiServices services)
    {
        var (registration, created, problem) = await RegisterAsync(
            visible.Consultation.Id, meetingId, request.ResidentId, services.User.GetPartnerId(), services);
        if (problem is not null)
        {
            return problem;
        }

        return created
            ? TypedResults.Created($"/v1/consultations/{visible.Consultation.Id}/meetings/{meetingId}/registrations/{registration!.ResidentId}", registration)
            : TypedResults.Ok(registration);
    }

    /// <summary>
    /// The one way a resident is registered, by a partner (<paramref name="partnerId"/>) or by themselves (null): before
    /// the start, within the capacity; registering again changes nothing (created is false).
    /// </summary>
    internal static async Task<(MeetingRegistration? Registration, bool Created, ProblemHttpResult? Problem)> RegisterAsync(
        Guid consultationId, Guid meetingId, Guid residentId, Guid? partnerId, ApiServices services)
    {
        await using var work = await services.UnitOfWork.BeginAsync(services.Cancellation);
        // The meeting is locked, so that two registrations at once cannot both take its last place.
        var meeting = await FindAsync(work.Connection, work.Transaction, consultationId, meetingId, services.Cancellation, forUpdate: true);
        if (meeting is null)
        {
            return (null, false, Problems.NotFound("meeting", meetingId));
        }

        if (await ConsultationAudience.RefuseOutsiderAsync(work, consultationId, residentId, services.Cancellation) is { } outsider)
        {
            return (null, false, outsider);
        }

        var existing = await FindRegistrationAsync(work, meetingId, residentId, services.Cancellation);
        if (existing is not null)
        {
            // Registering again changes nothing; but another partner's registration is not passed off as this one's.
            var registeredBy = await work.Connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(
                "SELECT registered_by_partner_id FROM meeting_registrations WHERE meeting_id = @MeetingId AND resident_id = @ResidentId",
                new { MeetingId = meetingId, ResidentId = residentId }, work.Transaction, cancellationToken: services.Cancellation));
            return partnerId is not null && registeredBy is not null && registeredBy != partnerId
                ? (null, false, ConsultationAudience.EnteredByAnother("registration", residentId))
                : (existing, false, null);
        }

        var now = services.Clock.GetUtcNow();
        if (now >= meeting.StartsAt)
        {
            return (null, false, Problems.Unprocessable("meetingId", $"Meeting '{meetingId}' began at {meeting.StartsAt:O}; registration is closed."));
        }

        if (meeting.RegisteredCount >= meeting.Capacity)
        {
            return (null, false, Problems.Unprocessable("capacity", $"Meeting '{meetingId}' is full: all {meeting.Capacity} places are taken."));
        }

        var registration = new MeetingRegistration { MeetingId = meetingId, ResidentId = residentId, RegisteredAt = now };
        var author = EntryAuthor.Of(services.User);
        // The table's trigger refuses an erased resident, in this one statement.
        var (_, erased) = await ErasedResidents.InsertAsync(residentId, () => work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO meeting_registrations
                (meeting_id, resident_id, registered_by_partner_id, registered_by_client_id, registered_by_staff_id, registered_at)
            VALUES (@MeetingId, @ResidentId, @PartnerId, @ClientId, @StaffId, @RegisteredAt)
            """,
            new { registration.MeetingId, registration.ResidentId, PartnerId = partnerId, author.ClientId, author.StaffId, registration.RegisteredAt },
            work.Transaction, cancellationToken: services.Cancellation)));
        if (erased is not null)
        {
            return (null, false, erased);
        }

        await work.CommitAsync(services.Cancellation);
        return (registration, true, null);
    }

    internal static async Task<Results<Ok<Page<MeetingRegistration>>, ProblemHttpResult>> ListMeetingRegistrations(
        VisibleConsultation visible, Guid meetingId, [AsParameters] PageQuery page, [AsParameters] ApiServices services)
    {
        await using var connection = await services.Database.OpenConnectionAsync(services.Cancellation);
        var meeting = await FindAsync(connection, null, visible.Consultation.Id, meetingId, services.Cancellation);
        if (meeting is null)
        {
            return Problems.NotFound("meeting", meetingId);
        }

        var registrations = await connection.QueryPageAsync<MeetingRegistration>(page, new CommandDefinition(
            $"""
            {SelectRegistration} WHERE meeting_id = @MeetingId
            ORDER BY registered_at, resident_id OFFSET @Offset LIMIT @Size;
            SELECT count(*) FROM meeting_registrations WHERE meeting_id = @MeetingId;
            """,
            new { MeetingId = meetingId, page.Offset, page.Size }, cancellationToken: services.Cancellation));
        // Whether someone came is shown to every partner; who it was only to the partner that registered them.
        return TypedResults.Ok(registrations with
        {
            Items = await ResidentPartners.HideOthersAsync(
                connection, null, services.PartnerId, registrations.Items, registration => registration.ResidentId,
                registration => registration with { ResidentId = null }, services.Cancellation),
        });
    }

    internal static async Task<Results<Ok<MeetingRegistration>, ProblemHttpResult>> RecordMeetingAttendance(
        VisibleConsultation visible, Guid meetingId, Guid residentId, RecordAttendanceRequest request, [AsParameters] ApiServices services)
    {
        await using var work = await services.UnitOfWork.BeginAsync(services.Cancellation);
        var meeting = await FindAsync(work.Connection, work.Transaction, visible.Consultation.Id, meetingId, services.Cancellation, forUpdate: true);
        var registration = meeting is null ? null : await FindRegistrationAsync(work, meetingId, residentId, services.Cancellation);
        if (registration is null)
        {
            return Problems.NotFound("registration", residentId);
        }

        var now = services.Clock.GetUtcNow();
        if (!MeetingRules.CanRecordAttendance(meeting!.StartsAt, now))
        {
            return Problems.Unprocessable("attended", $"Meeting '{meetingId}' begins at {meeting.StartsAt:O}; attendance is recorded once it has begun.");
        }

        var recorded = registration with { Attended = request.Attended, AttendanceRecordedAt = now };
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE meeting_registrations SET attended = @Attended, attendance_recorded_at = @AttendanceRecordedAt
            WHERE meeting_id = @MeetingId AND resident_id = @ResidentId
            """,
            recorded, work.Transaction, cancellationToken: services.Cancellation));
        await work.CommitAsync(services.Cancellation);
        return TypedResults.Ok(recorded);
    }

    internal static Task<MeetingResponse?> FindAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        Guid consultationId,
        Guid meetingId,
        CancellationToken cancellationToken,
        bool forUpdate = false) =>
        connection.QuerySingleOrDefaultAsync<MeetingResponse>(new CommandDefinition(
            $"{SelectMeeting} WHERE m.id = @MeetingId AND m.consultation_id = @ConsultationId {(forUpdate ? "FOR UPDATE OF m" : string.Empty)}",
            new { MeetingId = meetingId, ConsultationId = consultationId }, transaction, cancellationToken: cancellationToken));

    private static Task<MeetingRegistration?> FindRegistrationAsync(
        UnitOfWork work, Guid meetingId, Guid residentId, CancellationToken cancellationToken) =>
        work.Connection.QuerySingleOrDefaultAsync<MeetingRegistration>(new CommandDefinition(
            $"{SelectRegistration} WHERE meeting_id = @MeetingId AND resident_id = @ResidentId",
            new { MeetingId = meetingId, ResidentId = residentId }, work.Transaction, cancellationToken: cancellationToken));
}
