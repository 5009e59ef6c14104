namespace Footprint.Formats.Iso9660;

/// <summary>A file of the image: its path in the names in use, its size and where its bytes are.</summary>
/// <param name="Path">Path without a leading "/".</param>
/// <param name="SizeBytes">Data length (multi-extent parts summed).</param>
/// <param name="Extents">Byte ranges of the image, in file order (several for multi-extent files).</param>
/// <param name="Entry">The entry as <see cref="IsoReader.GetNextEntry"/> yields it.</param>
public sealed record IsoFile(string Path, long SizeBytes, IReadOnlyList<IsoExtent> Extents, FileEntry Entry);
