using Footprint.Analyzers.Identity;
using Footprint.Reports;
using Spectre.Console.Rendering;
using Spectre.Console;

namespace Footprint.Cli.Rendering;

/// <summary>Renders a report for the terminal; produces renderables, never writes to the console itself.</summary>
internal static class MeasureTable
{
    public static IRenderable Render(Report report)
    {
        var rows = new List<IRenderable>();
        foreach (var a in report.Artifacts)
        {
            rows.Add(RenderArtifact(a));
        }

        return new Rows(rows);
    }

    private static IRenderable RenderArtifact(ArtifactReport a)
    {
        var os = a.Identity.Os;
        var title = $"[bold]{TerminalText.Cell(a.Input)}[/] [grey]({TerminalText.Cell(a.Kind)})[/]";
        var summary = new Table().Border(TableBorder.Rounded).Title(title).AddColumn("Measure").AddColumn(new TableColumn("Value").RightAligned()).AddColumn("How");
        summary.AddRow("System", TerminalText.Cell(SystemName(os)), TerminalText.Cell(os is null ? "no os-release or release file" : string.Join("; ", os.Evidence.Select(e => e.Path))));
        summary.AddRow("Architecture", TerminalText.Cell(a.Identity.Architecture?.Value ?? "unknown"), TerminalText.Cell(a.Identity.Architecture?.Source ?? string.Empty));
        summary.AddRow("Download", a.Download.TotalBytes is { } t ? Bytes(t) : "n/a", TerminalText.Cell(a.Download.Method));
        if (a.Download.Have is { } have)
        {
            summary.AddRow($"  with {TerminalText.Cell(have.Other)} cached", Bytes(have.BytesToPull), Plural.Of(have.SharedLayers, "shared layer"));
        }

        var i = a.Installed;
        if (a.Composition is { } comp)
        {
            summary.AddRow("Composed as", TerminalText.Cell(comp.Rule), TerminalText.Cell($"{Plural.Of(comp.Components.Count, "component")} from the {comp.Medium} medium: {comp.Description}"));
        }

        if (a.RamResident is { } ram)
        {
            summary.AddRow("RAM-resident (lower bound)", Bytes(ram.MinimumBytes), TerminalText.Cell($"default boot; {Bytes(ram.ToRamBytes)} with copy-to-RAM; kernel and processes come on top"));
        }

        KernelRows.Add(summary, a, Bytes);
        summary.AddRow("Installed (apparent)", Bytes(i.ApparentBytes), "regular files, hard links once");
        summary.AddRow("Installed (on disk)", Bytes(i.OnDiskBytes), $"{i.BlockSizeBytes / 1024} KiB blocks, ext4 model");
        summary.AddRow("Entries", Plural.Of(i.Files, "file"), $"{Plural.Of(i.Directories, "dir")}, {Plural.Of(i.Symlinks, "symlink")}, {Plural.Of(i.HardLinks, "hard link")}");
        if (a.Inventory is { } inv)
        {
            summary.AddRow("Packages", inv.Databases.Count == 0 ? "no database" : inv.Packages.Count.ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
                TerminalText.Cell(inv.Databases.Count == 0 ? "no package database found" : string.Join(", ", inv.Databases.Select(d => $"{d.Ecosystem}: {d.Path}"))));
            summary.AddRow("Unowned", Bytes(inv.UnownedBytes), "installed bytes no package declares");
            var missing = inv.Packages.Sum(p => p.MissingFiles);
            if (missing > 0)
            {
                summary.AddRow("Missing files", missing.ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
                    $"declared by {Plural.Of(inv.Packages.Count(p => p.MissingFiles > 0), "package")} but absent");
            }
        }

        if (a.Lint is { } lint)
        {
            summary.AddRow("C library / lint", TerminalText.Cell(LintTable.LibcText(lint.Libc)), $"{Plural.Of(lint.Findings.Count, "lint finding")} ({LintTable.Counts(lint)})");
        }

        if (a.Surface is { } surface)
        {
            summary.AddRow("Surface", $"score {surface.Score.Total}", TerminalText.Cell(SurfaceTable.Summary(surface)));
        }

        if (a.Installed.Layers.Count > 1)
        {
            summary.AddRow("Wasted", Bytes(i.WastedBytes), $"efficiency {i.Efficiency:P1}");
        }

        if (a.ExcludedPaths.Count > 0)
        {
            summary.AddRow("Skipped", a.ExcludedPaths.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                TerminalText.Cell(string.Join(", ", a.ExcludedPaths.Take(6)) + (a.ExcludedPaths.Count > 6 ? ", ..." : string.Empty)));
        }

        if (a.Warnings.Count > 0)
        {
            summary.AddRow("[yellow]Warnings[/]", a.Warnings.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), TerminalText.Cell(a.Warnings[0].Message));
        }

