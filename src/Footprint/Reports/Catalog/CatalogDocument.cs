namespace Footprint.Reports.Catalog;

/// <summary>
/// A catalog file (`catalog export`, `catalog import`, catalog/shipped.json), documented by docs/catalog.schema.json.
/// </summary>
public sealed record CatalogDocument
{
    public const string CurrentSchemaVersion = "1.0";

    public string SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>Always "catalog".</summary>
    public string Document { get; init; } = "catalog";

    public required IReadOnlyList<CatalogEntry> Entries { get; init; }
}
