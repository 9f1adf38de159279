using Testcontainers.RabbitMq;

namespace Participatie.Testing;

/// <summary>
/// A virtual host of a test's own on the shared broker: a service started on it competes with no other test's service
/// for the messages of its queues (queues are per consumer type, so two services on one virtual host share them).
/// </summary>
public static class BrokerVirtualHosts
{
    /// <summary>Creates the virtual host (again, empty, when it exists) and returns the connection string to it.</summary>
    public static async Task<string> CreateAsync(RabbitMqContainer broker, string name)
    {
        ArgumentNullException.ThrowIfNull(broker);
        await broker.ExecAsync(["rabbitmqctl", "delete_vhost", name], TestContext.Current.CancellationToken);
        await ExecAsync(broker, "add_vhost", name);
        await ExecAsync(broker, "set_permissions", "-p", name, "participatie", ".*", ".*", ".*");
        return new Uri(new Uri(broker.GetConnectionString()), Uri.EscapeDataString(name)).ToString();
    }

    private static async Task ExecAsync(RabbitMqContainer broker, params string[] arguments)
    {
        var result = await broker.ExecAsync(["rabbitmqctl", .. arguments], TestContext.Current.CancellationToken);
        Assert.True(result.ExitCode == 0, $"rabbitmqctl {string.Join(' ', arguments)}: {result.Stderr}");
    }
}
