using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.Contracts;

namespace Participatie.PartnerCoordination.Trajectories;

/// <summary>
/// Who may read and add what is in a trajectory (tasks, agreements, the agenda, the communication plan, interests):
/// every partner in it reads, contributors add, and only the owning partner changes its own items. To partners
/// outside the trajectory it does not exist.
/// </summary>
public static class TrajectoryAccess
{
    /// <summary>The caller's role in the trajectory; null when it takes no part, or the trajectory does not exist.</summary>
    public static Task<string?> RoleAsync(UnitOfWork work, Guid trajectoryId, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        CallerRoleAsync(work, trajectoryId, user, forChange: false, cancellationToken);

    /// <summary>
    /// Whether the partner takes part in the trajectory. Its membership stays locked until the transaction ends, so
    /// that a partner is not removed while something is being assigned to it.
    /// </summary>
    public static async Task<bool> TakesPartAsync(UnitOfWork work, Guid trajectoryId, Guid partnerId, CancellationToken cancellationToken) =>
        await RoleOfAsync(work, trajectoryId, partnerId, forChange: true, cancellationToken) is not null;

    /// <summary>
    /// The first of the partners that takes no part in the trajectory, or null when all of them do. Their memberships
    /// stay locked until the transaction ends.
    /// </summary>
    public static async Task<Guid?> FirstOutsiderAsync(
        UnitOfWork work, Guid trajectoryId, IReadOnlyCollection<Guid> partnerIds, CancellationToken cancellationToken)
    {
        var members = (await work.Connection.QueryAsync<Guid>(new CommandDefinition(
            "SELECT partner_id FROM trajectory_members WHERE trajectory_id = @TrajectoryId AND partner_id = ANY(@PartnerIds) FOR SHARE",
            new { TrajectoryId = trajectoryId, PartnerIds = partnerIds.ToArray() }, work.Transaction, cancellationToken: cancellationToken))).ToHashSet();
        return partnerIds.Where(partnerId => !members.Contains(partnerId)).Select(partnerId => (Guid?)partnerId).FirstOrDefault();
    }

    /// <summary>Null when the caller may read the trajectory's items (any role, or the platform operator); otherwise 404.</summary>
    public static async Task<ProblemHttpResult?> CheckReaderAsync(
        UnitOfWork work, Guid trajectoryId, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (user.IsPlatformOperator())
        {
            // As with the trajectory itself, the operator reads what is in it, but owns and adds nothing.
            var exists = await work.Connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT EXISTS (SELECT 1 FROM trajectories WHERE id = @TrajectoryId)",
                new { TrajectoryId = trajectoryId }, work.Transaction, cancellationToken: cancellationToken));
            return exists ? null : Problems.NotFound("trajectory", trajectoryId);
        }

        return TrajectoryRoles.CanRead(await RoleAsync(work, trajectoryId, user, cancellationToken))
            ? null
            : Problems.NotFound("trajectory", trajectoryId);
    }

    /// <summary>Null when the caller may add items to the trajectory (lead, co-owner, contributor); otherwise 404 or 403.</summary>
    public static async Task<ProblemHttpResult?> CheckContributorAsync(
        UnitOfWork work, Guid trajectoryId, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (user.IsPlatformOperator())
        {
            return await CheckReaderAsync(work, trajectoryId, user, cancellationToken)
                ?? Problems.Forbidden("Items in a trajectory are added by its partners, not by the platform operator.");
        }

        var role = await CallerRoleAsync(work, trajectoryId, user, forChange: true, cancellationToken);
        if (role is null)
        {
            // Outsiders do not learn that the trajectory exists.
            return Problems.NotFound("trajectory", trajectoryId);
        }

        return TrajectoryRoles.CanContribute(role)
            ? null
            : Problems.Forbidden($"A partner with role '{role}' reads this trajectory but adds nothing to it.");
    }

    /// <summary>Null when the caller is the partner that owns the item; otherwise 403.</summary>
    public static ProblemHttpResult? CheckOwner(ClaimsPrincipal user, Guid ownerPartnerId, string item) =>
        user.GetPartnerId() == ownerPartnerId
            ? null
            : Problems.Forbidden($"Only the partner that recorded this {item} changes it.");

    private static async Task<string?> CallerRoleAsync(
        UnitOfWork work, Guid trajectoryId, ClaimsPrincipal user, bool forChange, CancellationToken cancellationToken) =>
        user.GetPartnerId() is { } partnerId ? await RoleOfAsync(work, trajectoryId, partnerId, forChange, cancellationToken) : null;

    /// <summary>
    /// A partner's role. For a change, FOR SHARE keeps the membership (role, removal) as read until the transaction
    /// ends; a read takes no lock.
    /// </summary>
    private static Task<string?> RoleOfAsync(UnitOfWork work, Guid trajectoryId, Guid partnerId, bool forChange, CancellationToken cancellationToken) =>
        work.Connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            $"SELECT role FROM trajectory_members WHERE trajectory_id = @TrajectoryId AND partner_id = @PartnerId {(forChange ? "FOR SHARE" : string.Empty)}",
            new { TrajectoryId = trajectoryId, PartnerId = partnerId }, work.Transaction, cancellationToken: cancellationToken));
}
