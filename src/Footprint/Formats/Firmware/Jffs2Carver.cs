using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;

namespace Footprint.Formats.Firmware;

/// <summary>
/// JFFS2 (include/uapi/linux/jffs2.h: magic 0x1985, nodetype, totlen, hdr_crc = crc32(0, header, 8)): a run of
/// nodes with erased-flash padding between them, and OpenWrt's deadc0de end-of-filesystem marker.
/// </summary>
internal static class Jffs2Carver
{
    /// <summary>OpenWrt's end-of-filesystem marker sits on an erase-block boundary; 4 KiB is the smallest erase block.</summary>
    public const int EraseBlockAlignBytes = 4096;

    /// <summary>OpenWrt's end-of-filesystem marker, de ad c0 de.</summary>
    public const uint EndOfFilesystemMarker = 0xDEADC0DE;

    public static long? TryAt(FirmwareScan scan, long pos, long scanEnd, bool littleEndian)
    {
        if (pos % 4 != 0 || NodeLength(scan, pos, scanEnd, littleEndian) is not { } first)
        {
            return null;
        }

        long end = pos + first;
        int nodes = 1;
        while (true)
        {
            long next = (end + 3) & ~3L;

            // erase-block padding between nodes: 0xFF (erased flash) up to the next erase block
            long limit = Math.Min(scanEnd, ((next / 65536) + 1) * 65536);
            while (next < limit && scan.Peek(next, 4) is { Length: 4 } w && BinaryPrimitives.ReadUInt32LittleEndian(w) == 0xFFFFFFFF)
            {
                next += 4;
            }

            if (NodeLength(scan, next, scanEnd, littleEndian) is not { } len)
            {
                break;
            }

            end = next + len;
            nodes++;
        }

        var d = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["endian"] = littleEndian ? "little" : "big",
            ["nodes"] = nodes.ToString(CultureInfo.InvariantCulture),
        };
        return FirmwareScan.Resume(scan.Add(pos, end - pos, true, "jffs2", $"JFFS2 filesystem ({d["endian"]} endian), {nodes} nodes", d, skip: true), pos + 1);
    }

    private static long? NodeLength(FirmwareScan scan, long pos, long scanEnd, bool littleEndian)
    {
        ReadOnlySpan<byte> n = scan.Peek(pos, 12);
        if (n.Length < 12)
        {
            return null;
        }

        ushort magic = littleEndian ? BinaryPrimitives.ReadUInt16LittleEndian(n) : BinaryPrimitives.ReadUInt16BigEndian(n);
        uint totlen = littleEndian ? BinaryPrimitives.ReadUInt32LittleEndian(n[4..]) : BinaryPrimitives.ReadUInt32BigEndian(n[4..]);
        uint crc = littleEndian ? BinaryPrimitives.ReadUInt32LittleEndian(n[8..]) : BinaryPrimitives.ReadUInt32BigEndian(n[8..]);
        if (magic != 0x1985 || totlen < 12 || totlen > scanEnd - pos || Jffs2HeaderCrc(n[..8]) != crc)
        {
            return null;
        }

        return totlen;
    }

    /// <summary>
    /// JFFS2's hdr_crc is the kernel's crc32(0, header, 8): the raw register seeded with 0, not inverted. Four 0xFF
    /// bytes take the zlib CRC's register from its ~0 seed to 0, so it is the zlib CRC of FF FF FF FF + header, inverted.
    /// </summary>
    private static uint Jffs2HeaderCrc(ReadOnlySpan<byte> header)
    {
        var crc = new Crc32();
        crc.Append([0xFF, 0xFF, 0xFF, 0xFF]);
        crc.Append(header);
        return ~crc.GetCurrentHashAsUInt32();
    }

    public static long AddMarker(FirmwareScan scan, long pos)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal) { ["erase_block_aligned"] = "true" };
        long r = scan.Add(pos, 4, true, "jffs2-eof-marker", "OpenWrt JFFS2 end-of-filesystem marker (deadc0de): the writable overlay starts here", d, skip: true);
        return r > 0 ? r : pos + 1;
    }
}
