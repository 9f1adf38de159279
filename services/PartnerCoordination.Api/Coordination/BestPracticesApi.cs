using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.PartnerCoordination.Domain;

namespace Participatie.PartnerCoordination.Coordination;

/// <summary>
/// Lessons learned that partners publish for every partner of the platform to find. They belong to no trajectory,
/// so nothing of a trajectory is shared by them; only the publishing partner changes or withdraws its own.
/// </summary>
public static class BestPracticesApi
{
    internal static readonly OwnedItemStore<BestPractice> Store = new()
    {
        Name = "best practice",
        Table = "best_practices b",
        Select = """
            SELECT b.id, b.title, b.lesson, b.target_groups AS TargetGroups, b.theme, b.trajectory_kind AS TrajectoryKind,
                   b.owner_partner_id AS OwnerPartnerId, p.name AS OwnerPartnerName, b.published_at AS PublishedAt, b.updated_at AS UpdatedAt
            FROM best_practices b JOIN partners p ON p.id = b.owner_partner_id
            """,
        IdColumn = "b.id",
        TrajectoryColumn = null,
        LockClause = "FOR UPDATE OF b",
        Owner = bestPractice => bestPractice.OwnerPartnerId,
        OwnerOnly = "Only the partner that published this best practice changes or withdraws it.",
    };

    public static IEndpointRouteBuilder MapBestPracticesApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapApiGroup("/v1/best-practices", "Best practices", AuthenticationExtensions.CallerPolicy);

        api.MapPost("", PublishBestPractice)
            .WithName("PublishBestPractice")
            .WithSummary("Publish a lesson learned for every partner of the platform");
        api.MapGet("", SearchBestPractices)
            .WithName("SearchBestPractices")
            .WithSummary("Search the best practices by target group, theme, trajectory kind and text, newest first");

