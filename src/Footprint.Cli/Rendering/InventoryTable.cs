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
            return new Markup($"[bold]{Markup.Escape(a.Input)}[/]: no package database found; all {MeasureTable.Bytes(a.Installed.ApparentBytes)} are unowned\n");
        }

        var table = new Table().Border(TableBorder.Rounded)
            .Title($"[bold]{Markup.Escape(a.Input)}[/] [grey]({string.Join(", ", inv.Databases.Select(d => $"{d.Ecosystem} {d.Path}"))})[/]")
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
            string[] cells = [Markup.Escape(p.Name), Markup.Escape(p.Version), Markup.Escape(p.Architecture ?? "-"),
                p.DeclaredBytes is { } d ? MeasureTable.Bytes(d) : "-", p.MeasuredBytes is { } m ? MeasureTable.Bytes(m) : "-",
                p.DeclaredFiles.ToString(CultureInfo.InvariantCulture), p.MissingFiles == 0 ? "0" : $"[yellow]{p.MissingFiles}[/]"];
            table.AddRow(split ? [.. cells, p.Origin == "added" ? "[green]added[/]" : Markup.Escape(p.Origin ?? "-")] : cells);
        }

        table.Caption($"{inv.Packages.Count} packages; owned {MeasureTable.Bytes(inv.OwnedBytes)}, unowned {MeasureTable.Bytes(inv.UnownedBytes)}" +
            (inv.Unknowns.Count > 0 ? $"; {inv.Unknowns.Count} unreadable records" : string.Empty) +
            (inv.Base switch
            {
                { Matched: true } b => $"\nbase {Markup.Escape(b.Reference)} ({b.BaseLayers} layers): {b.BasePackages} base, {b.ChangedPackages} changed, {b.AddedPackages} added packages; {MeasureTable.Bytes(b.AddedBytes)} written on top, {MeasureTable.Bytes(b.RemovedBytes)} of the base removed",
                { } b => $"\n[yellow]base {Markup.Escape(b.Reference)} does not match: {Markup.Escape(b.Reason ?? "")}[/]",
                null => string.Empty,
            }));
        return table;
    }
}
