using System.Collections;
using System.Diagnostics;
using System.Text.Json;

namespace Participatie.Testing;

/// <summary>
/// Waits for something asynchronous (an event crossing the broker) to become true, with a deadline. The one polling
/// helper of every test project: when time runs out it throws, naming what it waited for and the last value it saw,
/// so a poll can never end quietly with a result nobody checks.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(200);

    /// <summary>Probes until <paramref name="isDone"/> holds and returns that value; throws <see cref="TimeoutException"/> otherwise.</summary>
    public static async Task<T> MatchesAsync<T>(
        Func<Task<T>> probe, Func<T, bool> isDone, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var watch = Stopwatch.StartNew();
        var attempts = 0;
        while (true)
        {
            var value = await probe();
            attempts++;
            if (isDone(value))
            {
                return value;
            }

            if (watch.Elapsed > limit)
            {
                throw new TimeoutException(
                    $"Waited {limit.TotalSeconds:0.#} s ({attempts} attempts) in vain for {what}; last seen: {Describe(value)}");
            }

            await Task.Delay(Pause, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>A readable account of a probed value: JSON as JSON, a collection with its count and items.</summary>
    public static string Describe(object? value)
    {
        const int MaxLength = 2000;
        var text = value switch
        {
            null => "null",
            string s => $"\"{s}\"",
            JsonElement json => json.GetRawText(),
            IEnumerable items => DescribeItems(items),
            _ => value.ToString() ?? value.GetType().Name,
        };
        return text.Length <= MaxLength ? text : string.Concat(text.AsSpan(0, MaxLength), "…");
    }

    private static string DescribeItems(IEnumerable items)
    {
        var described = items.Cast<object?>().Select(Describe).ToList();
        return $"{described.Count} item(s): [{string.Join(", ", described)}]";
    }
}
