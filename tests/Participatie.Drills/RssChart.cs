using ScottPlot;

namespace Participatie.Drills;

/// <summary>The resident memory of each process over a run, one line each, as a PNG (the benchmark's chart library).</summary>
public static class RssChart
{
    public static void Save(IReadOnlyDictionary<string, IReadOnlyList<(double Minutes, double Megabytes)>> series, string title, string path)
    {
        var plot = new Plot();
        foreach (var (process, samples) in series.OrderBy(entry => entry.Key, StringComparer.Ordinal))
        {
            var line = plot.Add.Scatter(samples.Select(sample => sample.Minutes).ToArray(), samples.Select(sample => sample.Megabytes).ToArray());
            line.LegendText = process;
            line.MarkerSize = 0;
            line.LineWidth = 2;
        }

        plot.Title(title);
        plot.XLabel("Minutes into the soak");
        plot.YLabel("Resident memory (MB)");
        plot.Axes.SetLimitsY(0, series.Values.SelectMany(samples => samples).Select(sample => sample.Megabytes).DefaultIfEmpty(100).Max() * 1.15);
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, 1400, 800);
    }
}
