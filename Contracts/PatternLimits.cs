namespace Participatie.Contracts;

/// <summary>The one time limit of every regular expression on the platform's values.</summary>
public static class PatternLimits
{
    /// <summary>
    /// One second. The limit is wall-clock time, and a garbage collection on a loaded machine took 100 ms from the match
    /// of a six-character postcode (a 500 for a bulk registration in the benchmark of issue 7); the values are
    /// length-limited before they are matched, so a second is still a bound, never a wait.
    /// </summary>
    public const int MatchTimeoutMilliseconds = 1000;
}