        var dirs = new Table().Border(TableBorder.Simple).Title("Top directories").AddColumn("Path").AddColumn(new TableColumn("Apparent").RightAligned()).AddColumn(new TableColumn("Files").RightAligned());
        foreach (var d in i.TopDirectories.Where(d => d.ApparentBytes > 0).Take(12))
        {
            dirs.AddRow(TerminalText.Cell(d.Path), Bytes(d.ApparentBytes), d.Files.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        }

        var files = new Table().Border(TableBorder.Simple).Title("Largest files").AddColumn("Path").AddColumn(new TableColumn("Bytes").RightAligned()).AddColumn("Layer");
        foreach (var f in i.LargestFiles)
        {
            files.AddRow(TerminalText.Cell(f.Path), Bytes(f.Bytes), f.Layer.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var parts = new List<IRenderable> { summary, new Columns(dirs, files) { Expand = false } };
        if (a.Composition is { } composition)
        {
            var comps = new Table().Border(TableBorder.Simple).Title("Components").AddColumn("#").AddColumn("Component").AddColumn("Role").AddColumn("Compression")
                .AddColumn(new TableColumn("Stored").RightAligned()).AddColumn(new TableColumn("Expanded").RightAligned()).AddColumn(new TableColumn("Ratio").RightAligned()).AddColumn("In RAM");
            foreach (var c in composition.Components)
            {
                var resident = a.RamResident?.Components.FirstOrDefault(r => r.Layer == c.Layer);
                comps.AddRow(c.Layer.ToString(System.Globalization.CultureInfo.InvariantCulture), TerminalText.Cell(c.Path.Length == 0 ? "(the file)" : c.Path), TerminalText.Cell(c.Role),
                    TerminalText.Cell(c.Compression ?? "?"), Bytes(c.StoredBytes), Bytes(c.ExpandedBytes),
                    string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{c.CompressionRatio:0.00}x"), TerminalText.Cell(resident is null ? "" : $"{resident.Residency} / {resident.ToRamResidency}"));
            }

            parts.Add(comps);
        }

        if (i.Layers.Count > 1 && a.Composition is null)
        {
            var layers = new Table().Border(TableBorder.Simple).Title("Layers").AddColumn("#").AddColumn("Digest")
                .AddColumn(new TableColumn("Download").RightAligned()).AddColumn(new TableColumn("Added").RightAligned())
                .AddColumn(new TableColumn("Modified").RightAligned()).AddColumn(new TableColumn("Removed").RightAligned()).AddColumn(new TableColumn("Wasted").RightAligned());
            foreach (var l in i.Layers)
            {
                var dl = a.Download.Layers.FirstOrDefault(x => x.Index == l.Index);
                layers.AddRow(l.Index.ToString(System.Globalization.CultureInfo.InvariantCulture), TerminalText.Cell(Short(l.Digest)), dl is null ? "" : Bytes(dl.DownloadBytes),
                    Bytes(l.AddedBytes), Bytes(l.ModifiedBytes), Bytes(l.RemovedBytes), Bytes(l.WastedBytes));
            }

            parts.Add(layers);
        }

        return new Rows(parts);
    }

    private static string Short(string? digest) => digest is null ? "-" : digest.Length > 19 ? digest[..19] : digest;

    internal static string Bytes(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double v = bytes;
        var u = 0;
        while (v >= 1024 && u < units.Length - 1)
        {
            v /= 1024;
            u++;
        }

        return u == 0 ? $"{bytes} B" : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{v:0.0} {units[u]}");
    }

    /// <summary>
    /// The pretty name plus the exact release when the name does not hold it ("Alpine Linux v3.20, release 3.20.3";
    /// "openwrt, release 15.05.1 (chaos_calmer)"): anything keyed on the version needs the exact one.
    /// </summary>
    internal static string SystemName(OsReport? os)
    {
        var name = os?.PrettyName ?? os?.Name ?? os?.Id ?? "unknown";
        if (os?.DistroVersion is { Length: > 0 } release && !name.Contains(release, StringComparison.OrdinalIgnoreCase))
        {
            name += ", release " + release;
        }

        if (os?.Codename is { Length: > 0 } codename && !name.Contains(codename, StringComparison.OrdinalIgnoreCase))
        {
            name += $" ({codename})";
        }

        return name;
    }
}
