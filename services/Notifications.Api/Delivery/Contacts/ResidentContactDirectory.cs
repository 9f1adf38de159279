using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.Options;

namespace Participatie.Notifications.Delivery.Contacts;

/// <summary>
/// Asks the residents service's internal endpoint for the one address a delivery needs, with this service's own
/// token. The answer lives in memory for the send only; nothing is written anywhere. 404 (an unknown resident, or no
/// usable address for the channel) is null; any other failure throws, and the worker tries again later.
/// </summary>
/// <remarks>
/// Takes its HttpClient from the factory for each call rather than holding a typed client, so that it can be a
/// singleton in a long-running worker and still follow the factory's handler rotation.
/// </remarks>
public sealed class ResidentContactDirectory(IHttpClientFactory httpClientFactory, ServiceAccessTokens tokens) : IContactDirectory
{
    /// <summary>The named HttpClient for the residents service (base address from <see cref="ResidentContactsOptions"/>).</summary>
    public const string HttpClientName = "residents-contacts";

    public Task<ContactDetails?> FindAsync(Guid residentId, string channel, Guid notificationId, CancellationToken cancellationToken) =>
        FindAsync(residentId, channel, notificationId, confirmationId: null, cancellationToken);

    public async Task<ContactDetails?> FindAsync(
        Guid residentId, string channel, Guid notificationId, Guid? confirmationId, CancellationToken cancellationToken)
    {
        var confirmation = confirmationId is { } id ? $"&confirmationId={id}" : string.Empty;
        var path = new Uri(
            $"internal/v1/residents/{residentId}/contact-details/{Uri.EscapeDataString(channel)}?notificationId={notificationId}{confirmation}",
            UriKind.Relative);
        var client = httpClientFactory.CreateClient(HttpClientName);

        var token = await tokens.GetAsync(cancellationToken);
        using var response = await SendAsync(client, path, token, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            // The token may have been refused for a reason a fresh one cures (a rotated key); once, not in a loop.
            tokens.Invalidate(token);
            using var retried = await SendAsync(client, path, await tokens.GetAsync(cancellationToken), cancellationToken);
            return await ReadAsync(retried, residentId, channel, cancellationToken);
        }

        return await ReadAsync(response, residentId, channel, cancellationToken);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, Uri path, string token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request, cancellationToken);
    }

    private static async Task<ContactDetails?> ReadAsync(
        HttpResponseMessage response, Guid residentId, string channel, CancellationToken cancellationToken)
    {
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(
                $"The residents service answered {(int)response.StatusCode} for the {channel} address of resident {residentId}: "
                + await response.Content.ReadAsStringAsync(cancellationToken),
                inner: null,
                response.StatusCode);
        }

        var answer = await response.Content.ReadFromJsonAsync<ContactDetailsAnswer>(cancellationToken)
            ?? throw new HttpRequestException($"The residents service answered without a body for resident {residentId}.");
        var details = new ContactDetails
        {
            EmailAddress = answer.EmailAddress,
            PhoneNumber = answer.PhoneNumber,
            PostalAddress = answer.PostalAddress,
        };
        return details is { EmailAddress: null, PhoneNumber: null, PostalAddress: null }
            ? throw new HttpRequestException($"The residents service answered without a {channel} address for resident {residentId}.")
            : details;
    }

    /// <summary>The endpoint's answer; its language is the resident's, which this service already knows.</summary>
    private sealed record ContactDetailsAnswer(string? EmailAddress, string? PhoneNumber, PostalAddress? PostalAddress);
}
