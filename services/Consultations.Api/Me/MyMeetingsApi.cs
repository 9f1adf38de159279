using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.Consultations.Meetings;

namespace Participatie.Consultations.Me;

/// <summary>The meetings of the consultations for the resident: they register themselves, and cancel, by the meeting rules.</summary>
public static class MyMeetingsApi
{
    public static IEndpointRouteBuilder MapMyMeetingsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapApiGroup("/v1/me/meetings", MyConsultationsApi.Tag, AuthenticationExtensions.ResidentPolicy)
            .MapGet("", ListMyMeetings)
            .WithName("ListMyMeetings")
            .WithSummary("The meetings of the consultations for my address that have not ended, earliest first, and whether I am registered");

        var one = routes.MapApiGroup("/v1/me/meetings/{meetingId:guid}", MyConsultationsApi.Tag, AuthenticationExtensions.ResidentPolicy)
            .WithAccessCheck<MyMeetingAccessCheck>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        one.MapPut("/registration", RegisterMe)
            .WithName("RegisterMeForMeeting")
            .WithSummary("Register me for a meeting before it begins, while there is room; registering again changes nothing")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        one.MapDelete("/registration", CancelMyRegistration)
            .WithName("CancelMyMeetingRegistration")
            .WithSummary("Cancel my registration before the meeting begins; my place goes to someone else")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        return routes;
    }

    internal static async Task<Ok<Page<MyMeetingResponse>>> ListMyMeetings([AsParameters] PageQuery page, [AsParameters] ApiServices services)
    {
        const string filter = $"m.ends_at > @Now AND m.consultation_id IN (SELECT c.id FROM consultations c WHERE {MyParticipation.TakesPart})";
        await using var connection = await services.Database.OpenConnectionAsync(services.Cancellation);
        return TypedResults.Ok(await connection.QueryPageAsync<MyMeetingResponse>(page, new CommandDefinition(
            $"""
            SELECT m.id, m.consultation_id AS ConsultationId, m.place, m.starts_at AS StartsAt, m.ends_at AS EndsAt,
                   m.capacity - (SELECT count(*)::int FROM meeting_registrations x WHERE x.meeting_id = m.id) AS PlacesLeft,
                   EXISTS (SELECT 1 FROM meeting_registrations x WHERE x.meeting_id = m.id AND x.resident_id = @ResidentId) AS Registered
            FROM meetings m WHERE {filter}
            ORDER BY m.starts_at, m.id OFFSET @Offset LIMIT @Size;
            SELECT count(*) FROM meetings m WHERE {filter};
            """,
            new { ResidentId = services.User.ResidentId(), Now = services.Clock.GetUtcNow(), page.Offset, page.Size },
            cancellationToken: services.Cancellation)));
    }

    internal static async Task<Results<Created<MyMeetingRegistration>, Ok<MyMeetingRegistration>, ProblemHttpResult>> RegisterMe(
        MyMeetingSubject meeting, [AsParameters] ApiServices services)
    {
        var (registration, created, problem) = await MeetingsApi.RegisterAsync(
            meeting.Consultation.Consultation.Id, meeting.MeetingId, meeting.Consultation.Me.ResidentId, partnerId: null, services);
        if (problem is not null)
        {
            return problem;
        }

        var mine = new MyMeetingRegistration { MeetingId = meeting.MeetingId, RegisteredAt = registration!.RegisteredAt };
        return created ? TypedResults.Created($"/v1/me/meetings/{meeting.MeetingId}/registration", mine) : TypedResults.Ok(mine);
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> CancelMyRegistration(
        MyMeetingSubject meeting, [AsParameters] ApiServices services)
    {
        await using var work = await services.UnitOfWork.BeginAsync(services.Cancellation);
        // Locked as registering locks it, so that a place freed here is counted by a registration waiting for it.
        var found = await MeetingsApi.FindAsync(
            work.Connection, work.Transaction, meeting.Consultation.Consultation.Id, meeting.MeetingId, services.Cancellation, forUpdate: true);
        if (found is not null && services.Clock.GetUtcNow() >= found.StartsAt)
        {
            return Problems.Unprocessable("meetingId", $"Meeting '{meeting.MeetingId}' began at {found.StartsAt:O}; a registration can no longer be cancelled.");
        }

        var deleted = await work.Connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM meeting_registrations WHERE meeting_id = @MeetingId AND resident_id = @ResidentId",
            new { meeting.MeetingId, meeting.Consultation.Me.ResidentId }, work.Transaction, cancellationToken: services.Cancellation));
        if (deleted == 0)
        {
            return Problems.NotFound("registration", meeting.MeetingId);
        }

        await work.CommitAsync(services.Cancellation);
        return TypedResults.NoContent();
    }
}
