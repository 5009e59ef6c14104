namespace Footprint.Formats.Squashfs;

/// <summary>
/// One decoded inode (squashfs_fs.h: squashfs_base_inode_header followed by the type's fields). Basic and extended
/// variants decode into the same shape; the extended-only fields default to their "absent" value.
/// </summary>
internal sealed record SquashfsInode
{
    public const uint NoFragment = 0xFFFFFFFF;
    public const uint NoXattr = 0xFFFFFFFF;

    /// <summary>Inode types 1..7 (basic) and 8..14 (extended, the same kinds plus xattrs and wider fields).</summary>
    public int Type { get; init; }

    /// <summary>The basic type (1 dir, 2 file, 3 symlink, 4 block dev, 5 char dev, 6 fifo, 7 socket).</summary>
    public int BasicType => Type > 7 ? Type - 7 : Type;

    public int Mode { get; init; }

    public long Uid { get; init; }

    public long Gid { get; init; }

    public uint ModificationTime { get; init; }

    public uint Number { get; init; }

    public uint LinkCount { get; init; }

    public uint XattrIndex { get; init; } = NoXattr;

    /// <summary>File: bytes; directory: listing bytes + 3 (squashfs counts "." and ".."); symlink: target length.</summary>
    public long FileSize { get; init; }

    // directories
    public uint DirectoryStartBlock { get; init; }

    public int DirectoryOffset { get; init; }

    public uint ParentInode { get; init; }

    // regular files
    public long BlocksStart { get; init; }

    public uint Fragment { get; init; } = NoFragment;

    public uint FragmentOffset { get; init; }

    public uint[] BlockSizes { get; init; } = [];

    // symlinks
    public string? Target { get; init; }

    // devices
    public uint Rdev { get; init; }

    /// <summary>Offset of the inode in the image (for errors and evidence).</summary>
    public long Offset { get; init; }
}
