using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Participatie.Contracts;
using Participatie.Testing;
using static Participatie.Consultations.FunctionalTests.Requests;

namespace Participatie.Consultations.FunctionalTests;

/// <summary>
/// Reactions that arrive at the same moment share one statement and one commit (the reaction writer), and each request
/// still gets its own answer: stored, not in the audience, or refused for an erased resident.
/// </summary>
public sealed class ReactionBatchTests(ConsultationsService service, PlatformContainers containers)
    : IClassFixture<ConsultationsService>, IAsyncLifetime
{
    private readonly HttpClient _client = service.CreateClient();
    private TestTrajectory _trajectory = null!;

    private string Database => containers.Postgres.GetConnectionString();

    public async ValueTask InitializeAsync()
    {
        var lead = await containers.TokenServer.RegisterPartnerAsync("housing-corporation");
        lead.Authorize(_client);
        _trajectory = await containers.TokenServer.StartTrajectoryAsync(lead);
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Reactions_that_arrive_together_are_written_together_and_each_gets_its_own_outcome()
    {
        var (consultationId, members) = await OpenConsultationWithMembersAsync(12);

        Guid[] strangers = [Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()];
        var erasedId = await containers.NewResidentOfAsync(consultationId);
        await service.EraseResidentAsync(containers, erasedId);

        var batchSizes = new ConcurrentBag<int>();
        using var listener = ListenToBatchSizes(batchSizes);

        // The erased resident and the strangers among members, all held back together.
        Guid[] residents = [.. members.Take(6), strangers[0], erasedId, .. members.Skip(6).Take(3), strangers[1], .. members.Skip(9), strangers[2]];
        var responses = await SendTogetherAsync(consultationId, residents, "Graag een zebrapad bij de school.");
        var requests = residents.Zip(responses, (residentId, response) => (residentId, response));

        foreach (var (residentId, answer) in requests)
        {
            if (residentId == erasedId)
            {
                var refused = await answer.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "residentId");
                Assert.Contains("erased", refused.GetProperty("errors").GetProperty("residentId")[0].GetString(), StringComparison.Ordinal);
            }
            else if (strangers.Contains(residentId))
            {
                await answer.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "residentId");
            }
            else
            {
                Assert.True(answer.StatusCode == HttpStatusCode.Created, await answer.Content.ReadAsStringAsync(Cancel));
                var reaction = await answer.Content.ReadFromJsonAsync<JsonElement>(Cancel);
                Assert.Equal(residentId, reaction.GetProperty("residentId").GetGuid());
            }
        }

        // Each member's reaction once, with its first history entry and its one event (alone, or in the event of the
        // reactions written with it); nothing for the others.
        await using var database = new NpgsqlConnection(Database);
        var stored = (await database.QueryAsync<(Guid ResidentId, int History, int Events)>(
            $"""
            WITH events AS ({EventsSql})
            SELECT r.resident_id,
                   (SELECT count(*)::int FROM reaction_status_changes h WHERE h.reaction_id = r.id AND h.status = 'received'),
                   (SELECT count(*)::int FROM events e WHERE e.reaction->>'reactionId' = r.id::text AND e.reaction->>'residentId' = r.resident_id::text)
            FROM reactions r WHERE r.consultation_id = @ConsultationId
            """,
            new { ConsultationId = consultationId })).AsList();
        Assert.Equal(members.Order(), stored.Select(row => row.ResidentId).Order());
        Assert.All(stored, row => Assert.Equal((1, 1), (row.History, row.Events)));
        Assert.Contains(batchSizes, size => size > 1);
    }

    [Fact]
    public async Task Reactions_written_together_go_out_as_one_event_holding_each()
    {
        var (consultationId, members) = await OpenConsultationWithMembersAsync(8);

        // Only members: an erased resident's refusal would send the batch back one reaction at a time.
        foreach (var answer in await SendTogetherAsync(consultationId, members, "Meer groen op het plein."))
        {
            Assert.Equal(HttpStatusCode.Created, answer.StatusCode);
        }

        // Every reaction in exactly one event, and at least one event holding several.
        await using var database = new NpgsqlConnection(Database);
        var events = (await database.QueryAsync<(Guid OutboxId, string ReactionId)>(
            $"""
            WITH events AS ({EventsSql})
            SELECT outbox_id, reaction->>'reactionId' FROM events WHERE reaction->>'consultationId' = @ConsultationId::text
            """,
            new { ConsultationId = consultationId })).AsList();
        Assert.Equal(members.Count, events.Select(row => row.ReactionId).Distinct().Count());
        Assert.Equal(members.Count, events.Count);
        Assert.Contains(events.GroupBy(row => row.OutboxId), group => group.Count() > 1);
    }

    /// <summary>A new consultation of the trajectory and that many residents of its buurt.</summary>
    private async Task<(Guid ConsultationId, List<Guid> Members)> OpenConsultationWithMembersAsync(int count)
    {
        var consultationId = (await _client.OpenConsultationAsync(_trajectory)).Id();
        var members = new List<Guid>();
        for (var index = 0; index < count; index++)
        {
            members.Add(await containers.NewResidentOfAsync(consultationId));
        }

        return (consultationId, members);
    }

    /// <summary>
    /// Sends a reaction of each resident while the reactions table is locked: each writer's first reaction waits at the
    /// lock and the others queue up behind it, so that they go in together once the lock is gone.
    /// </summary>
    private async Task<HttpResponseMessage[]> SendTogetherAsync(Guid consultationId, IEnumerable<Guid> residents, string text)
    {
        await using var blocker = new NpgsqlConnection(Database);
        await blocker.OpenAsync(Cancel);
        await using var locked = await blocker.BeginTransactionAsync(Cancel);
        await blocker.ExecuteAsync("LOCK TABLE reactions IN SHARE ROW EXCLUSIVE MODE", transaction: locked);
        var requests = residents
            .Select(residentId => _client.PostAsJsonAsync($"/v1/consultations/{consultationId}/reactions", new { residentId, text }, Cancel))
            .ToList();
        await Eventually.MatchesAsync(
            () => blocker.ExecuteScalarAsync<int>(
                "SELECT count(*)::int FROM pg_locks WHERE NOT granted AND relation = 'reactions'::regclass"),
            waiting => waiting > 0,
            "a reaction's statement to wait for the lock");
        // No signal tells when the other requests have reached the writer's queue; they are in memory, a second is ample.
        await Task.Delay(TimeSpan.FromSeconds(1), Cancel);
        await locked.RollbackAsync(Cancel);
        return await Task.WhenAll(requests);
    }

    /// <summary>Every reaction an outbox event carries: a ReactionSubmitted's own, each of a ReactionsSubmitted's.</summary>
    private const string EventsSql = """
        SELECT o.id AS outbox_id, o.payload AS reaction FROM outbox_messages o
        WHERE o.message_type LIKE 'Participatie.Contracts.ReactionSubmitted,%'
        UNION ALL
        SELECT o.id, element FROM outbox_messages o, jsonb_array_elements(o.payload->'reactions') AS element
        WHERE o.message_type LIKE 'Participatie.Contracts.ReactionsSubmitted,%'
        """;

    /// <summary>The writer's batch sizes, from this test class's service only (its own meter factory).</summary>
    private MeterListener ListenToBatchSizes(ConcurrentBag<int> sizes)
    {
        var meters = service.Services.GetRequiredService<IMeterFactory>();
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Scope == meters && instrument.Name == "participatie.reactions.write_batch_size")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<int>((_, size, _, _) => sizes.Add(size));
        listener.Start();
        return listener;
    }
}
