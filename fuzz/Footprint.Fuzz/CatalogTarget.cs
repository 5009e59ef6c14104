using Footprint.Formats;
using Footprint.Reports.Catalog;
using Footprint.Reports.Choices;

namespace Footprint.Fuzz;

/// <summary>
/// The files `catalog import` and `choose` read (src/Footprint/Reports/Catalog): the input as a catalog document, as
/// one entry, and as published figures; whatever is read is then given to the chooser under a few constraints, as
/// `choose` does. Only FootprintFormatException may come out of the readers.
/// </summary>
internal static class CatalogTarget
{
    private static readonly Reports.ToolInfo Tool = new("footprint", "fuzz");

    private static readonly ChoiceConstraints[] Constraints =
    [
        new(),
        new() { RamBytes = 64L << 20, DiskBytes = 1L << 30, DownloadBytes = 50L << 20, Architecture = "amd64", Libc = "musl" },
        new() { InitDenied = ["systemd"], Needs = ["python3", "sh"], World = "embedded", MaxVulnerabilities = 0, MaxReachable = 0 },
    ];

    public static void Fuzz(byte[] input)
    {
        var entries = new List<CatalogEntry>();
        try
        {
            entries.AddRange(CatalogReader.Document("fuzz", input).Entries);
        }
        catch (FootprintFormatException)
        {
        }

        try
        {
            entries.Add(CatalogReader.Entry("fuzz", input));
        }
        catch (FootprintFormatException)
        {
        }

        IReadOnlyList<PublishedFigure> published = [];
        try
        {
            published = PublishedFigures.Read("fuzz", input);
        }
        catch (FootprintFormatException)
        {
        }

        var candidates = entries.Select(e => new CatalogCandidate(e, CatalogCandidate.User)).ToList();
        foreach (var constraints in Constraints)
        {
            _ = Chooser.Choose(candidates, published, constraints, Tool);
        }
    }
}
