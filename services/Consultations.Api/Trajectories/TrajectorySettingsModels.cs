using Participatie.BuildingBlocks.Http;
using Participatie.Consultations.Domain;

namespace Participatie.Consultations.Trajectories;

public sealed record SetTrajectorySettingsRequest(int? AnswerWorkingDays) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        if (AnswerWorkingDays is not (>= AnswerDeadlines.MinimumWorkingDays and <= AnswerDeadlines.MaximumWorkingDays))
        {
            errors.Add(
                "answerWorkingDays",
                $"'answerWorkingDays' must be a whole number from {AnswerDeadlines.MinimumWorkingDays} to {AnswerDeadlines.MaximumWorkingDays}.");
        }
    }
}

public sealed record TrajectorySettingsResponse
{
    public required Guid TrajectoryId { get; init; }

    /// <summary>Within how many working days (Monday to Friday, not on Dutch public holidays) a reaction is answered.</summary>
    public required int AnswerWorkingDays { get; init; }

    /// <summary>When a partner last set them; null while the trajectory has the defaults.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }
}
