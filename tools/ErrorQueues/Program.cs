using Participatie.ErrorQueues;
using RabbitMQ.Client;

// list                 the error and skipped queues that hold messages
// requeue <queue>      moves every message of <queue>_error back to <queue>, after the cause is fixed
// The broker: --broker amqp://user:password@host:port/vhost or PARTICIPATIE_BROKER; the management API (list only):
// --management http://host:15672/ or PARTICIPATIE_BROKER_MANAGEMENT, else port 15672 of the broker's host.
const string Usage = """
    usage: requeue-errors.sh list
           requeue-errors.sh requeue <queue>      (<queue> or <queue>_error)
    options: --broker amqp://user:password@host:5672/vhost   (or PARTICIPATIE_BROKER)
             --management http://host:15672/                 (or PARTICIPATIE_BROKER_MANAGEMENT)
    """;

var positional = new List<string>();
string? broker = Environment.GetEnvironmentVariable("PARTICIPATIE_BROKER");
string? management = Environment.GetEnvironmentVariable("PARTICIPATIE_BROKER_MANAGEMENT");
for (var index = 0; index < args.Length; index++)
{
    switch (args[index])
    {
        case "--broker" when index + 1 < args.Length:
            broker = args[++index];
            break;
        case "--management" when index + 1 < args.Length:
            management = args[++index];
            break;
        default:
            positional.Add(args[index]);
            break;
    }
}

if (string.IsNullOrWhiteSpace(broker) || positional.Count == 0 || (positional[0] == "requeue" && positional.Count != 2))
{
    await Console.Error.WriteLineAsync(Usage);
    return 2;
}

var settings = BrokerSettings.Parse(broker, management);
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, stop) =>
{
    // Finish the message in hand (published and confirmed, then acknowledged), then stop.
    stop.Cancel = true;
    cancel.Cancel();
};

switch (positional[0])
{
    case "list":
        var queues = await ErrorQueueList.ReadAsync(settings, cancel.Token);
        foreach (var queue in queues)
        {
            Console.WriteLine($"{queue.Messages,8}  {queue.Name}");
        }

        if (queues.Count == 0)
        {
            Console.WriteLine("No error or skipped queue holds a message.");
        }

        return 0;
    case "requeue":
        var factory = new ConnectionFactory { Uri = settings.Amqp, ClientProvidedName = "operator-requeue-errors" };
        await using (var connection = await factory.CreateConnectionAsync(cancel.Token))
        {
            var moved = await ErrorQueueMover.RequeueAsync(connection, positional[1], Console.Out, cancel.Token);
            Console.WriteLine($"{moved} message(s) moved back to {ErrorQueueMover.InputQueue(positional[1])}.");
        }

        return 0;
    default:
        await Console.Error.WriteLineAsync(Usage);
        return 2;
}
