using System.Buffers.Binary;
using System.Globalization;

namespace Footprint.Formats.Firmware;

/// <summary>
/// Linux x86 bzImage (Documentation/arch/x86/boot.rst): boot flag 0xAA55 at 0x1FE, "HdrS" at 0x202,
/// setup_sects at 0x1F1, syssize (16-byte units) at 0x1F4. Found from its "HdrS", 0x202 bytes in.
/// </summary>
internal static class BzImageCarver
{
    /// <summary>Where "HdrS" lies from the start of the image.</summary>
    public const int MagicOffset = 0x202;

    public static void TryAt(FirmwareScan scan, long start, long scanEnd)
    {
        byte[] h = scan.ReadAt(start, 0x240);
        if (h.Length < 0x240 || h[0x1FE] != 0x55 || h[0x1FF] != 0xAA)
        {
            return;
        }

        int version = BinaryPrimitives.ReadUInt16LittleEndian(h.AsSpan(0x206));
        int setupSects = h[0x1F1] == 0 ? 4 : h[0x1F1];
        long sysSize = BinaryPrimitives.ReadUInt32LittleEndian(h.AsSpan(0x1F4)) * 16L;
        long length = ((setupSects + 1) * 512L) + sysSize;
        if (version < 0x200 || length > scanEnd - start || sysSize == 0)
        {
            return;
        }

        var d = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["boot_protocol"] = $"{version >> 8}.{version & 0xFF:D2}",
            ["setup_sectors"] = setupSects.ToString(CultureInfo.InvariantCulture),
            ["efi_stub"] = h[0] == (byte)'M' && h[1] == (byte)'Z' ? "true" : "false",
        };
        string? kernel = FirmwareScanner.ReadKernelVersion(scan.Stream, start, length);
        if (kernel is not null)
        {
            d["kernel_version"] = kernel;
        }

        scan.RemoveFoundFrom(start);
        _ = scan.Add(start, length, true, "bzimage", $"Linux kernel x86 bzImage, boot protocol {d["boot_protocol"]}{(kernel is null ? string.Empty : ", version " + kernel)}", d, skip: true);
    }
}
