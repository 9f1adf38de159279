namespace Participatie.Testing;

/// <summary>Waits for something asynchronous (an event crossing the broker) to become true, with a deadline.</summary>
public static class Eventually
{
    public static async Task<T> MatchesAsync<T>(
        Func<Task<T>> probe, Func<T, bool> isDone, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var value = await probe();
            if (isDone(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited in vain for {what}; last seen: {value}");
            }

            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }
}
