using System.Text;

namespace Participatie.Benchmark.Report;

/// <summary>The figures as a table: padded for the terminal, and as Markdown for artifacts/bench/.</summary>
internal static class ResultsTable
{
    private static readonly string[] Headers = ["Measure", "Result", "Goal", "Goal met", "Note"];

    public static string ForTerminal(IReadOnlyList<Figure> figures)
    {
        var rows = Rows(figures);
        var widths = Enumerable.Range(0, Headers.Length).Select(column => rows.Max(row => row[column].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var (row, index) in rows.Select((row, index) => (row, index)))
        {
            text.AppendLine(string.Join("  ", row.Select((cell, column) => cell.PadRight(widths[column]))).TrimEnd());
            if (index == 0)
            {
                text.AppendLine(string.Join("  ", widths.Select(width => new string('-', width))));
            }
        }

        return text.ToString();
    }

    public static string AsMarkdown(IReadOnlyList<Figure> figures)
    {
        var rows = Rows(figures);
        var text = new StringBuilder();
        text.AppendLine($"| {string.Join(" | ", rows[0])} |");
        text.AppendLine($"|{string.Join("|", rows[0].Select(_ => "---"))}|");
        foreach (var row in rows.Skip(1))
        {
            text.AppendLine($"| {string.Join(" | ", row.Select(cell => cell.Replace("|", "\\|", StringComparison.Ordinal)))} |");
        }

        return text.ToString();
    }

    private static List<string[]> Rows(IReadOnlyList<Figure> figures) =>
        [Headers, .. figures.Select(figure => new[] { figure.Measure, figure.ValueText, figure.GoalText, figure.Verdict, figure.Note ?? "" })];
}
