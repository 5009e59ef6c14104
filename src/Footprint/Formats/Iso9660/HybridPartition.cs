namespace Footprint.Formats.Iso9660;

/// <summary>
/// A partition of an isohybrid image's MBR (offset 446) or GPT (LBA 1, 512-byte sectors) in the system area.
/// </summary>
/// <param name="Index">1-based slot in the table.</param>
/// <param name="Scheme">"mbr" or "gpt".</param>
/// <param name="TypeCode">MBR: the type byte in hex ("0xef"); GPT: the type GUID ("c12a7328-f81f-11d2-ba4b-00a0c93ec93b").</param>
/// <param name="StartBytes">First byte of the partition in the image.</param>
/// <param name="LengthBytes">Partition length.</param>
/// <param name="Bootable">MBR: status 0x80; GPT: attribute bit 2 (legacy BIOS bootable).</param>
/// <param name="Name">GPT partition name; null for MBR.</param>
public sealed record HybridPartition(int Index, string Scheme, string TypeCode, long StartBytes, long LengthBytes, bool Bootable, string? Name);
