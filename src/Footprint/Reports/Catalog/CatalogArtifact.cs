namespace Footprint.Reports.Catalog;

/// <summary>The artifact that was measured.</summary>
/// <param name="Input">As given to `catalog add`.</param>
/// <param name="Kind">The report's kind (rootfs-tar, oci-layout, iso, firmware...).</param>
/// <param name="Digest">The image's manifest digest; for a file, sha256 of its bytes; null for a directory.</param>
public sealed record CatalogArtifact(string Input, string Kind, string? Digest);
