using Participatie.Contracts;
using Participatie.Notifications.Domain;

namespace Participatie.UnitTests;

public class DeliveryRulesTests
{
    // 2026-12-01 is a Tuesday in winter time (UTC+1); 2026-07-01 a Wednesday in summer time (UTC+2).
    [Theory]
    [InlineData("2026-12-01T19:59:00Z", false)] // 20:59 in Amsterdam
    [InlineData("2026-12-01T20:00:00Z", true)] // 21:00
    [InlineData("2026-12-02T06:59:00Z", true)] // 07:59
    [InlineData("2026-12-02T07:00:00Z", false)] // 08:00
    [InlineData("2026-07-01T18:59:00Z", false)] // 20:59 summer time
    [InlineData("2026-07-01T19:00:00Z", true)] // 21:00 summer time
    public void Quiet_hours_run_from_21_to_8_in_Amsterdam(string moment, bool quiet) =>
        Assert.Equal(quiet, QuietHours.Contains(DateTimeOffset.Parse(moment, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("2026-12-01T20:30:00Z", "2026-12-02T07:00:00Z")] // 21:30 → 08:00 the next day
    [InlineData("2026-12-02T05:00:00Z", "2026-12-02T07:00:00Z")] // 06:00 → 08:00 the same day
    [InlineData("2026-03-29T00:30:00Z", "2026-03-29T06:00:00Z")] // the night summer time begins: 08:00 is UTC+2
    public void Quiet_hours_end_at_8_in_the_morning_in_Amsterdam(string moment, string end) =>
        Assert.Equal(DateTimeOffset.Parse(end, System.Globalization.CultureInfo.InvariantCulture),
            QuietHours.EndAfter(DateTimeOffset.Parse(moment, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Only_email_and_sms_keep_quiet_hours()
    {
        Assert.True(QuietHours.Apply(Channels.Email));
        Assert.True(QuietHours.Apply(Channels.Sms));
        Assert.False(QuietHours.Apply(Channels.Letter));
        Assert.False(QuietHours.Apply(Channels.App));
    }

    [Fact]
    public void Retries_back_off_exponentially_up_to_a_cap_and_stop_after_the_last_attempt()
    {
        var schedule = new RetrySchedule(5, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5));
        Assert.Equal(TimeSpan.FromSeconds(30), schedule.DelayAfter(1, jitter: 0));
        Assert.Equal(TimeSpan.FromSeconds(60), schedule.DelayAfter(2, jitter: 0));
        Assert.Equal(TimeSpan.FromSeconds(120), schedule.DelayAfter(3, jitter: 0));
        Assert.Equal(TimeSpan.FromMinutes(5), schedule.DelayAfter(10, jitter: 0));
        Assert.InRange(schedule.DelayAfter(1, jitter: 0.999_999_9), TimeSpan.FromSeconds(35.99), TimeSpan.FromSeconds(36));
        Assert.True(schedule.MayRetry(4));
        Assert.False(schedule.MayRetry(5));
    }

    [Theory]
    [InlineData(DigestFrequencies.Daily, "2026-12-01T06:59:00Z", "2026-11-30T07:00:00Z")] // Tuesday 07:59 → Monday 08:00
    [InlineData(DigestFrequencies.Daily, "2026-12-01T07:00:00Z", "2026-12-01T07:00:00Z")] // Tuesday 08:00 → now
    [InlineData(DigestFrequencies.Weekly, "2026-12-03T12:00:00Z", "2026-11-30T07:00:00Z")] // Thursday → Monday 08:00
    [InlineData(DigestFrequencies.Weekly, "2026-11-30T06:00:00Z", "2026-11-23T07:00:00Z")] // Monday 07:00 → the Monday before
    public void Digests_go_out_daily_at_8_and_weekly_on_Monday_at_8(string frequency, string now, string moment) =>
        Assert.Equal(DateTimeOffset.Parse(moment, System.Globalization.CultureInfo.InvariantCulture),
            DigestSchedule.LastDigestMoment(frequency, DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData(DigestFrequencies.Daily, "2026-12-01T06:59:00Z", "2026-12-01T07:00:00Z")] // Tuesday 07:59 → Tuesday 08:00
    [InlineData(DigestFrequencies.Daily, "2026-12-01T07:00:00Z", "2026-12-02T07:00:00Z")] // at 08:00 → tomorrow's
    [InlineData(DigestFrequencies.Weekly, "2026-12-03T12:00:00Z", "2026-12-07T07:00:00Z")] // Thursday → next Monday 08:00
    [InlineData(DigestFrequencies.Daily, "2026-03-28T12:00:00Z", "2026-03-29T06:00:00Z")] // across the switch to summer time
    public void The_next_digest_moment_is_the_next_8_oclock_or_Monday_8_oclock(string frequency, string now, string moment) =>
        Assert.Equal(DateTimeOffset.Parse(moment, System.Globalization.CultureInfo.InvariantCulture),
            DigestSchedule.NextDigestMoment(frequency, DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Receipts_and_answers_never_wait_for_a_digest()
    {
        Assert.Null(DigestSchedule.LastDigestMoment(DigestFrequencies.Immediately, DateTimeOffset.UtcNow));
        Assert.False(DigestSchedule.MayWait(NotificationKinds.ReactionReceived));
        Assert.False(DigestSchedule.MayWait(NotificationKinds.ReactionAnswered));
        Assert.True(DigestSchedule.MayWait(NotificationKinds.ConsultationOpened));
    }

    [Fact]
    public void A_failed_email_or_sms_falls_back_to_a_letter_and_a_letter_to_nothing()
    {
        Assert.Equal(Channels.Letter, FallbackChannel.After(Channels.Email));
        Assert.Equal(Channels.Letter, FallbackChannel.After(Channels.Sms));
        Assert.Null(FallbackChannel.After(Channels.Letter));
        Assert.Null(FallbackChannel.After(Channels.App));
    }
}

public class SmsNumberTests
{
    [Theory]
    [InlineData("06 1234 5678", "+31612345678")]
    [InlineData("0612345678", "+31612345678")]
    [InlineData("+31612345678", "+31612345678")]
    [InlineData("0032 470 12 34 56", "+32470123456")]
    public void Numbers_go_to_the_provider_in_international_notation(string registered, string sent) =>
        Assert.Equal(sent, Participatie.Notifications.Delivery.Sms.SmsSegments.International(registered));
}
