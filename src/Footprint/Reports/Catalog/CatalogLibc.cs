namespace Footprint.Reports.Catalog;

/// <summary>The C library family (glibc, musl, uclibc, none) and the version the lint section found.</summary>
public sealed record CatalogLibc(string Name, string? Version);
