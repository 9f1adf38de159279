using System.Globalization;

namespace Participatie.Benchmark.Report;

internal enum Unit
{
    PerSecond,
    Milliseconds,
    Seconds,
    Megabytes,
    Percent,
    Count,
}

/// <summary>A goal from issue 7: a figure must be at least or at most the limit.</summary>
internal sealed record Goal(double Limit, bool AtLeast)
{
    public static Goal Minimum(double limit) => new(limit, AtLeast: true);
    public static Goal Maximum(double limit) => new(limit, AtLeast: false);

    public bool IsMetBy(double value) => AtLeast ? value >= Limit : value <= Limit;

    /// <summary>How the value compares with the goal: 1 is exactly on it, above 1 better than asked.</summary>
    public double Score(double value) => AtLeast ? value / Limit : value <= 0 ? double.PositiveInfinity : Limit / value;
}

/// <summary>One line of the results: what was measured, its value (null when it could not be) and its goal, if any.</summary>
internal sealed record Figure(string Measure, double? Value, Unit Unit, Goal? Goal = null, string? Note = null)
{
    public string ValueText => Value is { } value && !double.IsNaN(value) ? Format(value, Unit) : "not measured";

    public string GoalText => Goal is null ? "" : $"{(Goal.AtLeast ? "≥" : "≤")} {Format(Goal.Limit, Unit)}";

    public string Verdict => Goal is null ? ""
        : Value is not { } value || double.IsNaN(value) ? "–"
        : Goal.IsMetBy(value) ? "met" : "missed";

    private static string Format(double value, Unit unit) => unit switch
    {
        Unit.PerSecond => $"{value.ToString("N0", CultureInfo.InvariantCulture)}/s",
        Unit.Milliseconds => $"{value.ToString(value < 10 ? "0.00" : "N0", CultureInfo.InvariantCulture)} ms",
        Unit.Seconds => $"{value.ToString("0.0", CultureInfo.InvariantCulture)} s",
        Unit.Megabytes => $"{value.ToString("N1", CultureInfo.InvariantCulture)} MB",
        Unit.Percent => $"{value.ToString("0", CultureInfo.InvariantCulture)}%",
        Unit.Count => value.ToString("N0", CultureInfo.InvariantCulture),
        _ => value.ToString(CultureInfo.InvariantCulture),
    };
}
