namespace Footprint.Analyzers.Packages.Rpm;

/// <summary>A record of an rpm database that could not be read; the others still are.</summary>
/// <param name="Offset">
/// Byte offset of the record in the database file (BerkeleyDB, NDB). SQLite gives no byte offsets,
/// so for it this is the Packages.hnum row id, and <paramref name="Reason"/> says so.
/// </param>
/// <param name="Reason">What was wrong, including the offset inside the header blob where known.</param>
public sealed record RpmUnknown(long Offset, string Reason);
