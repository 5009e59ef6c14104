using System.Buffers.Binary;
using System.Globalization;

namespace Footprint.Formats.Firmware;

/// <summary>
/// Broadcom TRX (OpenWrt firmware-utils trx.c): little-endian "HDR0", length, CRC-32, flags/version, then 3
/// (v1) or 4 (v2) partition offsets. A container: each partition is bounded by the next offset.
/// </summary>
internal static class TrxCarver
{
    /// <summary>"HDR0", read big-endian.</summary>
    public const uint Magic = 0x48445230;

    public static long? TryAt(FirmwareScan scan, long pos, long scanEnd)
    {
        byte[] h = scan.ReadAt(pos, 32);
        if (h.Length < 32)
        {
            return null;
        }

        uint len = BinaryPrimitives.ReadUInt32LittleEndian(h.AsSpan(4));
        uint flagVersion = BinaryPrimitives.ReadUInt32LittleEndian(h.AsSpan(12));
        int version = (int)(flagVersion >> 16);
        int headerBytes = version == 2 ? 32 : 28;
        if (version is not (1 or 2) || len < headerBytes || len > scanEnd - pos)
        {
            return null;
        }

        int count = version == 2 ? 4 : 3;
        var offsets = new List<uint>();
        for (int i = 0; i < count; i++)
        {
            uint o = BinaryPrimitives.ReadUInt32LittleEndian(h.AsSpan(16 + (4 * i)));
            if (o != 0 && (o < headerBytes || o >= len))
            {
                return null;
            }

            if (o != 0)
            {
                offsets.Add(o);
            }
        }

        var d = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["version"] = version.ToString(CultureInfo.InvariantCulture),
            ["flags"] = FirmwareText.Hex(flagVersion & 0xFFFF),
            ["length"] = len.ToString(CultureInfo.InvariantCulture),
            ["partitions"] = string.Join(',', offsets.Select(o => FirmwareText.Hex(o))),
        };
        uint crc = BinaryPrimitives.ReadUInt32LittleEndian(h.AsSpan(8));
        if (scan.TrySpendCrcBudget(len - 12))
        {
            // trx.c stores the register seeded with ~0 and not inverted at the end, i.e. the zlib CRC inverted; some
            // writers store the zlib CRC itself: both are accepted.
            uint zlib = scan.Crc(pos + 12, len - 12);
            d["crc"] = zlib == crc || (zlib ^ 0xFFFFFFFF) == crc ? "ok" : "bad";
        }
        else
        {
            d["crc"] = "unchecked";
        }

        List<uint> sortedOffsets = [.. offsets.Order()];
        for (int i = 0; i < sortedOffsets.Count; i++)
        {
            long end = i + 1 < sortedOffsets.Count ? sortedOffsets[i + 1] : len;
            scan.BoundFromContainer(pos + sortedOffsets[i], end - sortedOffsets[i]);
        }

        long added = scan.Add(pos, len, true, "trx", $"TRX v{version}, {len} bytes, partitions at {d["partitions"]}, CRC {d["crc"]}", d, skip: false);
        return added == -1 && pos < scan.SkipEnd ? null : pos + headerBytes;
    }
}
