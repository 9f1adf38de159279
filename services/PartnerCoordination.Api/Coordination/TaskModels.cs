using System.ComponentModel.DataAnnotations;
using Participatie.BuildingBlocks.Http;
using Participatie.PartnerCoordination.Domain;

namespace Participatie.PartnerCoordination.Coordination;

/// <summary>A new task, or all of a task's fields but its status when its owner changes it.</summary>
public sealed record TaskRequest([StringLength(200)] string? Title, string? Description, Guid? AssigneePartnerId, DateOnly? DueDate) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        if (errors.Required("title", Title))
        {
            errors.MaxLength("title", Title, 200);
        }

        errors.MaxLength("description", Description, 4000);
        errors.NotEmpty("assigneePartnerId", AssigneePartnerId ?? Guid.Empty);
        if (DueDate is null)
        {
            errors.Add("dueDate", "'dueDate' is required.");
        }
    }
}

public sealed record SetTaskStatusRequest([Vocabulary(typeof(TaskStatuses))] string? Status) : IValidatableRequest
{
    public void Validate(ValidationErrors errors) => errors.OneOf("status", Status, TaskStatuses.All);
}

public sealed record TrajectoryTask
{
    public required Guid Id { get; init; }

    public required Guid TrajectoryId { get; init; }

    public required string Title { get; init; }

    public required string Description { get; init; }

    public required Guid OwnerPartnerId { get; init; }

    public required Guid AssigneePartnerId { get; init; }

    public required DateOnly DueDate { get; init; }

    [Vocabulary(typeof(TaskStatuses))]
    public required string Status { get; init; }

    /// <summary>Past its due date (in the Netherlands) and neither done nor cancelled.</summary>
    public bool Overdue { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }
}
