using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;

namespace Footprint.Formats.Firmware;

/// <summary>
/// U-Boot legacy images (include/image.h, image_header_t, all fields big-endian): a 64-byte header whose CRC-32
/// covers it with the CRC field zeroed, then data_size bytes with their own CRC-32. A container: the payload it bounds is
/// scanned as a part of its own.
/// </summary>
internal static class UImageCarver
{
    public const uint Magic = 0x27051956;

    private const int HeaderBytes = 64;

    private static readonly string[] UImageOs = ["invalid", "openbsd", "netbsd", "freebsd", "4_4bsd", "linux", "svr4", "esix", "solaris", "irix", "sco", "dell", "ncr", "lynxos", "vxworks", "psos", "qnx", "u-boot", "rtems", "artos", "unity", "integrity", "ose", "plan9", "openrtos", "arm-trusted-firmware", "tee", "opensbi", "efi"];
    private static readonly string[] UImageArch = ["invalid", "alpha", "arm", "x86", "ia64", "mips", "mips64", "powerpc", "s390", "sh", "sparc", "sparc64", "m68k", "nios", "microblaze", "nios2", "blackfin", "avr32", "st200", "sandbox", "nds32", "openrisc", "arm64", "arc", "x86_64", "xtensa", "riscv"];
    private static readonly string[] UImageType = ["invalid", "standalone", "kernel", "ramdisk", "multi", "firmware", "script", "filesystem", "flat_dt", "kwbimage", "imximage", "ubl", "omapimage", "aisimage", "kernel_noload"];
    private static readonly string[] UImageComp = ["none", "gzip", "bzip2", "lzma", "lzo", "lz4", "zstd"];

    public static long? TryAt(FirmwareScan scan, long pos, long scanEnd)
    {
        byte[] h = scan.ReadAt(pos, HeaderBytes);
        if (h.Length < HeaderBytes)
        {
            return null;
        }

        uint hcrc = BinaryPrimitives.ReadUInt32BigEndian(h.AsSpan(4));
        byte[] zeroed = (byte[])h.Clone();
        zeroed.AsSpan(4, 4).Clear();
        if (Crc32.HashToUInt32(zeroed) != hcrc)
        {
            return null;
        }

        uint size = BinaryPrimitives.ReadUInt32BigEndian(h.AsSpan(12));
        long dataStart = pos + HeaderBytes;
        long available = scanEnd - dataStart;
        var d = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["name"] = FirmwareText.CString(h.AsSpan(32, 32)),
            ["os"] = FirmwareText.Name(UImageOs, h[28]),
            ["arch"] = FirmwareText.Name(UImageArch, h[29]),
            ["type"] = FirmwareText.Name(UImageType, h[30]),
            ["compression"] = FirmwareText.Name(UImageComp, h[31]),
            ["load_address"] = FirmwareText.Hex(BinaryPrimitives.ReadUInt32BigEndian(h.AsSpan(16))),
            ["entry_address"] = FirmwareText.Hex(BinaryPrimitives.ReadUInt32BigEndian(h.AsSpan(20))),
            ["data_size"] = size.ToString(CultureInfo.InvariantCulture),
            ["created"] = DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadUInt32BigEndian(h.AsSpan(8))).ToString("u", CultureInfo.InvariantCulture),
        };
        uint dcrc = BinaryPrimitives.ReadUInt32BigEndian(h.AsSpan(24));
        if (size > available)
        {
            d["data_crc"] = "truncated";
        }
        else if (!scan.TrySpendCrcBudget(size))
        {
            d["data_crc"] = "unchecked";
        }
        else
        {
            d["data_crc"] = scan.Crc(dataStart, size) == dcrc ? "ok" : "bad";
        }

        long length = HeaderBytes + Math.Min(size, Math.Max(0, available));
        scan.BoundFromContainer(dataStart, length - HeaderBytes);
        string description = $"uImage \"{d["name"]}\", {d["os"]}/{d["arch"]} {d["type"]}, {d["compression"]}, {size} bytes, data CRC {d["data_crc"]}";
        return scan.Add(pos, length, true, "uimage", description, d, skip: false) is var added && added == -1 && pos < scan.SkipEnd ? null : dataStart;
    }
}
