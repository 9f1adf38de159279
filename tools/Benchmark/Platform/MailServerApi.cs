using System.Net.Http.Json;
using System.Text.Json;

namespace Participatie.Benchmark.Platform;

/// <summary>What the local mail server (smtp4dev) holds, read through its REST API as tests/Participatie.Testing/MailReader does.</summary>
internal sealed class MailServerApi(Uri webPage) : IDisposable
{
    private readonly HttpClient client = new(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = webPage, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>How many mails the default mailbox holds now, and the envelope recipients of the newest.</summary>
    public async Task<(int Stored, IReadOnlyList<string> NewestRecipients)> NewestAsync(CancellationToken cancellationToken)
    {
        var page = await client.GetFromJsonAsync<JsonElement>(
            "api/Messages?mailboxName=Default&page=1&pageSize=1&sortColumn=receivedDate&sortIsDescending=true", cancellationToken);
        var newest = page.GetProperty("results").EnumerateArray().Select(summary =>
            (IReadOnlyList<string>)[.. summary.GetProperty("to").EnumerateArray().Select(address => address.GetString() ?? "")]).FirstOrDefault() ?? [];
        return (page.GetProperty("rowCount").GetInt32(), newest);
    }

    public void Dispose() => client.Dispose();
}
