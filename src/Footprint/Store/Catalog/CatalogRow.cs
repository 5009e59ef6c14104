namespace Footprint.Store.Catalog;

/// <summary>One stored catalog entry: its JSON, or (when the row failed its checksum) why it cannot be trusted.</summary>
/// <param name="Name">The entry's name (the table's key).</param>
/// <param name="Json">The entry as stored; null when damaged.</param>
/// <param name="Damage">What is wrong with the row; null when it is sound.</param>
public sealed record CatalogRow(string Name, byte[]? Json, string? Damage);
