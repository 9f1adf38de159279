using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Dapper;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Participatie.Contracts;
using Participatie.Testing;
using static Participatie.Consultations.FunctionalTests.Requests;

namespace Participatie.Consultations.FunctionalTests;

/// <summary>
/// The consultations service decides access from its own projection of the trajectories, fed by partner coordination's
/// TrajectoryChanged events. A projection that is behind may show a removed member for as long as the event takes to
/// arrive, and never longer: a late or redelivered older snapshot cannot give access back.
/// </summary>
public sealed class TrajectoryProjectionTests(ConsultationsService service, PlatformContainers containers)
    : IClassFixture<ConsultationsService>, IAsyncLifetime
{
    private readonly HttpClient _client = service.CreateClient();
    private TestPartner _lead = null!;
    private TestTrajectory _trajectory = null!;

    private TokenServer Tokens => containers.TokenServer;

    public async ValueTask InitializeAsync()
    {
        _lead = await Tokens.RegisterPartnerAsync("housing-corporation");
        _lead.Authorize(_client);
        _trajectory = await Tokens.StartTrajectoryAsync(_lead);
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task A_removed_member_loses_access_when_the_removal_arrives_and_an_older_snapshot_arriving_later_does_not_give_it_back()
    {
        var consultation = await _client.OpenConsultationAsync(_trajectory);
        var member = await Tokens.RegisterPartnerAsync("social-institution");
        using var memberClient = member.Authorize(service.CreateClient());
        await Tokens.SetMemberAsync(_lead, _trajectory.Id, member.PartnerId, TrajectoryRoles.Contributor);
        await memberClient.SubmitReactionAsync(containers, consultation.Id());
        var whileMember = await TokenServerSnapshotAsync();

        // Removed in partner coordination: measure how long the consultations service still lets the partner in.
        var removedAt = Stopwatch.StartNew();
        using (var lead = _lead.Authorize(new HttpClient(Tokens.CreateHandler()) { BaseAddress = new Uri("http://localhost/") }))
        {
            using var removal = await lead.DeleteAsync(new Uri($"/v1/trajectories/{_trajectory.Id}/members/{member.PartnerId}", UriKind.Relative), Cancel);
            Assert.Equal(HttpStatusCode.NoContent, removal.StatusCode);
        }

        await Eventually.MatchesAsync(
            async () => (await memberClient.GetAsync(new Uri($"/v1/consultations/{consultation.Id()}", UriKind.Relative), Cancel)).StatusCode,
            status => status == HttpStatusCode.NotFound,
            "the removed member to be refused the consultation");
        TestContext.Current.SendDiagnosticMessage($"A removed member could still read for at most {removedAt.ElapsedMilliseconds} ms.");

        // The snapshot from when it was a member, delivered again (late, or redelivered): it is older, so it changes nothing.
        var stale = whileMember with { Change = TrajectoryChanges.MemberAdded };
        var messageId = NewId.NextGuid();
        await service.Services.GetRequiredService<IBus>().Publish(stale, context => context.MessageId = messageId, Cancel);
        await Eventually.MatchesAsync(
            async () =>
            {
                await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
                return await connection.ExecuteScalarAsync<bool>(
                    "SELECT EXISTS (SELECT 1 FROM inbox_messages WHERE message_id = @MessageId)", new { MessageId = messageId });
            },
            handled => handled,
            "the consultations service to have handled the stale snapshot");

        await (await memberClient.GetAsync(new Uri($"/v1/consultations/{consultation.Id()}", UriKind.Relative), Cancel))
            .AssertProblemAsync(HttpStatusCode.NotFound);
        var entered = await memberClient.PostAsJsonAsync(
            $"/v1/consultations/{consultation.Id()}/reactions", new { residentId = await containers.NewResidentOfAsync(consultation.Id()), text = "Na mijn vertrek." }, Cancel);
        await entered.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_lowered_role_takes_effect_in_the_consultations_service()
    {
        var consultation = await _client.OpenConsultationAsync(_trajectory);
        var member = await Tokens.RegisterPartnerAsync("municipality");
        using var memberClient = member.Authorize(service.CreateClient());
        await Tokens.SetMemberAsync(_lead, _trajectory.Id, member.PartnerId, TrajectoryRoles.Contributor);
        await memberClient.SubmitReactionAsync(containers, consultation.Id());

        await Tokens.SetMemberAsync(_lead, _trajectory.Id, member.PartnerId, TrajectoryRoles.Observer);
        var entered = await memberClient.PostAsJsonAsync(
            $"/v1/consultations/{consultation.Id()}/reactions", new { residentId = await containers.NewResidentOfAsync(consultation.Id()), text = "Als waarnemer." }, Cancel);
        await entered.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await memberClient.GetAsync(new Uri($"/v1/consultations/{consultation.Id()}", UriKind.Relative), Cancel)).StatusCode);
    }

    /// <summary>The trajectory as partner coordination holds it now, as the snapshot it would publish.</summary>
    private async Task<TrajectoryChanged> TokenServerSnapshotAsync()
    {
        var connectionString = new NpgsqlConnectionStringBuilder(containers.Postgres.GetConnectionString()) { Database = "token_server" }.ConnectionString;
        await using var connection = new NpgsqlConnection(connectionString);
        var trajectory = await connection.QuerySingleAsync<(string Name, string[] BuurtCodes, Guid LeadPartnerId, long Version)>(
            "SELECT name, buurt_codes, lead_partner_id, version FROM trajectories WHERE id = @Id", new { Id = _trajectory.Id });
        var members = (await connection.QueryAsync<(Guid PartnerId, string Role)>(
            "SELECT partner_id, role FROM trajectory_members WHERE trajectory_id = @Id", new { Id = _trajectory.Id }))
            .Select(member => new TrajectoryMember(member.PartnerId, member.Role))
            .ToList();
        return new TrajectoryChanged(
            _trajectory.Id, TrajectoryChanges.MemberAdded, trajectory.Version, trajectory.Name, trajectory.BuurtCodes,
            trajectory.LeadPartnerId, members, DateTimeOffset.UtcNow);
    }
}
