namespace Footprint.Formats.Iso9660;

/// <summary>
/// One bootable image of the El Torito boot catalog (initial/default entry or a section entry).
/// </summary>
/// <param name="Platform">"x86-bios", "efi", "ppc", "mac", or the platform id in hex ("0x12").</param>
/// <param name="Bootable">Boot indicator 0x88.</param>
/// <param name="MediaType">"no-emulation", "floppy-1.2M", "floppy-1.44M", "floppy-2.88M", "hard-disk" (or hex).</param>
/// <param name="LoadSegment">As stored (0 means the BIOS default 0x7C0).</param>
/// <param name="SystemType">Partition type byte (hard-disk emulation).</param>
/// <param name="SectorCount">Virtual (512-byte) sectors loaded by the BIOS.</param>
/// <param name="LoadRba">The image's first logical block.</param>
/// <param name="ImageOffsetBytes"><paramref name="LoadRba"/> times the logical block size.</param>
/// <param name="ImagePath">The file whose extent starts at <paramref name="LoadRba"/>, when one does.</param>
public sealed record ElToritoEntry(
    string Platform,
    bool Bootable,
    string MediaType,
    int LoadSegment,
    int SystemType,
    int SectorCount,
    long LoadRba,
    long ImageOffsetBytes,
    string? ImagePath);
