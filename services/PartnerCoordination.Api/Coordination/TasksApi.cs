using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Http;
using Participatie.BuildingBlocks.Time;
using Participatie.PartnerCoordination.Domain;
using Participatie.PartnerCoordination.Trajectories;

namespace Participatie.PartnerCoordination.Coordination;

/// <summary>
/// Tasks one partner of a trajectory sets for another, with a due date. Every partner in the trajectory sees every
/// task, overdue ones included; the owner changes a task, the owner and the assignee move its status.
/// </summary>
public static class TasksApi
{
    internal static readonly OwnedItemStore<TrajectoryTask> Store = new()
    {
        Name = "task",
        Table = "trajectory_tasks",
        Select = """
            SELECT id, trajectory_id AS TrajectoryId, title, description, owner_partner_id AS OwnerPartnerId,
                   assignee_partner_id AS AssigneePartnerId, due_date AS DueDate, status, created_at AS CreatedAt, updated_at AS UpdatedAt
            FROM trajectory_tasks
            """,
        Owner = task => task.OwnerPartnerId,
        OwnerOnly = "Only the partner that recorded this task changes it.",
    };

    public static IEndpointRouteBuilder MapTasksApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapApiGroup("/v1/trajectories/{trajectoryId:guid}/tasks", "Tasks", AuthenticationExtensions.CallerPolicy)
            .WithTrajectoryAccess()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("", CreateTask)
            .Requires(TrajectoryPermissions.Contribute)
            .WithName("CreateTask")
            .WithSummary("Set a task for a partner of the trajectory (lead, co-owners, contributors)")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("", ListTasks)
            .WithName("ListTasks")
            .WithSummary("List the trajectory's tasks by due date; overdue=true lists only those past their due date and not finished");

