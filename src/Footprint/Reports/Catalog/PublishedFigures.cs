using Footprint.Formats;

namespace Footprint.Reports.Catalog;

/// <summary>
/// catalog/published.json: figures from the seed and the distributions' own documentation, each with its source.
/// Read field by field like a catalog (docs/choose.md, "Published figures"); bad input names the JSON path.
/// </summary>
public static class PublishedFigures
{
    public const string MinimumRam = "minimum-ram-bytes";

    public const string IdleRam = "idle-ram-bytes";

    public const string Download = "download-bytes";

    public const string Flash = "flash-bytes";

    public static readonly IReadOnlyList<string> Kinds = [MinimumRam, IdleRam, Download, Flash];

    public static IReadOnlyList<PublishedFigure> Read(string source, ReadOnlySpan<byte> json)
    {
        if (json.Length > CatalogReader.MaxFileBytes)
        {
            throw new FootprintFormatException(source, null, $"{json.Length} bytes, more than the {CatalogReader.MaxFileBytes} accepted");
        }

        // Invalid UTF-8 refused up front, as for catalogs (CatalogReader.Parse).
        var document = Sources.Image.JsonFields.Parse(json.ToArray(), source);

        using (document)
        {
            var root = new JsonPathNode(source, document.RootElement, "$");
            root.Keys(["schemaVersion", "document", "figures"], ["schemaVersion", "document", "figures"]);
            if (root.Get("schemaVersion").String(16) != "1.0")
            {
                throw root.Get("schemaVersion").Error("must be \"1.0\"");
            }

            if (root.Get("document").String(32) != "published-figures")
            {
                throw root.Get("document").Error("must be \"published-figures\"");
            }

            return root.Get("figures").Array(10_000, f =>
            {
                f.Keys(["osId", "figure", "bytes", "quote", "document", "section", "provenance"],
                    ["osId", "figure", "bytes", "quote", "document", "section", "url", "provenance"]);
                var figure = f.Get("figure").String(32);
                if (!Kinds.Contains(figure))
                {
                    throw f.Get("figure").Error($"\"{figure}\" is not one of {string.Join(", ", Kinds)}");
                }

                if (f.Get("provenance").String(16) != "published")
                {
                    throw f.Get("provenance").Error("must be \"published\"");
                }

                return new PublishedFigure(f.Get("osId").Word(), figure, f.Get("bytes").Integer(), f.Get("quote").String(1024),
                    f.Get("document").String(1024), f.Get("section").String(1024), f.Optional("url")?.String(2048));
            });
        }
    }
}
