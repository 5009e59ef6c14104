using Footprint.Reports.Catalog;
using Footprint.Reports.Choices;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Footprint.Cli.Rendering;

/// <summary>`footprint catalog list` for the terminal. Renderables only.</summary>
internal static class CatalogTable
{
    public static IRenderable Render(IReadOnlyList<CatalogEntry> entries)
    {
        if (entries.Count == 0)
        {
            return new Markup("the catalog is empty (footprint catalog add ARTIFACT...)\n");
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumns("name", "system", "world", "arch", "libc", "init", "download", "on disk", "RAM-resident", "min RAM (measured)");
        foreach (var e in entries)
        {
            table.AddRow(TerminalText.Cell(e.Name), TerminalText.Cell(e.Identity.OsName ?? "-"), TerminalText.Cell(e.Identity.World), TerminalText.Cell(e.Identity.Architecture ?? "-"),
                TerminalText.Cell(e.Libc.Name), TerminalText.Cell(e.Init ?? "-"), Size(e.Sizes.DownloadBytes), Size(e.Sizes.InstalledOnDiskBytes),
                Size(e.Sizes.RamResidentBytes), Size(e.RunningMemory?.MinimumRamBytes));
        }

        return table;
    }

    private static string Size(long? bytes) => bytes is { } b ? ByteText.Format(b) : "-";
}
