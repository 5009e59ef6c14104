namespace Footprint.Sources.LiveMedia;

/// <summary>A region of the medium: a boot image, a partition, a firmware part.</summary>
public sealed record MediumPart(string Type, long Offset, long Length, string Description);
