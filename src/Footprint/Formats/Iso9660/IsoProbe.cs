using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Footprint.Formats.Iso9660;

/// <summary>
/// What an ISO 9660 image's first volume descriptor says (ECMA-119: a 32 KiB system area, then the primary volume
/// descriptor, type 1, "CD001" at 32769, version 1), read without the directory tree: how a carver tells an image from a
/// chance "CD001" and learns its length.
/// </summary>
/// <param name="VolumeId">The volume identifier (d-characters, padding trimmed).</param>
/// <param name="BlockSizeBytes">The logical block size.</param>
/// <param name="Blocks">The volume space size, in logical blocks.</param>
public sealed record IsoProbe(string VolumeId, int BlockSizeBytes, uint Blocks)
{
    /// <summary>Where "CD001" of the first volume descriptor lies, from the start of the image.</summary>
    public const int MagicOffset = (int)IsoConstants.SystemAreaBytes + 1;

    /// <summary>Bytes from the start of the image <see cref="TryRead"/> needs: the system area and the descriptor's first 256 bytes.</summary>
    public const int HeaderBytes = (int)IsoConstants.SystemAreaBytes + 256;

    /// <summary>The standard identifier of every volume descriptor.</summary>
    public static ReadOnlySpan<byte> Magic => "CD001"u8;

    /// <summary>The image's length as the descriptor states it (blocks x block size).</summary>
    public long LengthBytes => (long)Blocks * BlockSizeBytes;

    /// <summary>"CD001" at <see cref="MagicOffset"/> of <paramref name="header"/> (the image's first bytes).</summary>
    internal static bool HasMagic(ReadOnlySpan<byte> header)
        => header.Length >= MagicOffset + Magic.Length && header.Slice(MagicOffset, Magic.Length).SequenceEqual(Magic);

    /// <summary>
    /// True when the image's first descriptor is a primary volume descriptor (type 1, version 1) with a block size of
    /// 512, 1024, 2048 or 4096 bytes and a volume of at least the system area and two descriptors (0x8800 bytes).
    /// </summary>
    internal static bool TryRead(ReadOnlySpan<byte> header, [NotNullWhen(true)] out IsoProbe? probe)
    {
        probe = null;
        if (header.Length < HeaderBytes || !HasMagic(header))
        {
            return false;
        }

        ReadOnlySpan<byte> pvd = header[(int)IsoConstants.SystemAreaBytes..];
        if (pvd[0] != IsoConstants.TypePrimary || pvd[6] != 1)
        {
            return false;
        }

        uint blocks = BinaryPrimitives.ReadUInt32LittleEndian(pvd[80..]);
        int blockSize = BinaryPrimitives.ReadUInt16LittleEndian(pvd[128..]);
        long length = (long)blocks * blockSize;
        if (blockSize is not (512 or 1024 or 2048 or 4096) || length < 0x8800)
        {
            return false;
        }

        probe = new IsoProbe(Encoding.ASCII.GetString(pvd.Slice(40, 32)).TrimEnd(' ', '\0'), blockSize, blocks);
        return true;
    }
}
