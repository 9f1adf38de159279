// Compiled into the AppHost and the test support project: each service's own RabbitMQ user and what it may touch.
// Made through the management HTTP API, which the official rabbitmq:*-management image and the image built here
// from Debian's packages both serve, so the same works wherever the broker comes from.
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;

namespace Participatie.Eng;

internal static class BrokerUsers
{
    /// <summary>The broker user a service connects as.</summary>
    public static string UserName(string service) => $"{service}-service";

    /// <summary>
    /// What a service may configure, write and read (RabbitMQ permission regexes): its own queues and endpoint
    /// exchanges (MassTransit names them after the service: <c>notifications-reaction-submitted</c>, with
    /// <c>_error</c> and <c>_skipped</c> beside them), the message-type exchanges of the contracts
    /// (<c>Participatie.Contracts:ReactionSubmitted</c>) it publishes to or binds its queues to, and MassTransit's
    /// fault exchanges. Never another service's queue: reading one is refused.
    /// </summary>
    public static string Permission(string service) =>
        $@"^({System.Text.RegularExpressions.Regex.Escape(service)}-.*|Participatie\.Contracts:.*|MassTransit:Fault.*)$";

    /// <summary>Creates the user (or sets its password again) and its permissions on the virtual host.</summary>
    public static async Task EnsureAsync(
        Uri management, string adminUser, string adminPassword, string virtualHost, string service, string password, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = management, Timeout = TimeSpan.FromSeconds(10) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{adminUser}:{adminPassword}")));
        var user = Uri.EscapeDataString(UserName(service));
        var vhost = Uri.EscapeDataString(virtualHost);
        using (var response = await client.PutAsJsonAsync($"api/users/{user}", new { password, tags = "" }, cancellationToken))
        {
            response.EnsureSuccessStatusCode();
        }

        var permission = Permission(service);
        using (var response = await client.PutAsJsonAsync(
            $"api/permissions/{vhost}/{user}", new { configure = permission, write = permission, read = permission }, cancellationToken))
        {
            response.EnsureSuccessStatusCode();
        }
    }
}
