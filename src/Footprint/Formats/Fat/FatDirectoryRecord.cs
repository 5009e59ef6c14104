namespace Footprint.Formats.Fat;

/// <summary>One live 32-byte directory entry (after long-name assembly), before it becomes a <see cref="FileEntry"/>.</summary>
/// <param name="Name">The long name when its checksum matches the short entry, else the 8.3 name with NTRes case flags.</param>
/// <param name="Attributes">DIR_Attr (0x01 read-only, 0x02 hidden, 0x04 system, 0x10 directory, 0x20 archive).</param>
/// <param name="FirstCluster">DIR_FstClusHI:DIR_FstClusLO (the high word only on FAT32).</param>
/// <param name="SizeBytes">DIR_FileSize (zero for directories).</param>
/// <param name="ModificationTime">DIR_WrtDate/DIR_WrtTime, local time taken as UTC.</param>
/// <param name="Offset">Byte offset of the short entry in the source stream.</param>
internal sealed record FatDirectoryRecord(string Name, byte Attributes, uint FirstCluster, uint SizeBytes, DateTimeOffset ModificationTime, long Offset)
{
    public const byte ReadOnlyAttribute = 0x01;
    public const byte DirectoryAttribute = 0x10;

    public bool IsDirectory => (Attributes & DirectoryAttribute) != 0;
}
