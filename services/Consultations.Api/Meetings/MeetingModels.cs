using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Text.Json.Serialization;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.Consultations.Consultations;
using Participatie.Consultations.Domain;
using Participatie.Contracts;

namespace Participatie.Consultations.Meetings;

public sealed record CreateMeetingRequest([StringLength(300)] string? Place, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, int? Capacity) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        if (errors.Required("place", Place))
        {
            errors.MaxLength("place", Place, 300);
        }

        if (StartsAt is null)
        {
            errors.Add("startsAt", "'startsAt' is required.");
        }

        if (EndsAt is null)
        {
            errors.Add("endsAt", "'endsAt' is required.");
        }

        if (Capacity is not (>= MeetingRules.MinimumCapacity and <= MeetingRules.MaximumCapacity))
        {
            errors.Add("capacity", $"'capacity' must be between {MeetingRules.MinimumCapacity} and {MeetingRules.MaximumCapacity}.");
        }
    }
}

public sealed record RegisterForMeetingRequest(Guid ResidentId) : IValidatableRequest
{
    public void Validate(ValidationErrors errors) => errors.NotEmpty("residentId", ResidentId);
}

public sealed record RecordAttendanceRequest(bool? Attended) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        if (Attended is null)
        {
            errors.Add("attended", "'attended' is required.");
        }
    }
}

public sealed record MeetingResponse
{
    public required Guid Id { get; init; }

    public required Guid ConsultationId { get; init; }

    public required string Place { get; init; }

    public required DateTimeOffset StartsAt { get; init; }

    public required DateTimeOffset EndsAt { get; init; }

    public required int Capacity { get; init; }

    /// <summary>
    /// How many are registered, as the capacity check counts them; published only as <see cref="Registered"/> (not
    /// required: the JSON serializer refuses an ignored required property).
    /// </summary>
    [JsonIgnore]
    public int RegisteredCount { get; init; }

    /// <summary>How many residents registered (<see cref="SmallCount.Rule"/>).</summary>
    public SmallCount Registered => SmallCount.Of(RegisteredCount);

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the reminder to registered residents went out; null until the day before.</summary>
    public DateTimeOffset? ReminderPublishedAt { get; init; }
}

public sealed record MeetingRegistration
{
    public required Guid MeetingId { get; init; }

    /// <summary>
    /// Pseudonymous: the residents service alone can tell who this is. Null for a partner that did not register the
    /// resident: it sees that someone registered (and came), not who.
    /// </summary>
    public required Guid? ResidentId { get; init; }

    public required DateTimeOffset RegisteredAt { get; init; }

    /// <summary>Whether the resident came; null until recorded.</summary>
    public bool? Attended { get; init; }

    public DateTimeOffset? AttendanceRecordedAt { get; init; }
}
