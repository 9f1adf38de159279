using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.Options;
using Participatie.Contracts;

namespace Participatie.Notifications.Delivery.Sms;

/// <summary>
/// Sends an SMS through a provider's REST API (the shape most providers share): the title and the body, fitted into two
/// segments, to the number the residents service disclosed for this one send; the notification id goes along as the
/// reference and the provider's message id comes back as the provider reference its delivery report will name.
/// </summary>
public sealed partial class HttpSmsSender(HttpClient http, IOptions<SmsOptions> options, ILogger<HttpSmsSender> logger) : IChannelSender
{
    public string Channel => Channels.Sms;

    public async Task<SendOutcome> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var settings = options.Value;
        if (settings.ProviderUrl is null)
        {
            LogNoProvider(logger);
            return SendOutcome.TryAgain("No SMS provider is configured (Sms:ProviderUrl).");
        }

        if (string.IsNullOrWhiteSpace(message.Contact.PhoneNumber))
        {
            return SendOutcome.Undeliverable("The resident has no phone number for SMS.");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(settings.ProviderUrl, "v1/messages"))
        {
            Content = JsonContent.Create(new ProviderRequest(
                SmsSegments.International(message.Contact.PhoneNumber),
                SmsSegments.Fit(message.Title, message.Body),
                message.NotificationId.ToString(),
                settings.StatusCallbackUrl?.ToString())),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.ApiKey);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                var accepted = await response.Content.ReadFromJsonAsync<ProviderResponse>(cancellationToken);
                return string.IsNullOrEmpty(accepted?.Id)
                    ? SendOutcome.TryAgain("The SMS provider took the message but named no id.")
                    : SendOutcome.Handed(accepted.Id);
            }

            var detail = $"The SMS provider answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}";
            return IsAboutThisMessage(response.StatusCode) ? SendOutcome.Undeliverable(detail) : SendOutcome.TryAgain(detail);
        }
        catch (HttpRequestException exception)
        {
            return SendOutcome.TryAgain($"The SMS provider could not be reached: {exception.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return SendOutcome.TryAgain($"The SMS provider did not answer within {settings.Timeout}.");
        }
    }

    /// <summary>
    /// A 4xx says this message will never go (a bad number, a text refused), so the resident is reached another way;
    /// except the answers that are about the platform or the moment, not the message: a wrong or missing key (401, 403),
    /// a timeout (408) and a rate limit (429) are tried again, lest a configuration error send every resident a letter.
    /// </summary>
    private static bool IsAboutThisMessage(HttpStatusCode status) =>
        (int)status is >= 400 and < 500
        && status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests);

    private sealed record ProviderRequest(string To, string Body, string Reference, string? StatusCallbackUrl);

    private sealed record ProviderResponse(string? Id, int Segments);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An SMS is due but no SMS provider is configured (Sms:ProviderUrl); it waits")]
    private static partial void LogNoProvider(ILogger logger);
}
