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

/// <summary>
/// Themes group the reactions to a consultation that say the same thing, so that staff answer them once. The answer
/// goes to each reaction through the same path as a single answer: each change is in the reaction's history and
/// reaches its resident once.
/// </summary>
public static class ThemesApi
{
    private const string SelectTheme = """
        SELECT t.id, t.consultation_id AS ConsultationId, t.title, t.description, t.status, t.explanation,
               t.answered_at AS AnsweredAt, t.created_at AS CreatedAt,
               (SELECT count(*) FROM reactions r WHERE r.theme_id = t.id) AS ReactionCount
        FROM themes t
        """;

    public static IEndpointRouteBuilder MapThemesApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapApiGroup("/v1/consultations/{consultationId:guid}/themes", "Themes")
            .WithConsultationAccess()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("", CreateTheme)
            .Requires(ConsultationPermissions.Answer)
            .WithName("CreateTheme")
            .WithSummary("Start a theme to group the reactions to a consultation that say the same thing (those who answer its reactions)");
        api.MapGet("", ListThemes)
            .WithName("ListThemes")
            .WithSummary("List a consultation's themes with how many reactions each has, oldest first");
        api.MapGet("/{themeId:guid}", GetTheme)
            .WithName("GetTheme")
            .WithSummary("Read a theme with the ids of its reactions");
        api.MapPost("/{themeId:guid}/reactions", AddReactionsToTheme)
            .Requires(ConsultationPermissions.Answer)
            .WithName("AddReactionsToTheme")
            .WithSummary("Put reactions of the consultation in the theme; a reaction is in at most one theme")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapDelete("/{themeId:guid}/reactions/{reactionId:guid}", RemoveReactionFromTheme)
            .Requires(ConsultationPermissions.Answer)
            .WithName("RemoveReactionFromTheme")
            .WithSummary("Take a reaction out of the theme; it keeps the answers it was given");
        api.MapPut("/{themeId:guid}/answer", AnswerTheme)
            .Requires(ConsultationPermissions.Answer)
            .WithName("AnswerTheme")
            .WithSummary("Answer every reaction in the theme at once; each reaction that did not have this answer yet gets it, and its resident is told")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        return routes;
    }

    internal static async Task<Results<Created<ThemeResponse>, ProblemHttpResult>> CreateTheme(
        VisibleConsultation visible, CreateThemeRequest request, [AsParameters] ApiServices services)
    {
        await using var work = await services.UnitOfWork.BeginAsync(services.Cancellation);

        var theme = new ThemeResponse
        {
            Id = Guid.CreateVersion7(),
            ConsultationId = visible.Consultation.Id,
            Title = request.Title!.Trim(),
            Description = string.IsNullOrWhiteSpace(request.Description) ? null : request.Description.Trim(),
            CreatedAt = services.Clock.GetUtcNow(),
            ReactionCount = 0,
            ReactionIds = [],
        };
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO themes (id, consultation_id, partner_id, title, description, created_at)
            VALUES (@Id, @ConsultationId, @PartnerId, @Title, @Description, @CreatedAt)
            """,
            new { theme.Id, theme.ConsultationId, PartnerId = services.User.GetPartnerId(), theme.Title, theme.Description, theme.CreatedAt },
            work.Transaction, cancellationToken: services.Cancellation));
        await work.CommitAsync(services.Cancellation);
        return TypedResults.Created($"/v1/consultations/{visible.Consultation.Id}/themes/{theme.Id}", theme);
    }

    internal static async Task<Results<Ok<Page<ThemeResponse>>, ProblemHttpResult>> ListThemes(
        VisibleConsultation visible, [AsParameters] PageQuery page, [AsParameters] ApiServices services)
    {
        await using var connection = await services.Database.OpenConnectionAsync(services.Cancellation);

        return TypedResults.Ok(await connection.QueryPageAsync<ThemeResponse>(page, new CommandDefinition(
            $"""
            {SelectTheme} WHERE t.consultation_id = @ConsultationId
            ORDER BY t.created_at, t.id OFFSET @Offset LIMIT @Size;
            SELECT count(*) FROM themes WHERE consultation_id = @ConsultationId;
            """,
            new { ConsultationId = visible.Consultation.Id, page.Offset, page.Size }, cancellationToken: services.Cancellation)));
    }

    internal static async Task<Results<Ok<ThemeResponse>, ProblemHttpResult>> GetTheme(
        VisibleConsultation visible, Guid themeId, [AsParameters] ApiServices services)
    {
        await using var connection = await services.Database.OpenConnectionAsync(services.Cancellation);
        var theme = await FindAsync(connection, null, visible.Consultation.Id, themeId, services.Cancellation);
        return theme is null
            ? Problems.NotFound("theme", themeId)
            : TypedResults.Ok(await WithReactionIdsAsync(connection, null, theme, services.Cancellation));
    }

    internal static async Task<Results<Ok<ThemeResponse>, ProblemHttpResult>> AddReactionsToTheme(
        VisibleConsultation visible, Guid themeId, AddReactionsToThemeRequest request, [AsParameters] ApiServices services)
    {
        await using var work = await services.UnitOfWork.BeginAsync(services.Cancellation);
        var theme = await FindAsync(work.Connection, work.Transaction, visible.Consultation.Id, themeId, services.Cancellation, forUpdate: true);
        if (theme is null)
        {
            return Problems.NotFound("theme", themeId);
        }

        Guid[] wanted = [.. request.ReactionIds!.Distinct()];
        var found = (await work.Connection.QueryAsync<(Guid Id, Guid? ThemeId)>(new CommandDefinition(
            "SELECT id, theme_id FROM reactions WHERE id = ANY(@Ids) AND consultation_id = @ConsultationId ORDER BY id FOR UPDATE",
            new { Ids = wanted, ConsultationId = visible.Consultation.Id }, work.Transaction, cancellationToken: services.Cancellation))).AsList();
        var unknown = wanted.Except(found.Select(reaction => reaction.Id)).ToList();
        if (unknown.Count > 0)
        {
            return Problems.Unprocessable("reactionIds", $"This consultation has no reaction with id {string.Join(", ", unknown.Select(id => $"'{id}'"))}.");
        }

        var elsewhere = found.Where(reaction => reaction.ThemeId is { } other && other != themeId).ToList();
        if (elsewhere.Count > 0)
        {
            return Problems.Unprocessable(
                "reactionIds",
                $"Reaction {string.Join(", ", elsewhere.Select(reaction => $"'{reaction.Id}'"))} is in another theme; take it out of that theme first.");
        }

        await work.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE reactions SET theme_id = @ThemeId WHERE id = ANY(@Ids)",
            new { ThemeId = themeId, Ids = wanted }, work.Transaction, cancellationToken: services.Cancellation));
        var changed = await WithReactionIdsAsync(work.Connection, work.Transaction, theme, services.Cancellation);
        await work.CommitAsync(services.Cancellation);
        return TypedResults.Ok(changed);
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> RemoveReactionFromTheme(
        VisibleConsultation visible, Guid themeId, Guid reactionId, [AsParameters] ApiServices services)
    {
        await using var work = await services.UnitOfWork.BeginAsync(services.Cancellation);
        var theme = await FindAsync(work.Connection, work.Transaction, visible.Consultation.Id, themeId, services.Cancellation, forUpdate: true);
        if (theme is null)
        {
            return Problems.NotFound("theme", themeId);
        }

        var removed = await work.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE reactions SET theme_id = NULL WHERE id = @ReactionId AND theme_id = @ThemeId AND consultation_id = @ConsultationId",
            new { ReactionId = reactionId, ThemeId = themeId, ConsultationId = visible.Consultation.Id }, work.Transaction, cancellationToken: services.Cancellation));
        await work.CommitAsync(services.Cancellation);
        return removed == 1 ? TypedResults.NoContent() : Problems.NotFound("reaction", reactionId);
    }

    internal static async Task<Results<Ok<ThemeAnswerResponse>, ProblemHttpResult>> AnswerTheme(
        VisibleConsultation visible, Guid themeId, AnswerReactionRequest request, [AsParameters] ApiServices services)
    {
        await using var work = await services.UnitOfWork.BeginAsync(services.Cancellation);
        // The theme is locked first, so that no reaction joins or leaves it while it is answered.
        var theme = await FindAsync(work.Connection, work.Transaction, visible.Consultation.Id, themeId, services.Cancellation, forUpdate: true);
        if (theme is null)
        {
            return Problems.NotFound("theme", themeId);
        }

        // In id order, the same order every writer locks them in.
        var reactions = (await work.Connection.QueryAsync<ReactionResponse>(new CommandDefinition(
            $"{ReactionStore.SelectReaction} WHERE theme_id = @ThemeId ORDER BY id FOR UPDATE",
            new { ThemeId = themeId }, work.Transaction, cancellationToken: services.Cancellation))).AsList();

        var status = request.Status!;
        var explanation = request.Explanation!.Trim();
        // The translations go to each reaction, whose resident reads the answer; the theme keeps the Dutch text.
        var translations = PartnerTranslations.Normalize(request.ExplanationTranslations);
        // All or nothing: a theme answer that some of its reactions may not get is given to none of them.
        var refused = reactions
            .Where(reaction => ReactionAnswering.Decide(reaction.Status, reaction.Explanation, status, explanation) == AnswerOutcome.NotAllowed)
            .ToList();
        if (refused.Count > 0)
        {
            return Problems.Unprocessable(
                "status",
                $"Reaction {string.Join(", ", refused.Select(reaction => $"'{reaction.Id}'"))} already has an outcome and cannot go back to '{status}'; "
                + "take it out of the theme or give the theme an outcome.");
        }

        var now = services.Clock.GetUtcNow();
        var changed = new List<Guid>();
        var unchanged = new List<Guid>();
        foreach (var reaction in reactions)
        {
            var outcome = await ReactionStore.ApplyAnswerAsync(
                work, visible.Consultation, reaction, status, explanation, now, services.Cancellation, translations);
            (outcome == AnswerOutcome.Changed ? changed : unchanged).Add(reaction.Id);
        }

        // The theme keeps what was decided and when, for "you said, we did"; giving the same answer again decides nothing new.
        if (theme.Status != status || !string.Equals(theme.Explanation, explanation, StringComparison.Ordinal))
        {
            theme = theme with { Status = status, Explanation = explanation, AnsweredAt = now };
            await work.Connection.ExecuteAsync(new CommandDefinition(
                "UPDATE themes SET status = @Status, explanation = @Explanation, answered_at = @AnsweredAt WHERE id = @Id",
                theme, work.Transaction, cancellationToken: services.Cancellation));
        }

        await work.CommitAsync(services.Cancellation);
        return TypedResults.Ok(new ThemeAnswerResponse
        {
            ThemeId = themeId,
            Status = status,
            Explanation = explanation,
            AnsweredAt = theme.AnsweredAt!.Value,
            ChangedReactionIds = changed,
            UnchangedReactionIds = unchanged,
        });
    }

    private static Task<ThemeResponse?> FindAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        Guid consultationId,
        Guid themeId,
        CancellationToken cancellationToken,
        bool forUpdate = false) =>
        connection.QuerySingleOrDefaultAsync<ThemeResponse>(new CommandDefinition(
            $"{SelectTheme} WHERE t.id = @ThemeId AND t.consultation_id = @ConsultationId {(forUpdate ? "FOR UPDATE OF t" : string.Empty)}",
            new { ThemeId = themeId, ConsultationId = consultationId }, transaction, cancellationToken: cancellationToken));

    private static async Task<ThemeResponse> WithReactionIdsAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, ThemeResponse theme, CancellationToken cancellationToken)
    {
        var ids = (await connection.QueryAsync<Guid>(new CommandDefinition(
            "SELECT id FROM reactions WHERE theme_id = @ThemeId ORDER BY submitted_at, id",
            new { ThemeId = theme.Id }, transaction, cancellationToken: cancellationToken))).AsList();
        return theme with { ReactionIds = ids, ReactionCount = ids.Count };
    }
}
