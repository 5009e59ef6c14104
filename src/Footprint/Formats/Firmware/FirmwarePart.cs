namespace Footprint.Formats.Firmware;

/// <summary>One thing found inside a flash image, with exact bounds where the format gives them.</summary>
/// <param name="Offset">Byte offset of the part's first byte (its magic or header) in the image.</param>
/// <param name="Length">
/// Bytes the part occupies: from its own header when the format records it (uImage header + data size, squashfs
/// bytes_used, ext blocks x block size...), from an enclosing header (a uImage's or TP-Link header's kernel size bounds the
/// compressed kernel inside), else the distance to the next part or the end of the image (Details["bounded"] = "false").
/// </param>
/// <param name="Type">
/// One of "uimage", "trx", "tplink-header", "sysupgrade-metadata", "squashfs", "jffs2", "jffs2-eof-marker", "gzip", "xz",
/// "lzma", "bzimage", "cpio", "iso9660", "fat", "ext", "padding", "unknown".
/// </param>
/// <param name="Description">One human-readable line, e.g. "squashfs 4.0, xz, 262144-byte blocks, 705 inodes".</param>
/// <param name="Details">The header fields, by name (e.g. "name", "compression", "bytes_used", "supported").</param>
public sealed record FirmwarePart(long Offset, long Length, string Type, string Description, IReadOnlyDictionary<string, string> Details);
