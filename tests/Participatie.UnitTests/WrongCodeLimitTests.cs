using Participatie.Consultations.Domain;

namespace Participatie.UnitTests;

public sealed class WrongCodeLimitTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 14, 0, 0, TimeSpan.Zero);

    private static List<DateTimeOffset> WrongCodes(int count, TimeSpan firstAgo, TimeSpan apart) =>
        [.. Enumerable.Range(0, count).Select(index => Now - firstAgo + (apart * index))];

    [Fact]
    public void Nine_wrong_codes_still_leave_a_try()
    {
        Assert.Null(WrongCodeLimit.WaitFor(WrongCodes(9, TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(1)), Now));
    }

    [Fact]
    public void The_tenth_wrong_code_makes_the_client_wait_until_the_oldest_leaves_the_window()
    {
        // The oldest was 5 minutes ago: it leaves the 15-minute window in 10 minutes.
        var wait = WrongCodeLimit.WaitFor(WrongCodes(10, TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(10)), Now);

        Assert.Equal(TimeSpan.FromMinutes(10), wait);
    }

    [Fact]
    public void With_more_than_ten_the_wait_ends_when_the_count_drops_below_ten()
    {
        // Twelve wrong codes a minute apart, the first 14 minutes ago: only when the third oldest (12 minutes ago)
        // leaves the window are there nine left.
        var wait = WrongCodeLimit.WaitFor(WrongCodes(12, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(1)), Now);

        Assert.Equal(TimeSpan.FromMinutes(3), wait);
    }
}
