using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Participatie.Testing;

[assembly: AssemblyFixture(typeof(Participatie.Drills.DrillPlatform))]
// The drills stop the broker and the database and kill a replica: two at once would spoil each other's counts.
[assembly: Xunit.v3.Parallelization(Mode = Xunit.Sdk.ParallelMode.None)]

namespace Participatie.Drills;

/// <summary>A partner's system client: its id, its token and the partner it acts for.</summary>
public sealed record DrillPartner(Guid PartnerId, string ClientId, string AccessToken);

/// <summary>
/// The whole platform from the AppHost, for the drills alone (they stop its broker and database, so no other test may
/// share it): the notifications service, the consumer of every reaction, runs as two replicas; PostgreSQL and RabbitMQ
/// listen on fixed ports without the orchestrator's proxy, so that a container stopped and started again with
/// <c>docker stop</c>/<c>docker start</c> keeps its data, its users and its address; the gateway's per-partner limit is
/// lifted, because the load comes from one partner.
/// </summary>
public sealed class DrillPlatform : IAsyncLifetime
{
    private const string OperatorSecret = "drills-operator-secret";

    /// <summary>The web clients' key-ring secrets of the run, so that a test can open their key rings as another replica.</summary>
    public const string ResidentPortalKeyRingKey = "drills-resident-portal-key-ring-key-0123456789";
    public const string PartnerConsoleKeyRingKey = "drills-partner-console-key-ring-key-0123456789";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(8);

    public const int NotificationsReplicas = 2;

    public static readonly string[] Services = ["partner-coordination", "residents", "consultations", "notifications"];

    private readonly ConcurrentDictionary<string, ResourceEvent> _resources = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopWatching = new();
    private DistributedApplication? _app;
    private readonly ConcurrentBag<Task> _logging = [];
    private Task? _watching;

    public async ValueTask InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Participatie_AppHost>(
            [
                "DcpPublisher:RandomizePorts=true", $"Parameters:platform-operator-secret={OperatorSecret}", "QuietHours=false",
                $"Parameters:resident-portal-key-ring-key={ResidentPortalKeyRingKey}", $"Parameters:partner-console-key-ring-key={PartnerConsoleKeyRingKey}",
            ],
            (options, _) => options.DisableDashboard = true,
            timeout.Token);

        builder.CreateResourceBuilder(Resource<ProjectResource>(builder, "notifications")).WithReplicas(NotificationsReplicas);
        foreach (var container in new[] { "postgres", "messaging" })
        {
            var resource = Resource<ContainerResource>(builder, container);
            builder.CreateResourceBuilder(resource).WithEndpointProxySupport(false);
            foreach (var endpoint in resource.Annotations.OfType<EndpointAnnotation>())
            {
                // A port of its own (not the well-known one: the benchmark or ./run.sh may hold that) that survives a restart.
                endpoint.Port = FreeTcpPorts.Next();
            }
        }