        var task = api.MapOwnedItem(string.Empty, "taskId", Store);
        task.MapGet("", GetTask)
            .WithName("GetTask")
            .WithSummary("Read a task");
        task.MapPut("", UpdateTask)
            .Requires(TrajectoryPermissions.Contribute)
            .WithName("UpdateTask")
            .WithSummary("Change a task's title, description, assignee or due date (the owning partner)")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        // Any role: the assignee may be an observer, and still reports on its own task.
        task.MapPut("/status", SetTaskStatus)
            .ChangedBy<TrajectoryTask>((current, partnerId) => partnerId == current.OwnerPartnerId || partnerId == current.AssigneePartnerId
                ? null
                : Problems.Forbidden("Only the partner that set the task, or the partner it is assigned to, moves its status."))
            .WithName("SetTaskStatus")
            .WithSummary("Move a task to another status (the owning partner or the assignee)");
        task.MapDelete("", DeleteTask)
            .Requires(TrajectoryPermissions.Contribute)
            .WithName("DeleteTask")
            .WithSummary("Delete a task (the owning partner)");
        return routes;
    }

    internal static async Task<Results<Created<TrajectoryTask>, ProblemHttpResult>> CreateTask(
        TrajectoryCaller caller, TaskRequest request, [AsParameters] ApiServices services)
    {
        var (work, cancellationToken) = (caller.Work, services.Cancellation);
        if (!await TrajectoryStore.TakesPartAsync(work, caller.TrajectoryId, request.AssigneePartnerId!.Value, cancellationToken))
        {
            return Problems.Unprocessable("assigneePartnerId", $"Partner '{request.AssigneePartnerId}' takes no part in this trajectory.");
        }

        var now = services.Clock.GetUtcNow();
        var task = new TrajectoryTask
        {
            Id = Guid.CreateVersion7(),
            TrajectoryId = caller.TrajectoryId,
            Title = request.Title!.Trim(),
            Description = request.Description?.Trim() ?? string.Empty,
            OwnerPartnerId = caller.Partner,
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
        return TypedResults.Created($"/v1/trajectories/{caller.TrajectoryId}/tasks/{task.Id}", WithOverdue(task, services.Clock));
    }

    internal static async Task<Results<Ok<Page<TrajectoryTask>>, ProblemHttpResult>> ListTasks(
        TrajectoryCaller caller,
        [FromQuery] bool? overdue,
        [FromQuery] Guid? assigneePartnerId,
        [AsParameters] PageQuery page,
        [AsParameters] ApiServices services)
    {
        var today = AmsterdamClock.Today(services.Clock);
        // The overdue condition is TaskDeadlines.IsOverdue, in SQL.
        const string filter = """
            WHERE trajectory_id = @TrajectoryId
              AND (@AssigneePartnerId::uuid IS NULL OR assignee_partner_id = @AssigneePartnerId)
              AND (NOT @OnlyOverdue OR (due_date < @Today AND status NOT IN ('done', 'cancelled')))
            """;
        var tasks = await Store.PageAsync(
            caller.Work, page, filter, "due_date, created_at, id",
            new { caller.TrajectoryId, AssigneePartnerId = assigneePartnerId, OnlyOverdue = overdue == true, Today = today },
            services.Cancellation);
        return TypedResults.Ok(tasks with
        {
            Items = [.. tasks.Items.Select(task => task with { Overdue = TaskDeadlines.IsOverdue(task.DueDate, task.Status, today) })],
        });
    }

    internal static Results<Ok<TrajectoryTask>, ProblemHttpResult> GetTask(OwnedItem<TrajectoryTask> task, TimeProvider clock) =>
        TypedResults.Ok(WithOverdue(task.Item, clock));

    internal static async Task<Results<Ok<TrajectoryTask>, ProblemHttpResult>> UpdateTask(
        TrajectoryCaller caller, OwnedItem<TrajectoryTask> task, TaskRequest request, [AsParameters] ApiServices services)
    {
        var (work, cancellationToken) = (task.Work, services.Cancellation);
        var assignee = request.AssigneePartnerId!.Value;
        var previousAssignee = task.Item.AssigneePartnerId;
        if (assignee != previousAssignee && !await TrajectoryStore.TakesPartAsync(work, caller.TrajectoryId, assignee, cancellationToken))
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
                TaskId = task.Item.Id,
                Title = request.Title!.Trim(),
                Description = request.Description?.Trim() ?? string.Empty,
                AssigneePartnerId = assignee,
                DueDate = request.DueDate!.Value,
                Now = services.Clock.GetUtcNow(),
            },
            work.Transaction, cancellationToken: cancellationToken));
        if (assignee != previousAssignee)
        {
            // Who answers for a task is a matter of responsibility between partners: recorded like a role change.
            await AuditLog.RecordAsync(
                work, services.User, caller.TrajectoryId, "task-reassigned", $"task {task.Item.Id}",
                new { assigneePartnerId = assignee, previousAssigneePartnerId = previousAssignee }, cancellationToken);
        }

        return TypedResults.Ok(await ReadAndCommitAsync(task, services));
    }

    internal static async Task<Results<Ok<TrajectoryTask>, ProblemHttpResult>> SetTaskStatus(
        OwnedItem<TrajectoryTask> task, SetTaskStatusRequest request, [AsParameters] ApiServices services)
    {
        await task.Work.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE trajectory_tasks SET status = @Status, updated_at = @Now WHERE id = @TaskId",
            new { TaskId = task.Item.Id, request.Status, Now = services.Clock.GetUtcNow() }, task.Work.Transaction, cancellationToken: services.Cancellation));
        return TypedResults.Ok(await ReadAndCommitAsync(task, services));
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteTask(OwnedItem<TrajectoryTask> task, CancellationToken cancellationToken)
    {
        await Store.DeleteAsync(task.Work, task.Item.Id, cancellationToken);
        await task.Work.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>The task as changed, then the change committed.</summary>
    private static async Task<TrajectoryTask> ReadAndCommitAsync(OwnedItem<TrajectoryTask> task, ApiServices services)
    {
        var updated = (await Store.FindAsync(task.Work, task.Item.TrajectoryId, task.Item.Id, forChange: false, services.Cancellation))!;
        await task.Work.CommitAsync(services.Cancellation);
        return WithOverdue(updated, services.Clock);
    }

    private static TrajectoryTask WithOverdue(TrajectoryTask task, TimeProvider clock) =>
        task with { Overdue = TaskDeadlines.IsOverdue(task.DueDate, task.Status, AmsterdamClock.Today(clock)) };
}
