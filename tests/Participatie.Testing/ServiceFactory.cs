using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Participatie.Testing;

/// <summary>Runs one service in the test process against real containers, exactly as its Program.cs wires it.</summary>
public class ServiceFactory<TEntryPoint>(
    string databaseName,
    string databaseConnectionString,
    string brokerConnectionString,
    Action<IServiceCollection>? configureServices = null) : WebApplicationFactory<TEntryPoint>
    where TEntryPoint : class
{
    public ServiceFactory(string databaseName, PlatformContainers containers, Action<IServiceCollection>? configureServices = null)
        : this(databaseName, containers.Postgres.GetConnectionString(), containers.RabbitMq.GetConnectionString(), configureServices)
    {
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting($"ConnectionStrings:{databaseName}", databaseConnectionString);
        builder.UseSetting("ConnectionStrings:messaging", brokerConnectionString);
        builder.UseSetting("Outbox:PollInterval", "00:00:00.500");
        builder.UseSetting("Outbox:PublishTimeout", "00:00:03");
        if (configureServices is not null)
        {
            builder.ConfigureServices(configureServices);
        }
    }
}
