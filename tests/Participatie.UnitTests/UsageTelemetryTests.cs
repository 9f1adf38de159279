using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Participatie.BuildingBlocks.Messaging;

namespace Participatie.UnitTests;

/// <summary>The shared messaging set-up keeps MassTransit from reporting the bus's shape to its makers.</summary>
public sealed class UsageTelemetryTests
{
    [Fact]
    public void The_services_bus_reports_no_usage_telemetry()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration[$"ConnectionStrings:{MessagingExtensions.BrokerConnectionName}"] = "amqp://guest:guest@localhost:5672/";
        builder.AddMessaging("telemetry-test", typeof(UsageTelemetryTests).Assembly);
        using var host = builder.Build();

        var options = host.Services.GetRequiredService<IOptions<UsageTelemetryOptions>>().Value;

        Assert.False(options.Enabled);
    }
}