        builder.CreateResourceBuilder(Resource<ProjectResource>(builder, "gateway"))
            .WithEnvironment("Gateway__RateLimit__PermitLimit", "1000000000");
        builder.Services.AddLogging(logging => logging
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None)
            .AddFilter("System.Net.Http.HttpClient", LogLevel.Warning)
            .AddFilter("Polly", LogLevel.Warning)
            .AddFilter("Aspire.Hosting.Dcp", LogLevel.Warning));

        _app = await builder.BuildAsync(timeout.Token);
        _watching = WatchResourcesAsync(_app.ResourceNotifications, _stopWatching.Token);
        await _app.StartAsync(timeout.Token);
        // The web clients and the mail and SMS stand-ins start only after the services (the AppHost keeps them off the
        // cold start's path).
        foreach (var resource in Services.Concat(["gateway", "resident-portal", "partner-console", "mail", "sms-stand-in"]))
        {
            await _app.ResourceNotifications.WaitForResourceHealthyAsync(resource, timeout.Token);
        }

        await Eventually.MatchesAsync(
            () => Task.FromResult(ReplicaProcesses("notifications").Count),
            count => count == NotificationsReplicas,
            "both replicas of the notifications service to run",
            TimeSpan.FromMinutes(2));
    }

    private static T Resource<T>(IDistributedApplicationBuilder builder, string name)
        where T : IResource => builder.Resources.OfType<T>().Single(resource => resource.Name == name);


    /// <summary>The last state of every resource instance (each replica has its own id), kept as the orchestrator tells it.</summary>
    private async Task WatchResourcesAsync(ResourceNotificationService notifications, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var change in notifications.WatchAsync(cancellationToken))
            {
                if (_resources.TryAdd(change.ResourceId, change))
                {
                    _logging.Add(KeepLogAsync(change.ResourceId, cancellationToken));
                }

                _resources[change.ResourceId] = change;
            }
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
    }

    /// <summary>
    /// Every resource's console output in artifacts/drills/logs/, so that a drill's failure can be traced to the
    /// exception behind it (there is no dashboard in a test run).
    /// </summary>
    private async Task KeepLogAsync(string resourceId, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateDirectory(Path.Combine(DrillReport.Directory, "logs"));
        await using var file = new StreamWriter(Path.Combine(directory.FullName, $"{resourceId}.log"), append: false) { AutoFlush = true };
        try
        {
            await foreach (var lines in App.Services.GetRequiredService<ResourceLoggerService>().WatchAsync(resourceId).WithCancellation(cancellationToken))
            {
                foreach (var line in lines)
                {
                    await file.WriteLineAsync(line.Content);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
    }

    private DistributedApplication App => _app ?? throw new InvalidOperationException("The platform has not started.");

    /// <summary>The running processes of a project resource, one per replica: the orchestrator's id for it and its pid.</summary>
    public IReadOnlyList<(string InstanceId, int Pid)> ReplicaProcesses(string resource) =>
        [.. _resources.Values
            .Where(change => change.Resource.Name == resource && change.Snapshot.State?.Text == KnownResourceStates.Running)
            .Select(change => (change.ResourceId, Pid: Property(change, "executable.pid")))
            .Where(instance => instance.Pid is not null)
            .Select(instance => (instance.ResourceId, ProgramProcess(int.Parse(instance.Pid!, CultureInfo.InvariantCulture))))];

    /// <summary>
    /// The process that runs the program itself: the orchestrator starts a project with <c>dotnet run</c>, whose child
    /// is the service; killing or measuring the <c>dotnet run</c> would miss it.
    /// </summary>
    private static int ProgramProcess(int pid)
    {
        var parents = Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(name => int.TryParse(name, out _))
            .Select(name => (Pid: int.Parse(name!, CultureInfo.InvariantCulture), Parent: ParentOf(int.Parse(name!, CultureInfo.InvariantCulture))))
            .ToList();
        var generation = new List<int> { pid };
        for (var depth = 0; depth < 4 && generation.Count > 0; depth++)
        {
            if (generation.FirstOrDefault(candidate => !RunsDotnetHost(candidate)) is var program && program != 0)
            {
                return program;
            }

            generation = [.. parents.Where(process => generation.Contains(process.Parent)).Select(process => process.Pid)];
        }

        return pid;
    }

    private static int ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>The process is the dotnet host (<c>dotnet run</c>, or a build server), not a program's own executable.</summary>
    private static bool RunsDotnetHost(int pid)
    {
        try
        {
            var executable = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0')[0];
            return executable == "dotnet" || executable.EndsWith("/dotnet", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>The pid of each service's process (every replica), the gateway's and the containers' main processes, by name.</summary>
    public IReadOnlyDictionary<string, int> PlatformProcesses()
    {
        var processes = new Dictionary<string, int>(StringComparer.Ordinal);
        // The web clients start only after the services (the AppHost keeps them off the cold start's path).
        foreach (var resource in Services.Concat(["gateway", "resident-portal", "partner-console"]))
        {
            var replicas = ReplicaProcesses(resource).OrderBy(replica => replica.InstanceId, StringComparer.Ordinal).ToList();
            for (var index = 0; index < replicas.Count; index++)
            {
                processes[replicas.Count == 1 ? resource : $"{resource} #{index + 1}"] = replicas[index].Pid;
            }
        }

        return processes;
    }

    /// <summary>
    /// Starts a replica that was killed again (the orchestrator's start command, as the dashboard's button) and waits
    /// until the resource has all its replicas running; says whether it got there.
    /// </summary>
    public async Task<bool> RestartReplicaAsync(string resource, string instanceId)
    {
        var replicas = App.Services.GetRequiredService<ResourceCommandService>();
        // The orchestrator first has to see the process gone before it accepts a start.
        await Eventually.MatchesAsync(
            () => Task.FromResult(ReplicaProcesses(resource).Any(replica => replica.InstanceId == instanceId)),
            running => !running,
            $"the orchestrator to see {instanceId} ended",
            TimeSpan.FromSeconds(60));
        var result = await replicas.ExecuteCommandAsync(instanceId, KnownResourceCommands.StartCommand, TestContext.Current.CancellationToken);
        if (!result.Success)
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"Starting {instanceId} again failed: {result.Message}");
            return false;
        }

        // Running again is enough: waiting for the health of one replica by its instance id never ended (the
        // notification service matches resource names, not replica ids).
        try
        {
            await Eventually.MatchesAsync(
                () => Task.FromResult(ReplicaProcesses(resource).Count),
                count => count == NotificationsReplicas,
                $"{resource} to run {NotificationsReplicas} replicas again",
                TimeSpan.FromMinutes(2));
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private static string? Property(ResourceEvent change, string name) =>
        change.Snapshot.Properties.FirstOrDefault(property => property.Name == name)?.Value?.ToString();

    /// <summary>The Docker id of a container resource's container.</summary>
    public string ContainerId(string resource) =>
        _resources.Values
            .Where(change => change.Resource.Name == resource)
            .Select(change => Property(change, "container.id"))
            .FirstOrDefault(id => !string.IsNullOrEmpty(id))
        ?? throw new InvalidOperationException($"No container for {resource}.");

    /// <summary>Stops a container as a crash of its host would (SIGTERM, then SIGKILL after two seconds); it keeps its data.</summary>
    public Task StopContainerAsync(string resource) => DockerAsync("stop", "-t", "2", ContainerId(resource));

    public Task StartContainerAsync(string resource) => DockerAsync("start", ContainerId(resource));

    /// <summary>Runs a command in a container resource's container (<c>docker exec</c>) and returns what it printed.</summary>
    public Task<string> ExecAsync(string resource, params string[] command) => DockerAsync(["exec", ContainerId(resource), .. command]);

    private static async Task<string> DockerAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var docker = Process.Start(start) ?? throw new InvalidOperationException("docker did not start.");
        var error = docker.StandardError.ReadToEndAsync();
        var output = await docker.StandardOutput.ReadToEndAsync();
        await docker.WaitForExitAsync();
        if (docker.ExitCode != 0)
        {
            throw new InvalidOperationException($"docker {string.Join(' ', arguments)} failed: {await error}");
        }

        return output;
    }

    /// <summary>A resource's connection string as the AppHost gives it (for a database: the owner's).</summary>
    public async Task<string> ConnectionStringAsync(string resource) =>
        await App.GetConnectionStringAsync(resource, TestContext.Current.CancellationToken)
            ?? throw new InvalidOperationException($"No connection string for {resource}.");

    public Uri Endpoint(string resource, string endpoint) => App.GetEndpoint(resource, endpoint);

    /// <summary>Waits until a resource the platform's start does not wait for (a web client) answers healthy.</summary>
    public Task WaitForHealthyAsync(string resource) =>
        App.ResourceNotifications.WaitForResourceHealthyAsync(resource, TestContext.Current.CancellationToken);

    public Uri GatewayAddress => App.GetEndpoint("gateway", "http");

    /// <summary>
    /// A plain client of the gateway: no retries and no resilience handler, so that every failure the drill causes is
    /// seen as it is.
    /// </summary>
    public HttpClient Gateway(string? accessToken = null, int connections = 64)
    {
        var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = connections, PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
        {
            BaseAddress = GatewayAddress,
            Timeout = TimeSpan.FromSeconds(100),
        };
        if (accessToken is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        return client;
    }

    public async Task<string> AccessTokenAsync(string clientId, string clientSecret)
    {
        using var client = Gateway();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = clientSecret,
        });
        using var response = await client.PostAsync(new Uri("/connect/token", UriKind.Relative), form, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"Token request failed: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }

    public Task<string> PlatformOperatorTokenAsync() => AccessTokenAsync("platform-operator", OperatorSecret);

    /// <summary>The operator registers a housing corporation with a system client, granted every test gemeente.</summary>
    public async Task<DrillPartner> RegisterPartnerAsync(string name)
    {
        var cancel = TestContext.Current.CancellationToken;
        using var operatorClient = Gateway(await PlatformOperatorTokenAsync());
        var partnerId = (await SendAsync(operatorClient, HttpMethod.Post, "/v1/partners",
            new { name = TestData.NewPartnerName(name), kind = "housing-corporation", registryNumber = TestData.NewRegistryNumber("housing-corporation") }))
            .GetProperty("id").GetGuid();
        await SendAsync(operatorClient, HttpMethod.Put, $"/v1/partners/{partnerId}/areas", new { areaCodes = TestData.TestGemeenten });
        var client = await SendAsync(operatorClient, HttpMethod.Post, $"/v1/partners/{partnerId}/clients", new { displayName = $"{name} system", kind = "system" });
        var clientId = client.GetProperty("clientId").GetString()!;
        _ = cancel;
        return new DrillPartner(partnerId, clientId, await AccessTokenAsync(clientId, client.GetProperty("clientSecret").GetString()!));
    }

    /// <summary>Sends a JSON request that must succeed and returns its body (an empty object for no content).</summary>
    public static async Task<JsonElement> SendAsync(HttpClient client, HttpMethod method, string path, object? body = null)
    {
        var cancel = TestContext.Current.CancellationToken;
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await client.SendAsync(request, cancel);
        var text = await response.Content.ReadAsStringAsync(cancel);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path} answered {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? JsonDocument.Parse("{}").RootElement : JsonDocument.Parse(text).RootElement;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopWatching.CancelAsync();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        if (_watching is not null)
        {
            await _watching;
        }

        await Task.WhenAll(_logging);

        _stopWatching.Dispose();
    }
}
