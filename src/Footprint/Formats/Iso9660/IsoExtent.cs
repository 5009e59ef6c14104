namespace Footprint.Formats.Iso9660;

/// <summary>One contiguous run of a file's bytes in the image.</summary>
public readonly record struct IsoExtent(long OffsetBytes, long LengthBytes);
