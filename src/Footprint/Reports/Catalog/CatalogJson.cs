using System.Text.Json;
using Footprint.Reports.Json;

namespace Footprint.Reports.Catalog;

/// <summary>Catalog files and stored entries as JSON (camelCase, nulls omitted), documented by docs/catalog.schema.json.</summary>
public static class CatalogJson
{
    /// <summary>Largest catalog file read.</summary>
    public const int MaxFileBytes = CatalogReader.MaxFileBytes;

    private static readonly CatalogJsonContext Context = new(new JsonSerializerOptions(CatalogJsonContext.Default.Options)
    {
        Encoder = ReadableJsonEncoder.Instance,
    });

    public static void Write(CatalogDocument document, Stream output) => JsonSerializer.Serialize(output, document, Context.CatalogDocument);

    public static byte[] Entry(CatalogEntry entry) => JsonSerializer.SerializeToUtf8Bytes(entry, Context.CatalogEntry);

    /// <summary>A catalog file, every field checked (<see cref="CatalogReader"/>); bad input throws naming the JSON path.</summary>
    public static CatalogDocument Read(string source, ReadOnlySpan<byte> json) => CatalogReader.Document(source, json);

    /// <summary>One stored entry, checked the same way.</summary>
    public static CatalogEntry ReadEntry(string source, ReadOnlySpan<byte> json) => CatalogReader.Entry(source, json);
}
