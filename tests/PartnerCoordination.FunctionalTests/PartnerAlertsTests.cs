using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Participatie.BuildingBlocks.Data;
using Participatie.Contracts;
using Participatie.PartnerCoordination.Coordination;
using Participatie.Testing;
using static Participatie.PartnerCoordination.FunctionalTests.Calls;

namespace Participatie.PartnerCoordination.FunctionalTests;

/// <summary>Partners' systems hear of a task that passed its due date unfinished: once, as an event in the outbox.</summary>
[Collection(PartnerCoordinationCollection.Name)]
public sealed class PartnerAlertsTests(PartnerCoordinationService service) : IAsyncLifetime
{
    private TrajectoryCast _cast = null!;

    public async ValueTask InitializeAsync() => _cast = await TrajectoryCast.CreateAsync(service);

    public ValueTask DisposeAsync()
    {
        _cast.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task An_unfinished_task_past_its_due_date_is_announced_once_and_a_finished_one_not_at_all()
    {
        var tasks = _cast.Path("/tasks");
        object NewTask(DateOnly dueDate) => new { title = "Flyer drukken", description = "Oplage 400", assigneePartnerId = _cast.Contributor.Id, dueDate };
        var overdue = (await _cast.Lead.PostCreatedAsync(tasks, NewTask(new DateOnly(2020, 1, 15)))).GetProperty("id").GetGuid();
        var finished = (await _cast.Lead.PostCreatedAsync(tasks, NewTask(new DateOnly(2020, 1, 15)))).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await _cast.Lead.PutAsync($"{tasks}/{finished}/status", new { status = "done" })).StatusCode);
        var ahead = (await _cast.Lead.PostCreatedAsync(tasks, NewTask(new DateOnly(2099, 6, 30)))).GetProperty("id").GetGuid();
        var unitOfWork = service.Services.GetRequiredService<UnitOfWorkFactory>();

        await OverdueTaskAlerts.AnnounceDueAsync(unitOfWork, TimeProvider.System, Cancel);
        await OverdueTaskAlerts.AnnounceDueAsync(unitOfWork, TimeProvider.System, Cancel);

        var announced = Assert.Single(await AnnouncedAsync(overdue));
        Assert.Equal(_cast.TrajectoryId, announced.GetProperty("trajectoryId").GetGuid());
        Assert.Equal(_cast.Contributor.Id, announced.GetProperty("assigneePartnerId").GetGuid());
        Assert.Equal("2020-01-15", announced.GetProperty("dueOn").GetString());
        Assert.Empty(await AnnouncedAsync(finished));
        Assert.Empty(await AnnouncedAsync(ahead));
    }

    private async Task<List<JsonElement>> AnnouncedAsync(Guid taskId)
    {
        await using var connection = await service.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync(Cancel);
        var payloads = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT payload::text FROM outbox_messages WHERE message_type LIKE @Type AND payload ->> 'taskId' = @TaskId",
            new { Type = typeof(TaskOverdue).FullName + ",%", TaskId = taskId.ToString() }, cancellationToken: Cancel));
        return [.. payloads.Select(payload => JsonDocument.Parse(payload).RootElement.Clone())];
    }
}
