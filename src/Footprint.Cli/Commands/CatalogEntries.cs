using Footprint.Cli.Rendering;
using Footprint.Reports.Catalog;
using Footprint.Reports.Choices;
using Footprint.Store.Catalog;

namespace Footprint.Cli.Commands;

/// <summary>The catalogs `choose` reads: the user's (the store) and the shipped one with its published figures (embedded in the program).</summary>
internal static class CatalogEntries
{
    /// <summary>The user's entries; a damaged row is skipped with a note on standard error (never trusted, never fatal).</summary>
    public static IReadOnlyList<CatalogEntry> User(CatalogStore store)
    {
        var entries = new List<CatalogEntry>();
        foreach (var row in store.List())
        {
            if (row.Json is null)
            {
                Console.Error.WriteLine($"footprint: note: catalog entry {TerminalText.Escape(row.Name)} in {TerminalText.Escape(store.FilePath)} is damaged ({TerminalText.Escape(row.Damage ?? "?")}); skipped (catalog remove it, then add it again)");
                continue;
            }

            entries.Add(CatalogJson.ReadEntry($"{store.FilePath} (catalog entry {row.Name})", row.Json));
        }

        return entries;
    }

    public static IReadOnlyList<CatalogEntry> Shipped() => CatalogJson.Read("catalog/shipped.json (shipped)", Resource("footprint.catalog.shipped.json")).Entries;

    public static IReadOnlyList<PublishedFigure> Published() => PublishedFigures.Read("catalog/published.json (shipped)", Resource("footprint.catalog.published.json"));

    /// <summary>The shipped entries (unless left out) and the user's (none when <paramref name="store"/> could not be opened).</summary>
    public static IReadOnlyList<CatalogCandidate> Candidates(CatalogStore? store, bool shipped)
        => [.. (shipped ? Shipped() : []).Select(e => new CatalogCandidate(e, CatalogCandidate.Shipped)),
            .. (store is null ? [] : User(store)).Select(e => new CatalogCandidate(e, CatalogCandidate.User))];

    private static byte[] Resource(string name)
    {
        using var stream = typeof(CatalogEntries).Assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException($"resource {name} is missing from this build");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
