using System.Data;
using Npgsql;
using Participatie.BuildingBlocks.Messaging;

namespace Participatie.BuildingBlocks.Data;

/// <summary>
/// One PostgreSQL transaction in which a service changes its state and records the events that announce the
/// change. The events reach RabbitMQ only after <see cref="CommitAsync"/>, through the outbox relay.
/// </summary>
public sealed class UnitOfWork : IAsyncDisposable
{
    private readonly OutboxSignal _signal;
    private bool _hasOutboxMessages;

    private UnitOfWork(NpgsqlConnection connection, NpgsqlTransaction transaction, OutboxSignal signal)
    {
        Connection = connection;
        Transaction = transaction;
        _signal = signal;
    }

    public NpgsqlConnection Connection { get; }

    public NpgsqlTransaction Transaction { get; }

    internal static async Task<UnitOfWork> BeginAsync(
        NpgsqlDataSource dataSource, OutboxSignal signal, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        return new UnitOfWork(connection, transaction, signal);
    }

    /// <summary>Records an event in the outbox, in this transaction.</summary>
    public async Task PublishAsync<TMessage>(TMessage message, CancellationToken cancellationToken = default)
        where TMessage : class
    {
        await OutboxStore.InsertAsync(this, message, cancellationToken);
        _hasOutboxMessages = true;
    }

    /// <summary>Records many events of one type in the outbox with one statement, in this transaction, in their order.</summary>
    public async Task PublishManyAsync<TMessage>(IReadOnlyList<TMessage> messages, CancellationToken cancellationToken = default)
        where TMessage : class
    {
        await OutboxStore.InsertManyAsync(this, messages, cancellationToken);
        _hasOutboxMessages |= messages.Count > 0;
    }

    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        await Transaction.CommitAsync(cancellationToken);
        if (_hasOutboxMessages)
        {
            // Wake the relay now instead of at its next poll.
            _signal.Notify();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Transaction.DisposeAsync();
        await Connection.DisposeAsync();
    }
}

/// <summary>Starts units of work on the service's own database.</summary>
public sealed class UnitOfWorkFactory(NpgsqlDataSource dataSource, OutboxSignal signal)
{
    public Task<UnitOfWork> BeginAsync(CancellationToken cancellationToken = default) =>
        UnitOfWork.BeginAsync(dataSource, signal, cancellationToken);
}
