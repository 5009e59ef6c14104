namespace Footprint.Formats.Fat;

/// <summary>What the BIOS parameter block says about a FAT volume.</summary>
/// <param name="FatType">"FAT12", "FAT16" or "FAT32", decided by the cluster count as the Microsoft FAT specification says.</param>
/// <param name="BytesPerSector">BPB_BytsPerSec (512, 1024, 2048 or 4096).</param>
/// <param name="SectorsPerCluster">BPB_SecPerClus (a power of two, 1 to 128).</param>
/// <param name="TotalSectors">BPB_TotSec16, or BPB_TotSec32 when that is zero.</param>
/// <param name="VolumeLabel">The root directory's volume-label entry, else the BPB label; null when neither is set ("NO NAME").</param>
/// <param name="OemName">BS_OEMName, e.g. "mkfs.fat" or "SYSLINUX".</param>
public sealed record FatVolumeInfo(string FatType, int BytesPerSector, int SectorsPerCluster, long TotalSectors, string? VolumeLabel, string OemName);
