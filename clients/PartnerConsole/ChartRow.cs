namespace Participatie.PartnerConsole;

/// <summary>One row of a bar chart: its label, a value per series (with how each is shown) and whether it is flagged.</summary>
public sealed record ChartRow(string Label, IReadOnlyList<double> Values, IReadOnlyList<string> Shown, bool Flagged = false);
