namespace Footprint.Reports.Catalog;

/// <summary>An installed package.</summary>
public sealed record CatalogPackage(string Name, string Version);
