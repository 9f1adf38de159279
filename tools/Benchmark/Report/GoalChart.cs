using ScottPlot;

namespace Participatie.Benchmark.Report;

/// <summary>
/// Every figure that has a goal as a horizontal bar: how far it is from its goal (100% is exactly on it, more is
/// better, whether the goal is a minimum or a maximum), green when met and red when missed, labelled with its value.
/// </summary>
internal static class GoalChart
{
    /// <summary>Bars are cut here so that one figure far past its goal does not squash the others.</summary>
    private const double ShownUpToPercent = 300;

    public static void Save(IReadOnlyList<Figure> figures, string title, string path)
    {
        var charted = figures
            .Where(figure => figure.Goal is not null && figure.Value is { } value && !double.IsNaN(value))
            .Reverse()
            .ToList();
        var plot = new Plot();
        // The goal line first, so that the bars' labels are drawn over it.
        plot.Add.VerticalLine(100, width: 2, color: Colors.Black, pattern: LinePattern.Dashed);
        var bars = charted.Select((figure, index) =>
        {
            var score = figure.Goal!.Score(figure.Value!.Value) * 100;
            return new Bar
            {
                Position = index,
                Value = Math.Min(score, ShownUpToPercent),
                FillColor = figure.Goal.IsMetBy(figure.Value.Value) ? Colors.SeaGreen : Colors.IndianRed,
                Label = $"{figure.ValueText} (goal {figure.GoalText})",
            };
        }).ToList();
        var barPlot = plot.Add.Bars(bars);
        barPlot.Horizontal = true;
        barPlot.ValueLabelStyle.FontSize = 13;


        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. charted.Select((_, index) => (double)index)], [.. charted.Select(figure => figure.Measure)]);
        plot.Axes.Left.TickLabelStyle.FontSize = 13;
        // Room to the right of the longest bar for its label.
        var longest = bars.Select(bar => bar.Value).DefaultIfEmpty(100).Max();
        plot.Axes.SetLimits(0, Math.Max(longest, 100) * 1.6, -0.7, charted.Count - 0.3);
        plot.XLabel("Share of the goal reached: 100% is on the goal, more is better (bars cut at 300%)");
        plot.Title(title);
        plot.SavePng(path, 1600, 120 + 48 * Math.Max(charted.Count, 1));
    }
}
