using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.PartnerCoordination.Domain;
using Participatie.PartnerCoordination.Trajectories;

namespace Participatie.PartnerCoordination.Coordination;

/// <summary>
/// Tasks one partner of a trajectory sets for another, with a due date. Every partner in the trajectory sees every
/// task, overdue ones included; the owner changes a task, the owner and the assignee move its status.
/// </summary>
public static class TasksApi
{
    private const string SelectTask = """
        SELECT id, trajectory_id AS TrajectoryId, title, description, owner_partner_id AS OwnerPartnerId,
               assignee_partner_id AS AssigneePartnerId, due_date AS DueDate, status, created_at AS CreatedAt, updated_at AS UpdatedAt
        FROM trajectory_tasks
        """;

    public static IEndpointRouteBuilder MapTasksApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapApiGroup("/v1/trajectories/{trajectoryId:guid}/tasks", "Tasks", AuthenticationExtensions.CallerPolicy)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("", CreateTask)
            .WithName("CreateTask")
            .WithSummary("Set a task for a partner of the trajectory (lead, co-owners, contributors)")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("", ListTasks)
            .WithName("ListTasks")
            .WithSummary("List the trajectory's tasks by due date; overdue=true lists only those past their due date and not finished");
        api.MapGet("/{taskId:guid}", GetTask)
            .WithName("GetTask")
            .WithSummary("Read a task");
        api.MapPut("/{taskId:guid}", UpdateTask)
            .WithName("UpdateTask")
            .WithSummary("Change a task's title, description, assignee or due date (the owning partner)")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapPut("/{taskId:guid}/status", SetTaskStatus)
            .WithName("SetTaskStatus")
            .WithSummary("Move a task to another status (the owning partner or the assignee)");
        api.MapDelete("/{taskId:guid}", DeleteTask)
            .WithName("DeleteTask")
            .WithSummary("Delete a task (the owning partner)");
        return routes;
    }

    internal static async Task<Results<Created<TrajectoryTask>, ProblemHttpResult>> CreateTask(
        Guid trajectoryId, TaskRequest request, ClaimsPrincipal user, UnitOfWorkFactory unitOfWork, TimeProvider clock, CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        if (await TrajectoryAccess.CheckContributorAsync(work, trajectoryId, user, cancellationToken) is { } denied)
        {
            return denied;
        }

        if (!await TrajectoryAccess.TakesPartAsync(work, trajectoryId, request.AssigneePartnerId!.Value, cancellationToken))
        {
            return Problems.Unprocessable("assigneePartnerId", $"Partner '{request.AssigneePartnerId}' takes no part in this trajectory.");
        }

        var now = clock.GetUtcNow();
        var task = new TrajectoryTask
        {
            Id = Guid.CreateVersion7(),
            TrajectoryId = trajectoryId,
            Title = request.Title!.Trim(),
            Description = request.Description?.Trim() ?? string.Empty,
            OwnerPartnerId = user.GetPartnerId()!.Value,
            AssigneePartnerId = request.AssigneePartnerId.Value,
            DueDate = request.DueDate!.Value,
            Status = TaskStatuses.Open,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO trajectory_tasks
                (id, trajectory_id, title, description, owner_partner_id, assignee_partner_id, due_date, status, created_at, updated_at)
            VALUES (@Id, @TrajectoryId, @Title, @Description, @OwnerPartnerId, @AssigneePartnerId, @DueDate, @Status, @CreatedAt, @UpdatedAt)
            """,
            task, work.Transaction, cancellationToken: cancellationToken));
        await work.CommitAsync(cancellationToken);
        return TypedResults.Created(
            $"/v1/trajectories/{trajectoryId}/tasks/{task.Id}", task with { Overdue = TaskDeadlines.IsOverdue(task.DueDate, task.Status, TaskDeadlines.Today(clock)) });
    }

    internal static async Task<Results<Ok<Page<TrajectoryTask>>, ProblemHttpResult>> ListTasks(
        Guid trajectoryId,
        [FromQuery] bool? overdue,
        [FromQuery] Guid? assigneePartnerId,
        [AsParameters] PageQuery page,
        ClaimsPrincipal user,
        UnitOfWorkFactory unitOfWork,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        if (await TrajectoryAccess.CheckReaderAsync(work, trajectoryId, user, cancellationToken) is { } denied)
        {
            return denied;
        }

        var today = TaskDeadlines.Today(clock);
        // The overdue condition is TaskDeadlines.IsOverdue, in SQL.
        const string filter = """
            WHERE trajectory_id = @TrajectoryId
              AND (@AssigneePartnerId::uuid IS NULL OR assignee_partner_id = @AssigneePartnerId)
              AND (NOT @OnlyOverdue OR (due_date < @Today AND status NOT IN ('done', 'cancelled')))
            """;
        var tasks = await work.Connection.QueryPageAsync<TrajectoryTask>(page, new CommandDefinition(
            $"""
            {SelectTask} {filter} ORDER BY due_date, created_at, id OFFSET @Offset LIMIT @Size;
            SELECT count(*) FROM trajectory_tasks {filter};
            """,
            new { TrajectoryId = trajectoryId, AssigneePartnerId = assigneePartnerId, OnlyOverdue = overdue == true, Today = today, page.Offset, page.Size },
            work.Transaction, cancellationToken: cancellationToken));
        return TypedResults.Ok(tasks with
        {
            Items = [.. tasks.Items.Select(task => task with { Overdue = TaskDeadlines.IsOverdue(task.DueDate, task.Status, today) })],
        });
    }

    internal static async Task<Results<Ok<TrajectoryTask>, ProblemHttpResult>> GetTask(
        Guid trajectoryId, Guid taskId, ClaimsPrincipal user, UnitOfWorkFactory unitOfWork, TimeProvider clock, CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        if (await TrajectoryAccess.CheckReaderAsync(work, trajectoryId, user, cancellationToken) is { } denied)
        {
            return denied;
        }

        var task = await FindAsync(work, trajectoryId, taskId, clock, forUpdate: false, cancellationToken);
        return task is null ? Problems.NotFound("task", taskId) : TypedResults.Ok(task);
    }

    internal static async Task<Results<Ok<TrajectoryTask>, ProblemHttpResult>> UpdateTask(
        Guid trajectoryId,
        Guid taskId,
        TaskRequest request,
        ClaimsPrincipal user,
        UnitOfWorkFactory unitOfWork,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        if (await TrajectoryAccess.CheckContributorAsync(work, trajectoryId, user, cancellationToken) is { } denied)
        {
            return denied;
        }

        var task = await FindAsync(work, trajectoryId, taskId, clock, forUpdate: true, cancellationToken);
        if (task is null)
        {
            return Problems.NotFound("task", taskId);
        }

        if (TrajectoryAccess.CheckOwner(user, task.OwnerPartnerId, "task") is { } notOwner)
        {
            return notOwner;
        }

        var assignee = request.AssigneePartnerId!.Value;
        if (assignee != task.AssigneePartnerId && !await TrajectoryAccess.TakesPartAsync(work, trajectoryId, assignee, cancellationToken))
        {
            return Problems.Unprocessable("assigneePartnerId", $"Partner '{assignee}' takes no part in this trajectory.");
        }

        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE trajectory_tasks
            SET title = @Title, description = @Description, assignee_partner_id = @AssigneePartnerId, due_date = @DueDate, updated_at = @Now
            WHERE id = @TaskId
            """,
            new
            {
                TaskId = taskId,
                Title = request.Title!.Trim(),
                Description = request.Description?.Trim() ?? string.Empty,
                AssigneePartnerId = assignee,
                DueDate = request.DueDate!.Value,
                Now = clock.GetUtcNow(),
            },
            work.Transaction, cancellationToken: cancellationToken));
        if (assignee != task.AssigneePartnerId)
        {
            // Who answers for a task is a matter of responsibility between partners: recorded like a role change.
            await AuditLog.RecordAsync(
                work, user, trajectoryId, "task-reassigned", $"task {taskId}",
                new { assigneePartnerId = assignee, previousAssigneePartnerId = task.AssigneePartnerId }, cancellationToken);
        }

        var updated = (await FindAsync(work, trajectoryId, taskId, clock, forUpdate: false, cancellationToken))!;
        await work.CommitAsync(cancellationToken);
        return TypedResults.Ok(updated);
    }

    internal static async Task<Results<Ok<TrajectoryTask>, ProblemHttpResult>> SetTaskStatus(
        Guid trajectoryId,
        Guid taskId,
        SetTaskStatusRequest request,
        ClaimsPrincipal user,
        UnitOfWorkFactory unitOfWork,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        // Any role: the assignee may be an observer, and still reports on its own task.
        if (await TrajectoryAccess.CheckReaderAsync(work, trajectoryId, user, cancellationToken) is { } denied)
        {
            return denied;
        }

        var task = await FindAsync(work, trajectoryId, taskId, clock, forUpdate: true, cancellationToken);
        if (task is null)
        {
            return Problems.NotFound("task", taskId);
        }

        var caller = user.GetPartnerId();
        if (caller != task.OwnerPartnerId && caller != task.AssigneePartnerId)
        {
            return Problems.Forbidden("Only the partner that set the task, or the partner it is assigned to, moves its status.");
        }

        await work.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE trajectory_tasks SET status = @Status, updated_at = @Now WHERE id = @TaskId",
            new { TaskId = taskId, request.Status, Now = clock.GetUtcNow() }, work.Transaction, cancellationToken: cancellationToken));
        var updated = (await FindAsync(work, trajectoryId, taskId, clock, forUpdate: false, cancellationToken))!;
        await work.CommitAsync(cancellationToken);
        return TypedResults.Ok(updated);
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteTask(
        Guid trajectoryId, Guid taskId, ClaimsPrincipal user, UnitOfWorkFactory unitOfWork, TimeProvider clock, CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        if (await TrajectoryAccess.CheckContributorAsync(work, trajectoryId, user, cancellationToken) is { } denied)
        {
            return denied;
        }

        var task = await FindAsync(work, trajectoryId, taskId, clock, forUpdate: true, cancellationToken);
        if (task is null)
        {
            return Problems.NotFound("task", taskId);
        }

        if (TrajectoryAccess.CheckOwner(user, task.OwnerPartnerId, "task") is { } notOwner)
        {
            return notOwner;
        }

        await work.Connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM trajectory_tasks WHERE id = @TaskId", new { TaskId = taskId }, work.Transaction, cancellationToken: cancellationToken));
        await work.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<TrajectoryTask?> FindAsync(
        UnitOfWork work, Guid trajectoryId, Guid taskId, TimeProvider clock, bool forUpdate, CancellationToken cancellationToken)
    {
        var task = await work.Connection.QuerySingleOrDefaultAsync<TrajectoryTask>(new CommandDefinition(
            $"{SelectTask} WHERE id = @TaskId AND trajectory_id = @TrajectoryId {(forUpdate ? "FOR UPDATE" : string.Empty)}",
            new { TaskId = taskId, TrajectoryId = trajectoryId }, work.Transaction, cancellationToken: cancellationToken));
        return task is null ? null : task with { Overdue = TaskDeadlines.IsOverdue(task.DueDate, task.Status, TaskDeadlines.Today(clock)) };
    }
}
