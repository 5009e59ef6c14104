using System.Globalization;
using Footprint.Reports.Comparisons;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Footprint.Cli.Rendering;

/// <summary>`footprint compare` for the terminal: one column per artifact, one row per figure, the winner named. Renderables only.</summary>
internal static class CompareTable
{
    public static IRenderable Render(Comparison c)
    {
        // The inputs as lines of their own above the table: as column headers, long paths would widen every column.
        var heading = string.Join("\n", c.Artifacts.Select((a, i) => $"[bold]#{i + 1}[/] {TerminalText.Cell(a.Input)} ({TerminalText.Cell(a.Kind)})"
            + (c.Baseline == i ? " [bold]baseline[/]" : string.Empty)));
        var parts = new List<IRenderable> { new Markup(heading + "\n") };

        var table = new Table().Border(TableBorder.Rounded).AddColumn(string.Empty);
        for (var i = 0; i < c.Artifacts.Count; i++)
        {
            table.AddColumn(new TableColumn($"#{i + 1}").RightAligned());
        }

        table.AddColumn("wins");
        void Text(string label, Func<ComparedArtifact, string?> value)
            => table.AddRow([label, .. c.Artifacts.Select(a => TerminalText.Cell(value(a) ?? "-")), string.Empty]);
        Text("system", a => a.Os);
        Text("architecture", a => a.Architecture);
        Text("libc", a => a.Libc);
        Text("init", a => a.Init);
        Text("shells", a => a.Shells is null ? null : a.Shells.Count == 0 ? "none" : string.Join(' ', a.Shells));
        Text("package managers", a => a.PackageManagers is null ? null : a.PackageManagers.Count == 0 ? "none" : string.Join(' ', a.PackageManagers));
        foreach (var row in c.Rows)
        {
            var cells = new List<string> { TerminalText.Cell(row.Label) };
            for (var i = 0; i < row.Values.Count; i++)
            {
                var cell = Figure(row.Values[i], row.Unit);
                if (row.Differences is { } d && c.Baseline != i && d[i] is { } delta)
                {
                    cell += $" ({Delta(delta, row.Unit)})";
                }

                cells.Add(row.Winners.Contains(i) ? $"[bold]{cell}[/]" : cell);
            }

            cells.Add(row.Better is null ? "-" : row.Winners.Count == 0 ? "n/a" : string.Join(' ', row.Winners.Select(w => $"#{w + 1}")));
            table.AddRow(cells.ToArray());
        }

        parts.Add(table);
        parts.Add(new Markup(TerminalText.Cell("wins: " + c.Rule) + "\n"));
        return new Rows(parts);
    }

    internal static string Figure(long? value, string unit)
        => value is not { } v ? "-" : unit == "bytes" ? MeasureTable.Bytes(v) : v.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A signed difference: "+1.2 MiB", "-3", "0".</summary>
    internal static string Delta(long delta, string unit)
        => delta == 0 ? "0" : (delta > 0 ? "+" : "-") + Figure(Math.Abs(delta), unit);
}
