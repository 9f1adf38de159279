using System.Diagnostics;
using System.Net.Http.Headers;

namespace Participatie.Benchmark.Load;

/// <summary>
/// One HTTP/1.1 connection pool to one address, as a partner system's client would keep it, sending one kind of
/// request and telling whether it succeeded.
/// </summary>
internal sealed class LoadClient : IDisposable
{
    private readonly HttpClient client;

    public LoadClient(Uri baseAddress, int connections, string accessToken)
    {
        client = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = false,
            UseCookies = false,
        })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
    }

    /// <summary>Sends the request and records it in the tally when <paramref name="record"/> says it counts.</summary>
    public async Task SendAsync(Func<HttpRequestMessage> newRequest, LoadTally tally, long startTimestamp, Func<bool> record, CancellationToken cancellationToken)
    {
        try
        {
            using var request = newRequest();
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            var endTimestamp = Stopwatch.GetTimestamp();
            if (!record())
            {
                return;
            }

            if (response.IsSuccessStatusCode)
            {
                tally.Succeed(startTimestamp, endTimestamp);
            }
            else
            {
                tally.Fail(response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
            }
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            if (record())
            {
                tally.Fail(null, exception.Message);
            }
        }
    }

    public void Dispose() => client.Dispose();
}
