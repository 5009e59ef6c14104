using Footprint.Formats;

namespace Footprint.FileSystem;

/// <summary>
/// Bytes a tree occupies once written to an ext4 filesystem with 4 KiB blocks (the default of
/// mke2fs for anything above 512 MiB), so images, tarballs and directories are compared on one
/// scale. Files take whole blocks for their data (sparse holes take none); a directory takes the
/// blocks its entries need (ext4 dirent: 8 bytes + name, 4-byte aligned; htree adds an index
/// block once it spans several); a symlink whose target fits in the inode (under 60 bytes, a
/// "fast symlink") takes none. Inode tables and journal are filesystem overhead, not counted,
/// the same as du does.
/// </summary>
public static class DiskUsageModel
{
    public const int BlockSizeBytes = 4096;

    /// <summary>ext4 stores symlink targets shorter than this inside the inode (i_block is 60 bytes).</summary>
    public const int FastSymlinkMaxBytes = 59;

    private const int DirentHeaderBytes = 8;
    private const int DotEntriesBytes = 24;

    public static long Blocks(long bytes) => (bytes + BlockSizeBytes - 1) / BlockSizeBytes * BlockSizeBytes;

    public static long FileBytes(FileData data) => Blocks(data.DataBytes);

    /// <summary>Bytes one directory entry takes: 8-byte header plus the name, padded to 4 (ext4 struct ext4_dir_entry_2).</summary>
    public static int DirentBytes(string name) => (DirentHeaderBytes + System.Text.Encoding.UTF8.GetByteCount(name) + 3) & ~3;

    public static long DirectoryBytes(FsNode dir)
    {
        long used = DotEntriesBytes;
        if (dir.DirentBytes is { } listed)
        {
            used += listed;
        }
        else
        {
            foreach (var child in dir.ChildNodes)
            {
                used += DirentBytes(child.Name);
            }
        }

        var blocks = Blocks(used);
        return blocks > BlockSizeBytes ? blocks + BlockSizeBytes : blocks;
    }

    public static long SymlinkBytes(FsNode link)
        => System.Text.Encoding.UTF8.GetByteCount(link.LinkTarget ?? string.Empty) > FastSymlinkMaxBytes ? BlockSizeBytes : 0;

    /// <summary>On-disk bytes of one node, without counting shared file data twice (the caller dedups).</summary>
    public static long NodeBytes(FsNode node, bool countData) => node.Kind switch
    {
        FileKind.Directory => DirectoryBytes(node),
        FileKind.Symlink => SymlinkBytes(node),
        FileKind.Regular when countData && node.Data is { } d => FileBytes(d),
        _ => 0,
    };
}
