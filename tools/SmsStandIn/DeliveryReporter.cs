using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Participatie.SmsStandIn;

/// <summary>
/// Posts each message's delivery report to its callback URL shortly after it was taken, signed like a real
/// provider's webhook: <c>X-Signature: sha256=&lt;hex of HMAC-SHA256 of the body under the shared secret&gt;</c>.
/// A report the callback does not take (no answer, or not 2xx) is posted again a few times with growing pauses.
/// </summary>
public sealed partial class DeliveryReporter(
    MessageLog log,
    IHttpClientFactory httpClients,
    IOptions<StandInOptions> options,
    TimeProvider clock,
    ILogger<DeliveryReporter> logger) : BackgroundService
{
    public const string SignatureHeader = "X-Signature";
    public const string HttpClientName = "delivery-reports";

    private readonly Channel<(string MessageId, int Attempt, DateTimeOffset DueAt)> _queue =
        Channel.CreateUnbounded<(string, int, DateTimeOffset)>();

    /// <summary>The signature of a report body as the header carries it.</summary>
    public static string Sign(ReadOnlySpan<byte> body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public void Schedule(RecordedMessage message) =>
        _queue.Writer.TryWrite((message.Id, 1, clock.GetUtcNow() + options.Value.ReportDelay));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var (messageId, attempt, dueAt) in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            // Reports are due in the order messages came, so waiting for this one never holds back an earlier one.
            var wait = dueAt - clock.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                _ = ReportLaterAsync(messageId, attempt, wait, stoppingToken);
                continue;
            }

            await ReportAsync(messageId, attempt, stoppingToken);
        }
    }

    private async Task ReportLaterAsync(string messageId, int attempt, TimeSpan wait, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(wait, clock, stoppingToken);
            await ReportAsync(messageId, attempt, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: a stand-in forgets what it had not reported yet.
        }
    }

    private async Task ReportAsync(string messageId, int attempt, CancellationToken stoppingToken)
    {
        if (log.Find(messageId) is not { } message)
        {
            return;
        }

        var fails = TestNumbers.Fails(message.To);
        message.Status = fails ? "failed" : "delivered";
        message.Error = fails ? $"The number cannot be reached (a stand-in test number, {TestNumbers.FailingRange})." : null;
        if (message.StatusCallbackUrl is null)
        {
            message.ReportStatus = "not-requested";
            return;
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(
            new DeliveryReportBody(message.Id, message.Reference, message.Status, message.Error),
            ReportJson.Options);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, message.StatusCallbackUrl)
            {
                Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") { CharSet = "utf-8" } } },
            };
            request.Headers.Add(SignatureHeader, Sign(body, options.Value.ReportSecret));
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, stoppingToken);
            message.ReportStatus = $"posted ({(int)response.StatusCode})";
            if (response.IsSuccessStatusCode)
            {
                return;
            }
        }
        catch (HttpRequestException exception)
        {
            message.ReportStatus = $"not taken ({exception.Message})";
        }
        catch (TaskCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            message.ReportStatus = "not taken (timeout)";
        }

        if (attempt >= options.Value.ReportAttempts)
        {
            LogGivenUp(logger, message.Id, attempt);
            message.ReportStatus += ", given up";
            return;
        }

        _queue.Writer.TryWrite((message.Id, attempt + 1, clock.GetUtcNow() + TimeSpan.FromSeconds(Math.Pow(2, attempt))));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The delivery report of {MessageId} was not taken after {Attempts} attempts")]
    private static partial void LogGivenUp(ILogger logger, string messageId, int attempts);
}

internal static class ReportJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };
}
