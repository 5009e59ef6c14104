namespace Footprint.Formats.Cpio;

/// <summary>
/// One piece of an initramfs as the kernel sees it: a cpio archive stored as is, or one compressed stream holding
/// one or more cpio archives. <paramref name="StoredBytes"/> counts the segment's own bytes (for compressed streams
/// exactly to the stream's end, e.g. the gzip trailer; for a stored archive through its TRAILER!!! entry); the zero
/// padding between segments belongs to none. <paramref name="Compression"/> is "none", "gzip", "bzip2", "lzma",
/// "xz", "lz4" or "zstd".
/// </summary>
public sealed record InitramfsSegment(int Index, long Offset, long StoredBytes, long ExpandedBytes, string Compression, CpioFormat? Format, int Entries);
