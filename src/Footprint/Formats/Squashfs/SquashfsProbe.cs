using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;

namespace Footprint.Formats.Squashfs;

/// <summary>
/// What a squashfs superblock says about itself, of any version and byte order (squashfs-tools squashfs_fs.h for 4.0;
/// the 1.x-3.x layout from squashfs 3's squashfs_fs.h), read without trusting anything else in the image: how a carver
/// tells a real superblock from a chance "hsqs" and learns its length. <see cref="SquashfsReader"/> reads 4.0
/// little-endian only; <see cref="Supported"/> says whether the superblock claims that version.
/// </summary>
/// <param name="LittleEndian">True for "hsqs", false for "sqsh".</param>
/// <param name="Major">s_major.</param>
/// <param name="Minor">s_minor.</param>
/// <param name="Compression">The compressor's name ("gzip", "xz"...; versions 1-3 only have gzip).</param>
/// <param name="BlockSizeBytes">The data block size.</param>
/// <param name="BytesUsed">The image's length as the superblock states it (at least <see cref="HeaderBytes"/>).</param>
/// <param name="InodeCount">Inodes in the image.</param>
/// <param name="CreatedUnixSeconds">mkfs_time.</param>
public sealed record SquashfsProbe(bool LittleEndian, int Major, int Minor, string Compression, uint BlockSizeBytes, ulong BytesUsed, uint InodeCount, uint CreatedUnixSeconds)
{
    /// <summary>Bytes of the header <see cref="TryRead"/> needs (the 4.0 superblock; the 1.x-3.x one is shorter).</summary>
    public const int HeaderBytes = SquashfsSuperblock.SizeBytes;

    private static readonly string[] CompressionNames = ["unknown", "gzip", "lzma", "lzo", "xz", "lz4", "zstd"];

    /// <summary>True for version 4.0 (the only version squashfs-tools 4.x and current kernels write).</summary>
    public bool Supported => Major == 4 && Minor == 0;

    /// <summary>"hsqs" (little-endian) or "sqsh" (big-endian) at the start of <paramref name="header"/>.</summary>
    internal static bool HasMagic(ReadOnlySpan<byte> header) => header.StartsWith("hsqs"u8) || header.StartsWith("sqsh"u8);

    /// <summary>
    /// True when <paramref name="header"/> starts with a plausible superblock: the magic, a version from 1 to 4, a
    /// power-of-two block size (4 KiB to 1 MiB for 4.x, matching block_log; 512 bytes to 1 MiB before) and
    /// bytes_used of at least the superblock's size.
    /// </summary>
    internal static bool TryRead(ReadOnlySpan<byte> header, [NotNullWhen(true)] out SquashfsProbe? probe)
    {
        probe = null;
        if (header.Length < HeaderBytes || !HasMagic(header))
        {
            return false;
        }

        bool little = header[0] == (byte)'h';
        byte[] s = header[..HeaderBytes].ToArray(); // the field readers below capture it: a span cannot be captured
        ushort U16(int at) => little ? BinaryPrimitives.ReadUInt16LittleEndian(s.AsSpan(at)) : BinaryPrimitives.ReadUInt16BigEndian(s.AsSpan(at));
        uint U32(int at) => little ? BinaryPrimitives.ReadUInt32LittleEndian(s.AsSpan(at)) : BinaryPrimitives.ReadUInt32BigEndian(s.AsSpan(at));
        ulong U64(int at) => little ? BinaryPrimitives.ReadUInt64LittleEndian(s.AsSpan(at)) : BinaryPrimitives.ReadUInt64BigEndian(s.AsSpan(at));
        int major = U16(28), minor = U16(30);
        ulong bytesUsed;
        uint blockSize, inodes, mkfsTime;
        string compression;
        if (major == 4)
        {
            inodes = U32(4);
            mkfsTime = U32(8);
            blockSize = U32(12);
            int comp = U16(20);
            int blockLog = U16(22);
            bytesUsed = U64(40);
            if (!BitOperations.IsPow2(blockSize) || blockSize < 4096 || blockSize > (1 << 20) || 1u << blockLog != blockSize)
            {
                return false;
            }

            compression = comp < CompressionNames.Length ? CompressionNames[comp] : comp.ToString(CultureInfo.InvariantCulture);
        }
        else if (major is >= 1 and <= 3)
        {
            inodes = U32(4);
            bytesUsed = major == 3 ? U64(63) : U32(8);
            mkfsTime = U32(39);
            blockSize = major >= 2 ? U32(51) : U16(32);
            if (!BitOperations.IsPow2(blockSize) || blockSize < 512 || blockSize > (1 << 20))
            {
                return false;
            }

            compression = "gzip";
        }
        else
        {
            return false;
        }

        if (bytesUsed < HeaderBytes)
        {
            return false;
        }

        probe = new SquashfsProbe(little, major, minor, compression, blockSize, bytesUsed, inodes, mkfsTime);
        return true;
    }
}
