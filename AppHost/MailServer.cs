namespace Participatie.AppHost;

/// <summary>
/// The local mail server: smtp4dev, a .NET tool pinned in the repository's manifest (.config/dotnet-tools.json,
/// restored by eng/prepare.sh), run as an executable resource. Every mail the platform sends lands in it and can be
/// read on its web page (an endpoint on the dashboard, and printed by run.sh); its messages live in memory only.
/// Mail to the bounce address (<c>bounces…@…</c>) goes to a mailbox of its own, which the notifications service reads
/// over IMAP for bounce reports.
/// </summary>
internal static class MailServer
{
    /// <summary>The web page's fixed port, so that run.sh can print its address (gateway 5080, dashboard 15080).</summary>
    public const int WebPort = 5090;

    /// <summary>Benchmark mode's fixed SMTP and IMAP ports, without DCP's proxy in front (eng/bench.sh checks they are free).</summary>
    public const int BenchmarkSmtpPort = 5025;
    public const int BenchmarkImapPort = 5143;

    private const string BounceMailbox = "Bounces";
    private const string BounceUser = "bounces";

    /// <summary>A local mail server's only: smtp4dev checks no password unless told to (AuthenticationRequired).</summary>
    private const string BouncePassword = "local-bounces";

    public static IResourceBuilder<ExecutableResource> AddMailServer(this IDistributedApplicationBuilder builder, string name)
    {
        var repositoryRoot = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, ".."));
        // The tool's own executable, so that stopping the resource stops smtp4dev itself: `dotnet tool run` starts it
        // as a child that outlives a stopped AppHost. Where it cannot be found, `dotnet tool run` (which finds the
        // manifest from the working directory upwards).
        var mail = (ToolExecutable(repositoryRoot) is { } executable
                ? builder.AddExecutable(name, executable, Path.GetDirectoryName(executable)!)
                : builder.AddExecutable(name, "dotnet", repositoryRoot, "tool", "run", "smtp4dev", "--"))
            // The env names only make DCP allocate a port for each; smtp4dev reads SMTP's and IMAP's from them.
            .WithHttpEndpoint(port: WebPort, name: "http", env: "SMTP4DEV_WEB_PORT")
            .WithEndpoint(name: "smtp", scheme: "tcp", env: "ServerOptions__Port")
            .WithEndpoint(name: "imap", scheme: "tcp", env: "ServerOptions__ImapPort")
            // smtp4dev keeps its settings file there; the messages themselves stay in memory.
            .WithEnvironment("XDG_CONFIG_HOME", Path.Combine(repositoryRoot, "artifacts", "smtp4dev"))
            .WithEnvironment("ServerOptions__Users__0__Username", BounceUser)
            .WithEnvironment("ServerOptions__Users__0__Password", BouncePassword)
            .WithEnvironment("ServerOptions__Users__0__DefaultMailbox", BounceMailbox)
            .WithHttpHealthCheck("/api/Version");
        var web = mail.GetEndpoint("http");
        mail.WithArgs(context =>
        {
            context.Args.Add(ReferenceExpression.Create($"--urls=http://localhost:{web.Property(EndpointProperty.TargetPort)}"));
            context.Args.Add("--db=");
            context.Args.Add("--pop3port=");
            context.Args.Add("--hostname=localhost");
            // SMTP and IMAP on the loopback interface only: nothing outside this machine sends to it.
            context.Args.Add("--allowremoteconnections-");
            context.Args.Add("--nousersettings");
            context.Args.Add("--messagestokeep=1000");
            context.Args.Add($"--mailbox={BounceMailbox}=bounces*@*");
        });
        return mail;
    }

    /// <summary>
    /// Where `dotnet tool restore` put smtp4dev's executable: the RID-specific package of the version in the tool
    /// manifest, in NuGet's global packages folder.
    /// </summary>
    private static string? ToolExecutable(string repositoryRoot)
    {
        var manifest = Path.Combine(repositoryRoot, ".config", "dotnet-tools.json");
        if (!File.Exists(manifest))
        {
            return null;
        }

        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(manifest));
        if (!document.RootElement.GetProperty("tools").TryGetProperty("rnwood.smtp4dev", out var tool))
        {
            return null;
        }

        var version = tool.GetProperty("version").GetString();
        var rid = System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier;
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var executable = Path.Combine(
            packages, $"rnwood.smtp4dev.{rid}", version!, "tools", "net10.0", rid, OperatingSystem.IsWindows() ? "Rnwood.Smtp4dev.exe" : "Rnwood.Smtp4dev");
        return File.Exists(executable) ? executable : null;
    }

    /// <summary>
    /// For eng/bench.sh: every endpoint on a fixed port without DCP's proxy, which would otherwise carry each of the
    /// benchmark's 100,000 mails through one more process. The stored messages stay bounded (--messagestokeep); what
    /// still grows is each open SMTP session's own record of its messages, which smtp4dev keeps until the session ends.
    /// </summary>
    public static IResourceBuilder<ExecutableResource> WithoutProxies(this IResourceBuilder<ExecutableResource> mail)
    {
        mail.WithEndpointProxySupport(false);
        var fixedPorts = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["http"] = WebPort,
            ["smtp"] = BenchmarkSmtpPort,
            ["imap"] = BenchmarkImapPort,
        };
        foreach (var endpoint in mail.Resource.Annotations.OfType<EndpointAnnotation>())
        {
            // Without a proxy the process listens on the published port itself.
            endpoint.Port = fixedPorts[endpoint.Name];
            endpoint.TargetPort = endpoint.Port;
        }

        return mail;
    }

    /// <summary>The service sends over the mail server's SMTP endpoint and reads the bounce mailbox over its IMAP endpoint.</summary>
    public static IResourceBuilder<ProjectResource> WithMailServer(
        this IResourceBuilder<ProjectResource> service, IResourceBuilder<ExecutableResource> mail)
    {
        var smtp = mail.GetEndpoint("smtp");
        var imap = mail.GetEndpoint("imap");
        return service
            .WithEnvironment("Delivery__Email__SmtpHost", smtp.Property(EndpointProperty.Host))
            .WithEnvironment("Delivery__Email__SmtpPort", smtp.Property(EndpointProperty.Port))
            .WithEnvironment("Delivery__Email__SmtpSecurity", "None")
            .WithEnvironment("Delivery__Email__Bounces__ImapHost", imap.Property(EndpointProperty.Host))
            .WithEnvironment("Delivery__Email__Bounces__ImapPort", imap.Property(EndpointProperty.Port))
            .WithEnvironment("Delivery__Email__Bounces__ImapSecurity", "None")
            .WithEnvironment("Delivery__Email__Bounces__UserName", BounceUser)
            .WithEnvironment("Delivery__Email__Bounces__Password", BouncePassword)
            .WithReferenceRelationship(mail);
    }
}
