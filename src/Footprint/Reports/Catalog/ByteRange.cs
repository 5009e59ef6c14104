namespace Footprint.Reports.Catalog;

/// <summary>An inclusive range of sizes in bytes.</summary>
public sealed record ByteRange(long FromBytes, long ToBytes);
