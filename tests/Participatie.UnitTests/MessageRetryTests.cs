using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Participatie.BuildingBlocks.Messaging;

namespace Participatie.UnitTests;

/// <summary>
/// "Retry later" and faults run on separate schedules. The bus here is MassTransit's in-memory one with the same
/// retry configuration the services use over RabbitMQ; what is under test is that configuration, not the broker.
/// </summary>
public class MessageRetryTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(10);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_message_that_is_not_yet_known_is_tried_again_until_it_can_be_handled()
    {
        var attempts = await RunAsync(new Behaviour(RetryLaterTimes: 3));

        Assert.Equal(4, attempts.Count);
        Assert.False(attempts.Faulted);
    }

    [Fact]
    public async Task Retry_later_has_its_own_schedule_and_then_the_message_goes_to_the_error_queue()
    {
        var attempts = await RunAsync(new Behaviour(RetryLaterTimes: int.MaxValue));

        // The first attempt and one per retry-later interval; the fault schedule (one retry) does not add to it.
        Assert.Equal(1 + 5, attempts.Count);
        Assert.True(attempts.Faulted);
    }

    [Fact]
    public async Task A_fault_is_retried_on_the_short_schedule_only()
    {
        var attempts = await RunAsync(new Behaviour(FailTimes: int.MaxValue));

        Assert.Equal(1 + 1, attempts.Count);
        Assert.True(attempts.Faulted);
    }

    [Fact]
    public void The_longest_retry_window_adds_up_both_schedules_which_the_inbox_must_outlast() =>
        Assert.Equal(TimeSpan.FromSeconds(588) + TimeSpan.FromMilliseconds(18_600), new RetryOptions().LongestRetryWindow);

    private static async Task<Attempts> RunAsync(Behaviour behaviour)
    {
        var attempts = new Attempts();
        var options = new RetryOptions { FaultIntervals = [Tick], RetryLaterIntervals = [Tick, Tick, Tick, Tick, Tick] };
        await using var provider = new ServiceCollection()
            .AddSingleton(attempts)
            .AddSingleton(behaviour)
            .AddMassTransitTestHarness(bus =>
            {
                // The harness gives up on a fault after 1.2 s of quiet by default, which a busy machine can exceed
                // (seen once under load); the expected outcome still ends the wait at once.
                bus.SetTestTimeouts(testTimeout: TimeSpan.FromMinutes(2), testInactivityTimeout: TimeSpan.FromSeconds(30));
                bus.AddConsumer<FlakyConsumer>();
                bus.UsingInMemory((context, memory) =>
                {
                    memory.UseParticipatieRetries(options);
                    memory.ConfigureEndpoints(context);
                });
            })
            .BuildServiceProvider(true);
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();

        await harness.Bus.Publish(new Ping(Guid.NewGuid()), Cancel);

        var outcome = await Task.WhenAny(
            harness.Published.Any<Fault<Ping>>(Cancel).ContinueWith(_ => true, Cancel, TaskContinuationOptions.None, TaskScheduler.Default),
            attempts.Succeeded.Task.ContinueWith(_ => false, Cancel, TaskContinuationOptions.None, TaskScheduler.Default));
        attempts.Faulted = await outcome && await harness.Published.Any<Fault<Ping>>(Cancel);
        await harness.Stop(Cancel);
        return attempts;
    }

    public sealed record Ping(Guid Id);

    public sealed record Behaviour(int RetryLaterTimes = 0, int FailTimes = 0);

    public sealed class Attempts
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public bool Faulted { get; set; }

        public TaskCompletionSource Succeeded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Next() => Interlocked.Increment(ref _count);
    }

    public sealed class FlakyConsumer(Attempts attempts, Behaviour behaviour) : IConsumer<Ping>
    {
        public Task Consume(ConsumeContext<Ping> context)
        {
            var attempt = attempts.Next();
            if (attempt <= behaviour.RetryLaterTimes)
            {
                throw new RetryLaterException("The consultation is not known yet.");
            }

            if (attempt <= behaviour.FailTimes)
            {
                throw new InvalidOperationException("A deadlock.");
            }

            attempts.Succeeded.TrySetResult();
            return Task.CompletedTask;
        }
    }
}
