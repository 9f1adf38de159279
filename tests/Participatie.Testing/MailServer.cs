using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using MailKit.Net.Smtp;
using MimeKit;
using MimeKit.Utils;

namespace Participatie.Testing;

/// <summary>
/// A real mail server for a test collection: smtp4dev from the repository's tool manifest (.config/dotnet-tools.json),
/// started as its own process on free loopback ports, with an in-memory database, and stopped at the end. Mail to a
/// bounce address (<c>bounces…@…</c>) lands in the mailbox <see cref="BounceMailbox"/>, readable over IMAP as
/// <see cref="BounceUser"/>; everything else in the default mailbox, read back through smtp4dev's REST API
/// (<c>/api/Messages</c>). Recipients at <see cref="RejectingDomain"/> are refused with 550, those at
/// <see cref="DeferringDomain"/> with 451, as a real server would refuse an unknown or a busy mailbox.
/// </summary>
public sealed class MailServer : IAsyncLifetime
{
    public const string BounceMailbox = "Bounces";
    public const string BounceUser = "bounces";
    public const string BouncePassword = "bounces-password";
    public const string RejectingDomain = "rejects.test";
    public const string DeferringDomain = "defers.test";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"smtp4dev-{Guid.NewGuid():N}");
    private readonly Queue<string> _output = new();
    private Process? _process;
    private HttpClient? _api;
    private MailReader? _reader;

    public string Host => "127.0.0.1";

    public int SmtpPort { get; } = FreeTcpPorts.Next();

    public int ImapPort { get; } = FreeTcpPorts.Next();

    public int WebPort { get; } = FreeTcpPorts.Next();

    /// <summary>The web page where a person reads the mails, and the REST API under /api.</summary>
    public Uri WebAddress => new($"http://{Host}:{WebPort}/");

    private HttpClient Api => _api ?? throw new InvalidOperationException("The mail server has not started.");

    /// <summary>Reads the mails back through smtp4dev's REST API.</summary>
    public MailReader Reader => _reader ?? throw new InvalidOperationException("The mail server has not started.");

    /// <summary>The settings the notifications service needs to send here and to read the bounces (Delivery:Email).</summary>
    public IReadOnlyDictionary<string, string?> EmailSettings() => new Dictionary<string, string?>
    {
        ["Delivery:Email:SmtpHost"] = Host,
        ["Delivery:Email:SmtpPort"] = SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Delivery:Email:SmtpSecurity"] = "None",
        ["Delivery:Email:Bounces:ImapHost"] = Host,
        ["Delivery:Email:Bounces:ImapPort"] = ImapPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Delivery:Email:Bounces:ImapSecurity"] = "None",
        ["Delivery:Email:Bounces:UserName"] = BounceUser,
        ["Delivery:Email:Bounces:Password"] = BouncePassword,
    };

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_dataDirectory);
        var start = new ProcessStartInfo("dotnet")
        {
            // The tool manifest is found from the working directory upwards.
            WorkingDirectory = RepositoryRoot(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in Arguments())
        {
            start.ArgumentList.Add(argument);
        }

        // smtp4dev keeps its settings under XDG_CONFIG_HOME: a directory of this run's own, deleted afterwards.
        start.Environment["XDG_CONFIG_HOME"] = _dataDirectory;
        start.Environment["ServerOptions__Users__0__Username"] = BounceUser;
        start.Environment["ServerOptions__Users__0__Password"] = BouncePassword;
        start.Environment["ServerOptions__Users__0__DefaultMailbox"] = BounceMailbox;
        start.Environment["ServerOptions__RecipientValidationExpression"] =
            $"recipient.toLowerCase().endsWith('@{RejectingDomain}') ? false"
            + $" : recipient.toLowerCase().endsWith('@{DeferringDomain}') ? error(451, 'Mailbox busy, try again later') : true";

        _process = Process.Start(start) ?? throw new InvalidOperationException("smtp4dev did not start.");
        _process.OutputDataReceived += (_, line) => Remember(line.Data);
        _process.ErrorDataReceived += (_, line) => Remember(line.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        _api = new HttpClient { BaseAddress = WebAddress, Timeout = TimeSpan.FromSeconds(30) };
        _reader = new MailReader(_api);
        await WaitUntilReadyAsync();
    }

    private IEnumerable<string> Arguments() =>
    [
        "tool", "run", "smtp4dev", "--",
        $"--urls=http://{Host}:{WebPort}",
        $"--bindaddress={Host}",
        $"--smtpport={SmtpPort}",
        $"--imapport={ImapPort}",
        "--pop3port=",
        "--db=",
        "--hostname=localhost",
        "--nousersettings",
        "--messagestokeep=100000",
        $"--mailbox={BounceMailbox}=bounces*@*",
    ];

    private async Task WaitUntilReadyAsync()
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"smtp4dev stopped with exit code {_process.ExitCode}:\n{Output()}");
            }

            if (await AnswersAsync())
            {
                return;
            }

            if (watch.Elapsed > StartTimeout)
            {
                throw new TimeoutException($"smtp4dev did not answer within {StartTimeout.TotalSeconds} s:\n{Output()}");
            }

            await Task.Delay(250);
        }
    }

    private async Task<bool> AnswersAsync()
    {
        try
        {
            var server = await Api.GetFromJsonAsync<JsonElement>("api/Server");
            if (!server.GetProperty("isRunning").GetBoolean())
            {
                return false;
            }

            using var smtp = new TcpClient();
            await smtp.ConnectAsync(Host, SmtpPort);
            using var imap = new TcpClient();
            await imap.ConnectAsync(Host, ImapPort);
            return true;
        }
        catch (Exception exception) when (exception is HttpRequestException or SocketException or TaskCanceledException or JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// Waits until at least <paramref name="count"/> mails to <paramref name="recipient"/> are stored and returns all of
    /// them (see <see cref="MailReader.WaitForMailsToAsync"/>).
    /// </summary>
    public Task<IReadOnlyList<ReceivedMail>> WaitForMailsToAsync(string recipient, int count = 1) => Reader.WaitForMailsToAsync(recipient, count);

    /// <summary>Every mail delivered to <paramref name="recipient"/> so far, oldest first.</summary>
    public Task<IReadOnlyList<ReceivedMail>> MailsToAsync(string recipient) => Reader.MailsToAsync(recipient);

    /// <summary>How many mails the mailbox holds (the bounce mailbox: reports not yet processed).</summary>
    public Task<int> CountAsync(string mailbox) => Reader.CountAsync(mailbox);

    /// <summary>
    /// Sends a bounce report (RFC 3464: multipart/report; report-type=delivery-status) for <paramref name="original"/>
    /// to <paramref name="bounceAddress"/>, as the recipient's mail server would when it gives up on the address.
    /// The report carries the original's headers (text/rfc822-headers) and names the failed recipient.
    /// </summary>
    public async Task SendBounceReportAsync(
        string bounceAddress, MimeMessage original, string failedRecipient, string action = "failed", string status = "5.1.1")
    {
        var report = new MimeMessage
        {
            Subject = action == "failed" ? "Undelivered Mail Returned to Sender" : "Delayed Mail (still being retried)",
            Body = DeliveryStatusReport(original, failedRecipient, action, status),
        };
        report.From.Add(new MailboxAddress("Mail Delivery System", "MAILER-DAEMON@mx.example.test"));
        report.To.Add(MailboxAddress.Parse(bounceAddress));
        report.Headers.Add("Auto-Submitted", "auto-replied");
        await SendAsync(report, "MAILER-DAEMON@mx.example.test", bounceAddress);
    }

    /// <summary>Sends any mail to this server, as another server would.</summary>
    public async Task SendAsync(MimeMessage message, string envelopeSender, string envelopeRecipient)
    {
        using var smtp = new SmtpClient();
        await smtp.ConnectAsync(Host, SmtpPort, MailKit.Security.SecureSocketOptions.None);
        await smtp.SendAsync(message, MailboxAddress.Parse(envelopeSender), [MailboxAddress.Parse(envelopeRecipient)]);
        await smtp.DisconnectAsync(quit: true);
    }

    private static MultipartReport DeliveryStatusReport(MimeMessage original, string failedRecipient, string action, string status)
    {
        var explanation = new TextPart("plain")
        {
            Text = $"This is the mail system at host mx.example.test.\n\nI'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients.\n\n<{failedRecipient}>: host mx.example.test said: 550 5.1.1 User unknown\n",
        };
        var deliveryStatus = new MessageDeliveryStatus();
        deliveryStatus.StatusGroups.Add(new HeaderList
        {
            { "Reporting-MTA", "dns; mx.example.test" },
            { "Arrival-Date", DateUtils.FormatDate(DateTimeOffset.UtcNow) },
        });
        deliveryStatus.StatusGroups.Add(new HeaderList
        {
            { "Final-Recipient", $"rfc822; {failedRecipient}" },
            { "Original-Recipient", $"rfc822;{failedRecipient}" },
            { "Action", action },
            { "Status", status },
            { "Remote-MTA", "dns; mx.example.test" },
            { "Diagnostic-Code", $"smtp; 550 5.1.1 <{failedRecipient}>: Recipient address rejected: User unknown" },
        });
        var headersOnly = new MimeMessage(original.Headers.Select(header => header.Clone()));
        return new MultipartReport("delivery-status")
        {
            explanation,
            deliveryStatus,
            new TextRfc822Headers { Message = headersOnly },
        };
    }

    public async ValueTask DisposeAsync()
    {
        _api?.Dispose();
        if (_process is not null)
        {
            if (!_process.HasExited)
            {
                // `dotnet tool run` starts smtp4dev as a child of its own: stop both.
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
        }

        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temp directory is cleaned up eventually anyway.
        }
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue(line);
            while (_output.Count > 200)
            {
                _output.Dequeue();
            }
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return new StringBuilder().AppendJoin('\n', _output).ToString();
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, ".config", "dotnet-tools.json")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("No .config/dotnet-tools.json above the test's directory; the mail server comes from the repository's tool manifest.");
    }
}
