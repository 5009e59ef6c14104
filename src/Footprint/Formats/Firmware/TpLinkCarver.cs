using System.Buffers.Binary;
using System.Globalization;

namespace Footprint.Formats.Firmware;

/// <summary>
/// TP-Link v1 firmware header (firmware-utils mktplinkfw.c struct fw_header, big-endian, 0x200 bytes): vendor and
/// firmware strings, hardware id, MD5, kernel and rootfs offsets and lengths. A container: the kernel it bounds is
/// scanned as a part of its own.
/// </summary>
internal static class TpLinkCarver
{
    /// <summary>mktplinkfw's HEADER_VERSION_V1, stored big-endian: the image starts 01 00 00 00.</summary>
    public const uint Version1 = 0x01000000;

    private const int HeaderBytes = 0x200;

    public static long? TryAt(FirmwareScan scan, long pos, long scanEnd)
    {
        byte[] h = scan.ReadAt(pos, HeaderBytes);
        if (h.Length < HeaderBytes)
        {
            return null;
        }

        string? vendor = FirmwareText.PrintableField(h.AsSpan(4, 24));
        string? fwVersion = FirmwareText.PrintableField(h.AsSpan(28, 36));
        if (vendor is null || fwVersion is null)
        {
            return null;
        }

        uint U(int at) => BinaryPrimitives.ReadUInt32BigEndian(h.AsSpan(at));
        uint kernelOfs = U(0x80), kernelLen = U(0x84), rootfsOfs = U(0x88), rootfsLen = U(0x8C), fwLength = U(0x7C);
        if (kernelOfs < HeaderBytes || kernelLen == 0 || kernelOfs + (long)kernelLen > scanEnd - pos || fwLength < HeaderBytes)
        {
            return null;
        }

        var d = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["vendor"] = vendor,
            ["fw_version"] = fwVersion,
            ["hw_id"] = FirmwareText.Hex(U(0x40)),
            ["hw_rev"] = FirmwareText.Hex(U(0x44)),
            ["md5"] = Convert.ToHexStringLower(h.AsSpan(0x4C, 16)),
            ["kernel_load"] = FirmwareText.Hex(U(0x74)),
            ["kernel_entry"] = FirmwareText.Hex(U(0x78)),
            ["fw_length"] = fwLength.ToString(CultureInfo.InvariantCulture),
            ["kernel_offset"] = FirmwareText.Hex(kernelOfs),
            ["kernel_length"] = kernelLen.ToString(CultureInfo.InvariantCulture),
            ["rootfs_offset"] = FirmwareText.Hex(rootfsOfs),
            ["rootfs_length"] = rootfsLen.ToString(CultureInfo.InvariantCulture),
            ["boot_offset"] = FirmwareText.Hex(U(0x90)),
            ["boot_length"] = U(0x94).ToString(CultureInfo.InvariantCulture),
        };
        scan.BoundFromContainer(pos + kernelOfs, kernelLen);
        long added = scan.Add(pos, HeaderBytes, true, "tplink-header", $"TP-Link firmware header v1, vendor \"{vendor}\", firmware \"{fwVersion}\", hw id {d["hw_id"]}, kernel at {d["kernel_offset"]} ({kernelLen} bytes)", d, skip: false);
        return added == -1 && pos < scan.SkipEnd ? null : pos + HeaderBytes;
    }
}