        var bestPractice = api.MapOwnedItem(string.Empty, "bestPracticeId", Store);
        bestPractice.MapGet("", GetBestPractice)
            .WithName("GetBestPractice")
            .WithSummary("Read a best practice")
            .ProducesProblem(StatusCodes.Status404NotFound);
        bestPractice.MapPut("", UpdateBestPractice)
            .WithName("UpdateBestPractice")
            .WithSummary("Change a best practice (the publishing partner)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        bestPractice.MapDelete("", DeleteBestPractice)
            .WithName("DeleteBestPractice")
            .WithSummary("Withdraw a best practice (the publishing partner)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    internal static async Task<Results<Created<BestPractice>, ProblemHttpResult>> PublishBestPractice(
        BestPracticeRequest request, ClaimsPrincipal user, UnitOfWorkFactory unitOfWork, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (user.GetPartnerId() is not { } partnerId)
        {
            return Problems.Forbidden("A best practice is published by a partner, not by the platform operator.");
        }

        var now = clock.GetUtcNow();
        var bestPracticeId = Guid.CreateVersion7();
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO best_practices (id, title, lesson, target_groups, theme, trajectory_kind, owner_partner_id, published_at, updated_at)
            VALUES (@Id, @Title, @Lesson, @TargetGroups, @Theme, @TrajectoryKind, @OwnerPartnerId, @Now, @Now)
            """,
            new
            {
                Id = bestPracticeId,
                Title = request.Title!.Trim(),
                Lesson = request.Lesson!.Trim(),
                TargetGroups = CoordinationValidation.Distinct(request.TargetGroups),
                Theme = request.Theme!.Trim(),
                request.TrajectoryKind,
                OwnerPartnerId = partnerId,
                Now = now,
            },
            work.Transaction, cancellationToken: cancellationToken));
        var created = (await Store.FindAsync(work, null, bestPracticeId, forChange: false, cancellationToken))!;
        await work.CommitAsync(cancellationToken);
        return TypedResults.Created($"/v1/best-practices/{bestPracticeId}", created);
    }

    internal static async Task<Ok<Page<BestPractice>>> SearchBestPractices(
        [AsParameters] BestPracticeQuery query, [AsParameters] PageQuery page, UnitOfWorkFactory unitOfWork, CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        // Each filter applies only when given; q is a case-insensitive substring of the title or the lesson.
        const string filter = """
            WHERE (@TargetGroup::text IS NULL OR b.target_groups @> ARRAY[@TargetGroup::text])
              AND (@Theme::text IS NULL OR lower(b.theme) = lower(@Theme))
              AND (@TrajectoryKind::text IS NULL OR b.trajectory_kind = @TrajectoryKind)
              AND (@Pattern::text IS NULL OR b.title ILIKE @Pattern OR b.lesson ILIKE @Pattern)
            """;
        return TypedResults.Ok(await Store.PageAsync(
            work,
            page,
            filter,
            "b.published_at DESC, b.id DESC",
            new
            {
                TargetGroup = Blank(query.TargetGroup),
                Theme = Blank(query.Theme)?.Trim(),
                TrajectoryKind = Blank(query.TrajectoryKind),
                Pattern = Blank(query.Q) is { } text ? $"%{EscapeLike(text.Trim())}%" : null,
            },
            cancellationToken));
    }

    internal static Results<Ok<BestPractice>, ProblemHttpResult> GetBestPractice(OwnedItem<BestPractice> bestPractice) => TypedResults.Ok(bestPractice.Item);

    internal static async Task<Results<Ok<BestPractice>, ProblemHttpResult>> UpdateBestPractice(
        OwnedItem<BestPractice> bestPractice, BestPracticeRequest request, TimeProvider clock, CancellationToken cancellationToken)
    {
        var work = bestPractice.Work;
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE best_practices
            SET title = @Title, lesson = @Lesson, target_groups = @TargetGroups, theme = @Theme, trajectory_kind = @TrajectoryKind, updated_at = @Now
            WHERE id = @BestPracticeId
            """,
            new
            {
                BestPracticeId = bestPractice.Item.Id,
                Title = request.Title!.Trim(),
                Lesson = request.Lesson!.Trim(),
                TargetGroups = CoordinationValidation.Distinct(request.TargetGroups),
                Theme = request.Theme!.Trim(),
                request.TrajectoryKind,
                Now = clock.GetUtcNow(),
            },
            work.Transaction, cancellationToken: cancellationToken));
        var updated = (await Store.FindAsync(work, null, bestPractice.Item.Id, forChange: false, cancellationToken))!;
        await work.CommitAsync(cancellationToken);
        return TypedResults.Ok(updated);
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteBestPractice(OwnedItem<BestPractice> bestPractice, CancellationToken cancellationToken)
    {
        await Store.DeleteAsync(bestPractice.Work, bestPractice.Item.Id, cancellationToken);
        await bestPractice.Work.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>The text taken literally in an ILIKE pattern: its own wildcards and the escape character escaped.</summary>
    private static string EscapeLike(string text) =>
        text.Replace(@"\", @"\\", StringComparison.Ordinal)
            .Replace("%", @"\%", StringComparison.Ordinal)
            .Replace("_", @"\_", StringComparison.Ordinal);
}

public sealed record BestPracticeRequest(
    [StringLength(200)] string? Title, [StringLength(8000)] string? Lesson, [Vocabulary(typeof(TargetGroups))] IReadOnlyList<string>? TargetGroups, [StringLength(100)] string? Theme, [Vocabulary(typeof(TrajectoryKinds))] string? TrajectoryKind) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        if (errors.Required("title", Title))
        {
            errors.MaxLength("title", Title, 200);
        }

        if (errors.Required("lesson", Lesson))
        {
            errors.MaxLength("lesson", Lesson, 8000);
        }

        errors.TargetGroupList("targetGroups", TargetGroups, required: false);
        if (errors.Required("theme", Theme))
        {
            errors.MaxLength("theme", Theme, 100);
        }

        errors.OneOf("trajectoryKind", TrajectoryKind, TrajectoryKinds.All);
    }
}

/// <summary>The search filters; each one applies only when given.</summary>
public sealed record BestPracticeQuery : IValidatableRequest
{
    [FromQuery(Name = "targetGroup")]
    [Vocabulary(typeof(TargetGroups))]
    public string? TargetGroup { get; init; }

    [FromQuery(Name = "theme")]
    [StringLength(100)]
    public string? Theme { get; init; }

    [FromQuery(Name = "trajectoryKind")]
    [Vocabulary(typeof(TrajectoryKinds))]
    public string? TrajectoryKind { get; init; }

    [FromQuery(Name = "q")]
    [StringLength(200)]
    public string? Q { get; init; }

    public void Validate(ValidationErrors errors)
    {
        if (!string.IsNullOrWhiteSpace(TargetGroup))
        {
            errors.OneOf("targetGroup", TargetGroup, TargetGroups.All);
        }

        if (!string.IsNullOrWhiteSpace(TrajectoryKind))
        {
            errors.OneOf("trajectoryKind", TrajectoryKind, TrajectoryKinds.All);
        }

        errors.MaxLength("theme", Theme, 100);
        errors.MaxLength("q", Q, 200);
    }
}

public sealed record BestPractice
{
    public required Guid Id { get; init; }

    public required string Title { get; init; }

    public required string Lesson { get; init; }

    [Vocabulary(typeof(TargetGroups))]
    public required IReadOnlyList<string> TargetGroups { get; init; }

    public required string Theme { get; init; }

    [Vocabulary(typeof(TrajectoryKinds))]
    public required string TrajectoryKind { get; init; }

    public required Guid OwnerPartnerId { get; init; }

    /// <summary>Who published it, so that others know whom to ask.</summary>
    public required string OwnerPartnerName { get; init; }

    public required DateTimeOffset PublishedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }
}
