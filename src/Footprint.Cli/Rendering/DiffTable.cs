using Footprint.Reports.Comparisons;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Footprint.Cli.Rendering;

/// <summary>`footprint diff` for the terminal: the summary figures, then each category of change. Renderables only.</summary>
internal static class DiffTable
{
    /// <summary>How many changed files the table lists without --files.</summary>
    private const int FilesShown = 20;

    public static IRenderable Render(ArtifactDiff d, bool allFiles)
    {
        var parts = new List<IRenderable>
        {
            new Markup($"[bold]old[/] {TerminalText.Cell(d.Old.Input)} ({TerminalText.Cell(d.Old.Os ?? d.Old.Kind)})\n"
                + $"[bold]new[/] {TerminalText.Cell(d.New.Input)} ({TerminalText.Cell(d.New.Os ?? d.New.Kind)})\n"),
        };
        var summary = new Table().Border(TableBorder.Rounded).AddColumn(string.Empty).AddColumn(new TableColumn("old").RightAligned())
            .AddColumn(new TableColumn("new").RightAligned()).AddColumn(new TableColumn("change").RightAligned());
        foreach (var row in d.Summary)
        {
            summary.AddRow(TerminalText.Cell(row.Label), CompareTable.Figure(row.Values[0], row.Unit), CompareTable.Figure(row.Values[1], row.Unit),
                row.Differences?[1] is { } delta ? CompareTable.Delta(delta, row.Unit) : "-");
        }

        parts.Add(summary);
        parts.Add(new Markup(Totals("packages", d.PackageTotals) + "\n"));
        if (d.Packages.Count > 0)
        {
            var packages = new Table().Border(TableBorder.Rounded).AddColumn("package").AddColumn("change").AddColumn("old").AddColumn("new")
                .AddColumn(new TableColumn("size change").RightAligned());
            foreach (var p in d.Packages)
            {
                packages.AddRow(TerminalText.Cell(p.Name), p.Change, TerminalText.Cell(p.OldVersion ?? "-"), TerminalText.Cell(p.NewVersion ?? "-"),
                    p.DeltaBytes is { } b ? CompareTable.Delta(b, "bytes") : "?");
            }

            parts.Add(packages);
        }

        parts.Add(new Markup(Totals("files", d.FileTotals) + "\n"));
        if (d.Files.Count > 0)
        {
            var files = new Table().Border(TableBorder.Rounded).AddColumn("file").AddColumn("change").AddColumn(new TableColumn("size change").RightAligned());
            foreach (var f in allFiles ? d.Files : d.Files.OrderByDescending(f => Math.Abs(f.DeltaBytes)).ThenBy(f => f.Path, StringComparer.Ordinal).Take(FilesShown))
            {
                files.AddRow(TerminalText.Cell(f.Path), f.Change, CompareTable.Delta(f.DeltaBytes, "bytes"));
            }

            parts.Add(files);
            if (!allFiles && d.Files.Count > FilesShown)
            {
                parts.Add(new Markup($"({d.Files.Count - FilesShown} more changed files: --files lists them all)\n"));
            }
        }

        if (d.Layers is { } layers)
        {
            var table = new Table().Border(TableBorder.Rounded).AddColumn("layer").AddColumn("status").AddColumn("diffID")
                .AddColumn(new TableColumn("added").RightAligned()).AddColumn(new TableColumn("modified").RightAligned()).AddColumn(new TableColumn("removed").RightAligned());
            foreach (var l in layers)
            {
                table.AddRow(l.Index.ToString(System.Globalization.CultureInfo.InvariantCulture), l.Status, TerminalText.Cell(Short(l.DiffId)),
                    $"{CompareTable.Figure(l.AddedBytes, "bytes")} in {l.AddedFiles}", $"{CompareTable.Figure(l.ModifiedBytes, "bytes")} in {l.ModifiedFiles}",
                    $"{CompareTable.Figure(l.RemovedBytes, "bytes")} in {l.RemovedFiles}");
            }

            parts.Add(table);
        }

        if (d.Surface is { } surface)
        {
            parts.Add(new Markup($"surface: {surface.Count(s => s.Change == "gained")} items gained, {surface.Count(s => s.Change == "lost")} lost\n"));
            if (surface.Count > 0)
            {
                var table = new Table().Border(TableBorder.Rounded).AddColumn("change").AddColumn("class").AddColumn("name").AddColumn("path").AddColumn("detail");
                foreach (var s in surface)
                {
                    table.AddRow(s.Change, TerminalText.Cell(s.Class), TerminalText.Cell(s.Name), TerminalText.Cell(s.Path), TerminalText.Cell(s.Detail ?? string.Empty));
                }

                parts.Add(table);
            }
        }

        if (d.Vulnerabilities is { } findings)
        {
            parts.Add(new Markup($"vulnerabilities: {findings.Count(f => f.Change == "fixed")} fixed, {findings.Count(f => f.Change == "introduced")} introduced\n"));
            if (findings.Count > 0)
            {
                var table = new Table().Border(TableBorder.Rounded).AddColumn("change").AddColumn("id").AddColumn("package").AddColumn("version").AddColumn("severity");
                foreach (var f in findings)
                {
                    table.AddRow(f.Change, TerminalText.Cell(f.Id), TerminalText.Cell(f.Package), TerminalText.Cell(f.Version), TerminalText.Cell(f.Severity));
                }

                parts.Add(table);
            }
        }

        return new Rows(parts);
    }

    private static string Totals(string what, ChangeTotals t)
        => $"{what}: {t.Added} added ({CompareTable.Delta(t.AddedBytes, "bytes")}), {t.Removed} removed ({CompareTable.Delta(-t.RemovedBytes, "bytes")}), "
            + $"{t.Changed} changed ({CompareTable.Delta(t.ChangedDeltaBytes, "bytes")}), {t.Unchanged} unchanged; net {CompareTable.Delta(t.DeltaBytes, "bytes")}";

    private static string Short(string? digest) => digest is null ? "-" : digest.Length > 19 ? digest[..19] : digest;
}
