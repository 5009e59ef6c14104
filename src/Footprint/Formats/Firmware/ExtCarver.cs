using System.Buffers.Binary;
using System.Globalization;

namespace Footprint.Formats.Firmware;

/// <summary>
/// ext2/3/4 (superblock at 1024: s_magic 0xEF53 at 56, s_blocks_count at 4, s_log_block_size at 24; the ext4
/// disk layout). Found from its magic, 1080 bytes in. No reader in Formats reads ext yet: the scanner alone knows it.
/// </summary>
internal static class ExtCarver
{
    /// <summary>Where s_magic lies from the start of the filesystem.</summary>
    public const int MagicOffset = 1080;

    public static long? TryAt(FirmwareScan scan, long start, long scanEnd)
    {
        byte[] sb = scan.ReadAt(start + 1024, 0x160);
        if (sb.Length < 0x160)
        {
            return null;
        }

        uint U32(int at) => BinaryPrimitives.ReadUInt32LittleEndian(sb.AsSpan(at));
        uint logBlock = U32(24);
        if (logBlock > 6 || U32(0) == 0)
        {
            return null;
        }

        long blockSize = 1024L << (int)logBlock;
        ulong blocks = U32(4);
        if ((U32(96) & 0x80) != 0)
        {
            blocks |= (ulong)U32(0x150) << 32;
        }

        if (U32(20) != (blockSize == 1024 ? 1u : 0u) || blocks == 0 || U32(76) > 1 || blocks > (ulong)((scanEnd - start) / blockSize))
        {
            return null;
        }

        long length = (long)blocks * blockSize;
        string kind = (U32(96) & 0x40) != 0 ? "ext4" : (U32(92) & 0x4) != 0 ? "ext3" : "ext2";
        var d = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["variant"] = kind,
            ["block_size"] = blockSize.ToString(CultureInfo.InvariantCulture),
            ["blocks"] = blocks.ToString(CultureInfo.InvariantCulture),
            ["volume_name"] = FirmwareText.CString(sb.AsSpan(120, 16)),
        };
        scan.RemoveFoundFrom(start);
        long r = scan.Add(start, length, true, "ext", $"{kind} filesystem, {blocks} blocks of {blockSize} bytes", d, skip: true);
        return r > 0 ? r : null;
    }
}
