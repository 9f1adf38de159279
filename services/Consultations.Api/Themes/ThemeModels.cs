using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.Consultations.Consultations;
using Participatie.Consultations.Domain;
using Participatie.Consultations.Reactions;
using Participatie.Contracts;

namespace Participatie.Consultations.Themes;

public sealed record CreateThemeRequest([StringLength(200)] string? Title, string? Description) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        if (errors.Required("title", Title))
        {
            errors.MaxLength("title", Title, 200);
        }

        errors.MaxLength("description", Description, 4000);
    }
}

public sealed record AddReactionsToThemeRequest(IReadOnlyList<Guid>? ReactionIds) : IValidatableRequest
{
    public const int MaxReactions = 100;

    public void Validate(ValidationErrors errors)
    {
        if (ReactionIds is not { Count: > 0 and <= MaxReactions })
        {
            errors.Add("reactionIds", $"'reactionIds' must list 1 to {MaxReactions} reaction ids.");
        }
        else if (ReactionIds.Contains(Guid.Empty))
        {
            errors.Add("reactionIds", "'reactionIds' must not contain an empty id.");
        }
    }
}

public sealed record ThemeResponse
{
    public required Guid Id { get; init; }

    public required Guid ConsultationId { get; init; }

    public required string Title { get; init; }

    public string? Description { get; init; }

    /// <summary>The answer last given to the theme; null until it is answered.</summary>
    [Vocabulary(typeof(ReactionStatuses), nameof(ReactionStatuses.Answers))]
    public string? Status { get; init; }

    public string? Explanation { get; init; }

    public DateTimeOffset? AnsweredAt { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required long ReactionCount { get; init; }

    /// <summary>The reactions in the theme, oldest first (when one theme is read).</summary>
    public IReadOnlyList<Guid>? ReactionIds { get; init; }
}

public sealed record ThemeAnswerResponse
{
    public required Guid ThemeId { get; init; }

    [Vocabulary(typeof(ReactionStatuses), nameof(ReactionStatuses.Answers))]
    public required string Status { get; init; }

    public required string Explanation { get; init; }

    /// <summary>When the theme got this answer (the first time, if it was given again).</summary>
    public required DateTimeOffset AnsweredAt { get; init; }

    /// <summary>The reactions that got the answer now; each resident is told.</summary>
    public required IReadOnlyList<Guid> ChangedReactionIds { get; init; }

    /// <summary>The reactions that already had this very answer: nothing recorded, nobody told again.</summary>
    public required IReadOnlyList<Guid> UnchangedReactionIds { get; init; }
}
