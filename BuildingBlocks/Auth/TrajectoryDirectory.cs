using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Participatie.BuildingBlocks.Auth;

/// <summary>A trajectory as the calling partner sees it, with its role in it.</summary>
public sealed record TrajectoryView(
    Guid Id, string Name, IReadOnlyList<string> BuurtCodes, Guid LeadPartnerId, string? MyRole, IReadOnlyList<TrajectoryMemberView> Members);

public sealed record TrajectoryMemberView(Guid PartnerId, string Role);

/// <summary>
/// Asks partner coordination, which owns trajectories and their members, what the calling partner may see and do.
/// The caller's own token is passed on, so partner coordination decides with the caller's identity, and a
/// trajectory the caller does not take part in simply is not found.
/// </summary>
public sealed class TrajectoryDirectory(HttpClient httpClient, IHttpContextAccessor httpContextAccessor)
{
    public const string BaseAddress = "http://partner-coordination";

    /// <summary>The trajectory with the caller's role, or null when the caller does not take part in it.</summary>
    public async Task<TrajectoryView?> FindAsync(Guid trajectoryId, CancellationToken cancellationToken)
    {
        using var request = Authorized(HttpMethod.Get, $"/v1/trajectories/{trajectoryId}");
        using var response = await httpClient.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<TrajectoryView>(cancellationToken);
    }

    /// <summary>Every trajectory the caller takes part in.</summary>
    public async Task<IReadOnlyList<TrajectoryView>> MineAsync(CancellationToken cancellationToken)
    {
        var trajectories = new List<TrajectoryView>();
        for (var page = 1; ; page++)
        {
            using var request = Authorized(HttpMethod.Get, $"/v1/trajectories?page={page}&pageSize=100");
            using var response = await httpClient.SendAsync(request, cancellationToken);
            response.EnsureSuccessStatusCode();
            var result = await response.Content.ReadFromJsonAsync<TrajectoryPage>(cancellationToken)
                ?? throw new InvalidOperationException("Partner coordination answered an empty page.");
            trajectories.AddRange(result.Items);
            if (trajectories.Count >= result.TotalCount || result.Items.Count == 0)
            {
                return trajectories;
            }
        }
    }

    private HttpRequestMessage Authorized(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        var authorization = httpContextAccessor.HttpContext?.Request.Headers.Authorization.ToString();
        if (!string.IsNullOrEmpty(authorization) && AuthenticationHeaderValue.TryParse(authorization, out var header))
        {
            request.Headers.Authorization = header;
        }

        return request;
    }

    private sealed record TrajectoryPage(IReadOnlyList<TrajectoryView> Items, long TotalCount);
}

public static class TrajectoryDirectoryExtensions
{
    public static IServiceCollection AddTrajectoryDirectory(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddHttpClient<TrajectoryDirectory>(client => client.BaseAddress = new Uri(TrajectoryDirectory.BaseAddress));
        return services;
    }
}
