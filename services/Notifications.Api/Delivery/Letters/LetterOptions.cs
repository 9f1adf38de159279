namespace Participatie.Notifications.Delivery.Letters;

/// <summary>When the daily print batch is cut and how much one cut takes (section <c>Letters</c>).</summary>
public sealed class LetterOptions
{
    public const string Section = "Letters";

    /// <summary>The time of day in Amsterdam after which the day's batch is cut; 16:00 leaves the print shop the evening.</summary>
    public TimeOnly DailyBatchAt { get; set; } = new(16, 0);

    /// <summary>
    /// Set for local runs only: batches are cut this often instead of once a day, so that the demo's letters can be read
    /// at once (./run.sh sets a minute). Unset in a deployment: the print shop gets one batch per partner per day.
    /// </summary>
    public TimeSpan? CutEvery { get; set; }

    /// <summary>How often the job looks whether the day's batch is due.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Letters per cut; more stay pending for the next cut (a buurt-wide mailing goes out over several).</summary>
    public int MaxLettersPerCut { get; set; } = 5_000;

    /// <summary>A claimed letter whose batch was not stored within this time (the instance died) is claimed again.</summary>
    public TimeSpan ClaimTimeout { get; set; } = TimeSpan.FromMinutes(15);
}
