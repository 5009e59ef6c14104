namespace Footprint.Formats.Squashfs;

/// <summary>The compressor id in the superblock (squashfs-tools <c>squashfs_fs.h</c>: ZLIB_COMPRESSION 1 .. ZSTD_COMPRESSION 6).</summary>
public enum SquashfsCompression
{
    Gzip = 1,
    Lzma = 2,
    Lzo = 3,
    Xz = 4,
    Lz4 = 5,
    Zstd = 6,
}
