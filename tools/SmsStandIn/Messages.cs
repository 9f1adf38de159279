using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Participatie.SmsStandIn;

/// <summary>What a client posts, in the shape most SMS providers' REST APIs take.</summary>
public sealed record SendRequest(string? To, string? Body, string? Reference, string? StatusCallbackUrl);

/// <summary>The answer to a message taken: the provider's id, which its delivery report names again, and the segments it counted.</summary>
public sealed record SendResponse(string Id, int Segments);

/// <summary>A delivery report as the stand-in posts it to the message's callback URL.</summary>
public sealed record DeliveryReportBody(string Id, string? Reference, string Status, string? Error);

/// <summary>One message as the stand-in recorded it, for the demo and for tests to read back.</summary>
public sealed record RecordedMessage(
    string Id,
    string To,
    string Body,
    string? Reference,
    string? StatusCallbackUrl,
    int Segments,
    string Encoding,
    DateTimeOffset ReceivedAt)
{
    /// <summary>What the network made of it: queued until the report is due, then delivered or failed.</summary>
    public string Status { get; set; } = "queued";

    public string? Error { get; set; }

    /// <summary>What became of the delivery report: not-requested, pending, posted (with the callback's status), or given-up.</summary>
    public string ReportStatus { get; set; } = "pending";
}

/// <summary>
/// The numbers that fail, as real providers document test numbers: +31 97 0000 0000 to +31 97 0000 9999 (the Dutch
/// 097 range is for machine-to-machine use, so no resident has one). The message is taken (201) and its delivery
/// report says failed.
/// </summary>
public static partial class TestNumbers
{
    public const string FailingRange = "+31 97 0000 xxxx";

    public static bool Fails(string number) => FailingNumber().IsMatch(number);

    [GeneratedRegex(@"^\+31970000[0-9]{4}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex FailingNumber();

    /// <summary>An international number (E.164): a plus, a country code and up to 15 digits in all.</summary>
    [GeneratedRegex(@"^\+[1-9][0-9]{7,14}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    public static partial Regex InternationalNumber();
}

/// <summary>Every message taken since the stand-in started, in memory only: it is a stand-in and forgets on restart.</summary>
public sealed class MessageLog
{
    private readonly ConcurrentDictionary<string, RecordedMessage> _messages = new(StringComparer.Ordinal);

    public void Add(RecordedMessage message) => _messages[message.Id] = message;

    public RecordedMessage? Find(string id) => _messages.GetValueOrDefault(id);

    public IReadOnlyList<RecordedMessage> All() => [.. _messages.Values.OrderBy(message => message.ReceivedAt).ThenBy(message => message.Id, StringComparer.Ordinal)];
}
