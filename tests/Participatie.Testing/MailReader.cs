using System.Net.Http.Json;
using System.Text.Json;
using MimeKit;

namespace Participatie.Testing;

/// <summary>
/// Reads the mails an smtp4dev server holds through its REST API (<c>/api/Messages</c>): the test fixture's own
/// server (<see cref="MailServer.Reader"/>), or the AppHost's <c>mail</c> resource in an end-to-end test
/// (<c>new MailReader(app.CreateHttpClient("mail"))</c>).
/// </summary>
public sealed class MailReader(HttpClient api)
{
    public const string DefaultMailbox = "Default";

    /// <summary>
    /// Waits until at least <paramref name="count"/> mails to <paramref name="recipient"/> are stored (smtp4dev stores a
    /// mail a moment after it accepted it) and returns all of them, so that a test sees one too many as well.
    /// </summary>
    public async Task<IReadOnlyList<ReceivedMail>> WaitForMailsToAsync(string recipient, int count = 1)
    {
        // Counting the summaries is cheap; each mail is downloaded once, after they are all there.
        await Eventually.MatchesAsync(
            async () => (await SummariesAsync(DefaultMailbox)).Count(summary => IsTo(summary, recipient)),
            stored => stored >= count,
            $"{count} mail(s) to {recipient} at the mail server");
        return await MailsToAsync(recipient);
    }

    /// <summary>Every mail delivered to <paramref name="recipient"/> (envelope recipient) so far, oldest first.</summary>
    public async Task<IReadOnlyList<ReceivedMail>> MailsToAsync(string recipient, string mailbox = DefaultMailbox)
    {
        var mails = new List<ReceivedMail>();
        foreach (var summary in (await SummariesAsync(mailbox)).Where(summary => IsTo(summary, recipient)))
        {
            mails.Add(await ReadAsync(summary));
        }

        return mails;
    }

    private static IReadOnlyList<string> Recipients(JsonElement summary) =>
        [.. summary.GetProperty("to").EnumerateArray().Select(address => address.GetString() ?? string.Empty)];

    private static bool IsTo(JsonElement summary, string recipient) => Recipients(summary).Contains(recipient, StringComparer.OrdinalIgnoreCase);

    /// <summary>How many mails the mailbox holds (the bounce mailbox: reports not yet processed).</summary>
    public async Task<int> CountAsync(string mailbox) => (await SummariesAsync(mailbox)).Count;

    private async Task<List<JsonElement>> SummariesAsync(string mailbox)
    {
        var summaries = new List<JsonElement>();
        for (var page = 1; ; page++)
        {
            var answer = await api.GetFromJsonAsync<JsonElement>(
                $"api/Messages?mailboxName={Uri.EscapeDataString(mailbox)}&page={page}&pageSize=500&sortColumn=receivedDate&sortIsDescending=false");
            summaries.AddRange(answer.GetProperty("results").EnumerateArray());
            if (page >= answer.GetProperty("pageCount").GetInt32())
            {
                return summaries;
            }
        }
    }

    private async Task<ReceivedMail> ReadAsync(JsonElement summary)
    {
        var id = summary.GetProperty("id").GetGuid();
        await using var raw = await api.GetStreamAsync($"api/Messages/{id}/raw");
        var message = await MimeMessage.LoadAsync(raw);
        // smtp4dev's "from" is the envelope sender (MAIL FROM), which need not be the From header.
        return new ReceivedMail(id, summary.GetProperty("from").GetString() ?? string.Empty, Recipients(summary), message);
    }
}

/// <summary>A mail as the server received it: envelope sender and recipients, and the message itself.</summary>
public sealed record ReceivedMail(Guid Id, string EnvelopeSender, IReadOnlyList<string> EnvelopeRecipients, MimeMessage Message);
