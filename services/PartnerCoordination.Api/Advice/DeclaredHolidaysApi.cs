using System.ComponentModel.DataAnnotations;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.BuildingBlocks.Time;
using Participatie.PartnerCoordination.Domain;

namespace Participatie.PartnerCoordination.Advice;

/// <summary>A day the government declared equal to a holiday (Algemene termijnenwet art. 3 lid 3).</summary>
public sealed record DeclaredHoliday
{
    public required DateOnly Day { get; init; }

    public required string Name { get; init; }
}

/// <summary>The name of a declared day, e.g. the decree that declared it.</summary>
public sealed record DeclareHolidayRequest([StringLength(200)] string? Name) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        if (errors.Required("name", Name))
        {
            errors.MaxLength("name", Name, 200);
        }
    }
}

/// <summary>
/// The table of declared holidays that statutory terms skip. It is platform policy, so only the operator extends it;
/// every caller may read it, to see why a deadline moved. Days are only added: a term once moved stays moved.
/// </summary>
public static class DeclaredHolidaysApi
{
    public static IEndpointRouteBuilder MapDeclaredHolidaysApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapApiGroup("/v1/declared-holidays", "Advice requests", AuthenticationExtensions.CallerPolicy);
        api.MapGet("", ListDeclaredHolidays)
            .WithName("ListDeclaredHolidays")
            .WithSummary("List the days declared equal to holidays, which statutory terms (the Overlegwet's) skip");
        api.MapPut("/{day}", DeclareHoliday)
            .RequireAuthorization(AuthenticationExtensions.PlatformPolicy)
            .WithName("DeclareHoliday")
            .WithSummary("Add a day the government declared equal to a holiday (the platform operator only); open Overlegwet answer deadlines move with it");
        return routes;
    }

    /// <summary>The declared days, for <see cref="StatutoryTerms"/>.</summary>
    internal static async Task<IReadOnlySet<DateOnly>> LoadAsync(UnitOfWork work, CancellationToken cancellationToken) =>
        (await work.Connection.QueryAsync<DateOnly>(new CommandDefinition(
            "SELECT day FROM declared_holidays", transaction: work.Transaction, cancellationToken: cancellationToken))).ToHashSet();

    internal static async Task<Ok<IReadOnlyList<DeclaredHoliday>>> ListDeclaredHolidays(UnitOfWorkFactory unitOfWork, CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        var days = await work.Connection.QueryAsync<DeclaredHoliday>(new CommandDefinition(
            "SELECT day, name FROM declared_holidays ORDER BY day", transaction: work.Transaction, cancellationToken: cancellationToken));
        return TypedResults.Ok<IReadOnlyList<DeclaredHoliday>>([.. days]);
    }

    internal static async Task<Ok<DeclaredHoliday>> DeclareHoliday(DateOnly day, DeclareHolidayRequest request, [AsParameters] ApiServices services)
    {
        var cancellationToken = services.Cancellation;
        await using var work = await services.UnitOfWork.BeginAsync(cancellationToken);
        var name = request.Name!.Trim();
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO declared_holidays (day, name, added_by, added_at) VALUES (@Day, @Name, @AddedBy, @Now)
            ON CONFLICT (day) DO UPDATE SET name = excluded.name
            """,
            new { Day = day, Name = name, AddedBy = services.User.GetClientId() ?? "platform-operator", Now = services.Clock.GetUtcNow() },
            work.Transaction, cancellationToken: cancellationToken));
        await MoveOpenTermsAsync(work, AmsterdamClock.Today(services.Clock), cancellationToken);
        await work.CommitAsync(cancellationToken);
        return TypedResults.Ok(new DeclaredHoliday { Day = day, Name = name });
    }

    /// <summary>
    /// Works the terms still running out again with the new day: the reasoned answers owed and the waits after them.
    /// Advice periods are left as set, because a landlord may have chosen a date beyond the six weeks.
    /// </summary>
    private static async Task MoveOpenTermsAsync(UnitOfWork work, DateOnly today, CancellationToken cancellationToken)
    {
        var declared = await LoadAsync(work, cancellationToken);
        var running = await work.Connection.QueryAsync<(Guid Id, DateOnly AdviceReceivedOn, DateOnly? AnsweredOn)>(new CommandDefinition(
            """
            SELECT id, advice_received_on, answered_on FROM advice_requests
            WHERE (advice_received_on IS NOT NULL AND follows_advice IS NOT TRUE AND answered_on IS NULL)
               OR (answered_on IS NOT NULL AND may_proceed_on >= @Today)
            FOR UPDATE
            """,
            new { Today = today }, work.Transaction, cancellationToken: cancellationToken));
        foreach (var request in running)
        {
            await work.Connection.ExecuteAsync(new CommandDefinition(
                request.AnsweredOn is not null
                    ? "UPDATE advice_requests SET may_proceed_on = @Date WHERE id = @Id"
                    : "UPDATE advice_requests SET answer_due_on = @Date WHERE id = @Id",
                new
                {
                    request.Id,
                    Date = request.AnsweredOn is { } answered
                        ? AdviceDeadlines.MayProceedAfterReasonedAnswer(answered, declared)
                        : AdviceDeadlines.ReasonedAnswerDue(request.AdviceReceivedOn, declared),
                },
                work.Transaction, cancellationToken: cancellationToken));
        }
    }
}
