using System.Buffers.Binary;

namespace Footprint.Formats.Squashfs;

/// <summary>
/// The 96-byte squashfs 4.0 superblock (squashfs-tools <c>squashfs_fs.h</c>, struct squashfs_super_block; the kernel's
/// Documentation/filesystems/squashfs.rst). All fields little-endian.
/// </summary>
public sealed record SquashfsSuperblock
{
    /// <summary>Size of the on-disk superblock.</summary>
    public const int SizeBytes = 96;

    /// <summary>Table start value meaning "no such table" (xattr, export, fragment tables).</summary>
    public const ulong AbsentTable = ulong.MaxValue;

    public const ushort FlagUncompressedInodes = 0x0001;
    public const ushort FlagUncompressedData = 0x0002;
    public const ushort FlagUncompressedFragments = 0x0008;
    public const ushort FlagNoFragments = 0x0010;
    public const ushort FlagAlwaysFragments = 0x0020;
    public const ushort FlagDuplicates = 0x0040;
    public const ushort FlagExportable = 0x0080;
    public const ushort FlagUncompressedXattrs = 0x0100;
    public const ushort FlagNoXattrs = 0x0200;
    public const ushort FlagCompressorOptions = 0x0400;
    public const ushort FlagUncompressedIds = 0x0800;

    public required SquashfsCompression Compression { get; init; }

    public required int BlockSize { get; init; }

    public required long BytesUsed { get; init; }

    public required uint InodeCount { get; init; }

    public required DateTimeOffset ModificationTime { get; init; }

    /// <summary>The superblock flags (FlagUncompressedInodes...).</summary>
    public required int Flags { get; init; }

    public required uint FragmentCount { get; init; }

    public required int Major { get; init; }

    public required int Minor { get; init; }

    public int BlockLog { get; init; }

    public int IdCount { get; init; }

    public ulong RootInodeRef { get; init; }

    public ulong IdTableStart { get; init; }

    public ulong XattrIdTableStart { get; init; }

    public ulong InodeTableStart { get; init; }

    public ulong DirectoryTableStart { get; init; }

    public ulong FragmentTableStart { get; init; }

    public ulong ExportTableStart { get; init; }

    /// <summary>
    /// Parses a superblock for reading: true for "hsqs" (little-endian) version 4.0 with a known compressor.
    /// False otherwise; <paramref name="unsupported"/> then says why when the magic was squashfs's ("unsupported:
    /// squashfs 2.0 big-endian"), and is null when the bytes are not a squashfs superblock at all.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> head, out SquashfsSuperblock sb, out string? unsupported)
    {
        sb = null!;
        unsupported = null;
        if (!SquashfsProbe.HasMagic(head))
        {
            return false;
        }

        bool little = head[0] == (byte)'h';
        bool big = !little;
        if (head.Length < 32)
        {
            unsupported = "truncated squashfs superblock";
            return false;
        }

        // Versions 1-3 keep s_major/s_minor at byte 28/30 as in 4.0, in the image's byte order.
        int major = little ? BinaryPrimitives.ReadUInt16LittleEndian(head[28..]) : BinaryPrimitives.ReadUInt16BigEndian(head[28..]);
        int minor = little ? BinaryPrimitives.ReadUInt16LittleEndian(head[30..]) : BinaryPrimitives.ReadUInt16BigEndian(head[30..]);
        string order = little ? "little-endian" : "big-endian";
        if (big || major != 4 || minor != 0)
        {
            unsupported = $"unsupported: squashfs {major}.{minor} {order} (only 4.0 little-endian is read)";
            return false;
        }

        if (head.Length < SizeBytes)
        {
            unsupported = "truncated squashfs superblock";
            return false;
        }

        int compression = BinaryPrimitives.ReadUInt16LittleEndian(head[20..]);
        if (compression is < 1 or > 6)
        {
            unsupported = $"unsupported: squashfs compressor id {compression}";
            return false;
        }

        sb = new SquashfsSuperblock
        {
            InodeCount = BinaryPrimitives.ReadUInt32LittleEndian(head[4..]),
            ModificationTime = DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadUInt32LittleEndian(head[8..])),
            BlockSize = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(head[12..]), int.MaxValue),
            FragmentCount = BinaryPrimitives.ReadUInt32LittleEndian(head[16..]),
            Compression = (SquashfsCompression)compression,
            BlockLog = BinaryPrimitives.ReadUInt16LittleEndian(head[22..]),
            Flags = BinaryPrimitives.ReadUInt16LittleEndian(head[24..]),
            IdCount = BinaryPrimitives.ReadUInt16LittleEndian(head[26..]),
            Major = major,
            Minor = minor,
            RootInodeRef = BinaryPrimitives.ReadUInt64LittleEndian(head[32..]),
            BytesUsed = (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(head[40..]), long.MaxValue),
            IdTableStart = BinaryPrimitives.ReadUInt64LittleEndian(head[48..]),
            XattrIdTableStart = BinaryPrimitives.ReadUInt64LittleEndian(head[56..]),
            InodeTableStart = BinaryPrimitives.ReadUInt64LittleEndian(head[64..]),
            DirectoryTableStart = BinaryPrimitives.ReadUInt64LittleEndian(head[72..]),
            FragmentTableStart = BinaryPrimitives.ReadUInt64LittleEndian(head[80..]),
            ExportTableStart = BinaryPrimitives.ReadUInt64LittleEndian(head[88..]),
        };
        return true;
    }

    internal bool HasFlag(ushort flag) => (Flags & flag) != 0;
}
