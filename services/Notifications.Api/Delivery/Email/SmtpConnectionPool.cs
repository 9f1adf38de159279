using System.Collections.Concurrent;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;

namespace Participatie.Notifications.Delivery.Email;

/// <summary>
/// A few SMTP sessions that stay open and carry message after message: a session costs a TCP connect, the greeting,
/// EHLO and perhaps TLS and AUTH, which is many times the cost of one message on the same session. At most
/// <see cref="EmailOptions.MaxConnections"/> are open at once, so a buurt of 100,000 residents never opens 100,000.
/// A session that failed is closed and never handed out again; one that sat idle too long is closed too.
/// </summary>
public sealed class SmtpConnectionPool : IAsyncDisposable
{
    private readonly EmailOptions _options;
    private readonly TimeProvider _clock;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentStack<IdleSession> _idle = new();
    private long _sessionsOpened;
    private bool _disposed;

    public SmtpConnectionPool(IOptions<EmailOptions> options, TimeProvider clock)
    {
        _options = options.Value;
        _clock = clock;
        _slots = new SemaphoreSlim(_options.MaxConnections, _options.MaxConnections);
    }

    /// <summary>SMTP sessions opened so far; for tests and diagnostics.</summary>
    public long SessionsOpened => Interlocked.Read(ref _sessionsOpened);

    /// <summary>
    /// Runs <paramref name="use"/> on a connected session. The session goes back to the pool when <paramref name="use"/>
    /// returns, and is closed when it throws (its state is then unknown).
    /// </summary>
    public async Task<T> UseAsync<T>(Func<SmtpClient, CancellationToken, Task<T>> use, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _slots.WaitAsync(cancellationToken);
        SmtpClient? client = null;
        try
        {
            var idle = await TakeIdleAsync();
            client = idle?.Client ?? await ConnectAsync(cancellationToken);
            var result = await use(client, cancellationToken);
            var messages = (idle?.Messages ?? 0) + 1;
            if (messages < _options.MaxMessagesPerSession)
            {
                _idle.Push(new IdleSession(client, _clock.GetTimestamp(), messages));
                client = null;
            }

            // Else the session is closed below: a server (smtp4dev among them) may keep what a session carried until
            // it ends, so a session that never ends grows it without bound.
            return result;
        }
        finally
        {
            if (client is not null)
            {
                await CloseAsync(client);
            }

            _slots.Release();
        }
    }

    private async Task<IdleSession?> TakeIdleAsync()
    {
        // Newest first: the most recently used session is the least likely to have been dropped by the server.
        while (_idle.TryPop(out var idle))
        {
            if (idle.Client.IsConnected && _clock.GetElapsedTime(idle.Since) < _options.IdleTimeout)
            {
                return idle;
            }

            await CloseAsync(idle.Client);
        }

        return null;
    }

    private async Task<SmtpClient> ConnectAsync(CancellationToken cancellationToken)
    {
        var client = new SmtpClient { Timeout = (int)_options.Timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(_options.SmtpHost, _options.SmtpPort, _options.SmtpSecurity, cancellationToken);
            if (!string.IsNullOrEmpty(_options.SmtpUserName))
            {
                await client.AuthenticateAsync(_options.SmtpUserName, _options.SmtpPassword ?? string.Empty, cancellationToken);
            }

            Interlocked.Increment(ref _sessionsOpened);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private static async Task CloseAsync(SmtpClient client)
    {
        try
        {
            if (client.IsConnected)
            {
                // QUIT politely but briefly: the session is being dropped anyway.
                using var quitTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await client.DisconnectAsync(quit: true, quitTimeout.Token);
            }
        }
        catch (Exception)
        {
            // The server went away first: nothing left to close.
        }
        finally
        {
            client.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        while (_idle.TryPop(out var idle))
        {
            await CloseAsync(idle.Client);
        }
    }

    private sealed record IdleSession(SmtpClient Client, long Since, int Messages);
}
