namespace Footprint.Reports.Catalog;

/// <summary>The sizes `measure` reports (docs/measures.md), in bytes; null when not measured for this kind of artifact.</summary>
/// <param name="DownloadBytes">What a pull or download transfers.</param>
/// <param name="InstalledApparentBytes">Sum of regular-file sizes, hard links once.</param>
/// <param name="InstalledOnDiskBytes">ext4-like blocks.</param>
/// <param name="RamResidentBytes">What a run-from-RAM system holds after boot with its default options: a lower bound
/// on running memory (live media, firmware).</param>
/// <param name="RamResidentToRamBytes">The same with everything copied into RAM (toram).</param>
public sealed record CatalogSizes(long? DownloadBytes, long InstalledApparentBytes, long InstalledOnDiskBytes, long? RamResidentBytes, long? RamResidentToRamBytes);
