using System.Globalization;
using Footprint.Reports;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Footprint.Cli.Rendering;

/// <summary>The package inventory for the terminal; produces renderables only.</summary>
internal static class InventoryTable
{
    public static IRenderable Render(Report report)
        => new Rows(report.Artifacts.Select(RenderArtifact));

    private static IRenderable RenderArtifact(ArtifactReport a)
    {
        var inv = a.Inventory;
        if (inv is null || inv.Databases.Count == 0)
        {
            return new Markup($"[bold]{TerminalText.Cell(a.Input)}[/]: no package database found; all {MeasureTable.Bytes(a.Installed.ApparentBytes)} are unowned\n");
        }

        var table = new Table().Border(TableBorder.Rounded)
            .Title($"[bold]{TerminalText.Cell(a.Input)}[/] [grey]({string.Join(", ", inv.Databases.Select(d => TerminalText.Cell($"{d.Ecosystem} {d.Path}")))})[/]")
            .AddColumn("Package").AddColumn("Version").AddColumn("Arch")
            .AddColumn(new TableColumn("Declared").RightAligned()).AddColumn(new TableColumn("Measured").RightAligned())
            .AddColumn(new TableColumn("Files").RightAligned()).AddColumn(new TableColumn("Missing").RightAligned());
        var split = inv.Base is { Matched: true };
        if (split)
        {
            table.AddColumn("Origin");
        }

        foreach (var p in inv.Packages)
        {
            string[] cells = [TerminalText.Cell(p.Name), TerminalText.Cell(p.Version), TerminalText.Cell(p.Architecture ?? "-"),
                p.DeclaredBytes is { } d ? MeasureTable.Bytes(d) : "-", p.MeasuredBytes is { } m ? MeasureTable.Bytes(m) : "-",
                p.DeclaredFiles.ToString(CultureInfo.InvariantCulture), p.MissingFiles == 0 ? "0" : $"[yellow]{p.MissingFiles}[/]"];
            table.AddRow(split ? [.. cells, p.Origin == "added" ? "[green]added[/]" : TerminalText.Cell(p.Origin ?? "-")] : cells);
        }

        table.Caption($"{Plural.Of(inv.Packages.Count, "package")}; owned {MeasureTable.Bytes(inv.OwnedBytes)}, unowned {MeasureTable.Bytes(inv.UnownedBytes)}" +
            (inv.Unknowns.Count > 0 ? $"; {Plural.Of(inv.Unknowns.Count, "unreadable record")}" : string.Empty) +
            (inv.Base switch
            {
                { Matched: true } b => $"\nbase {TerminalText.Cell(b.Reference)} ({Plural.Of(b.BaseLayers, "layer")}): {b.BasePackages} base, {b.ChangedPackages} changed, {Plural.Of(b.AddedPackages, "added package")}; {MeasureTable.Bytes(b.AddedBytes)} written on top, {MeasureTable.Bytes(b.RemovedBytes)} of the base removed",
                { } b => $"\n[yellow]base {TerminalText.Cell(b.Reference)} does not match: {TerminalText.Cell(b.Reason ?? "")}[/]",
                null => string.Empty,
            }));
        return table;
    }
}
