using System.Buffers.Binary;
using System.Text;

namespace Footprint.Formats.Kernel;

/// <summary>
/// The real-mode setup header of an x86 bzImage (Linux Documentation/arch/x86/boot.rst, "The real-mode kernel header"):
/// setup_sects at 0x1F1 (0 means 4), boot_flag 0xAA55 at 0x1FE, "HdrS" at 0x202, the protocol version at 0x206, the
/// kernel_version pointer at 0x20E (the string lies at that value + 0x200), payload_offset and payload_length at
/// 0x248/0x24C (protocol 2.08+, relative to the protected-mode code, which starts (setup_sects + 1) x 512 bytes in) and
/// init_size at 0x260 (protocol 2.10+).
/// </summary>
/// <param name="SetupSectors">setup_sects as the boot loader reads it (0 already turned into 4).</param>
/// <param name="Protocol">The boot protocol version, e.g. 0x020F for 2.15.</param>
/// <param name="SetupVersion">The string kernel_version points at, e.g. "6.1.0-57-amd64 (debian-kernel@lists.debian.org) #1 SMP ..."; null when the pointer is 0.</param>
/// <param name="PayloadOffset">File offset of the compressed payload (protected-mode start + payload_offset).</param>
/// <param name="PayloadBytes">payload_length: the compressed kernel, its 4-byte size trailer included.</param>
/// <param name="InitSizeBytes">init_size: the memory the kernel needs from its load address to decompress and run (2.10+).</param>
/// <param name="Kernel64">xloadflags bit 0 (XLF_KERNEL_64, 2.12+): the kernel has a 64-bit entry point.</param>
/// <param name="EfiStub">The file starts with "MZ": a PE/COFF header for the EFI stub.</param>
public sealed record BzImageHeader(int SetupSectors, int Protocol, string? SetupVersion, long PayloadOffset, long PayloadBytes, long? InitSizeBytes, bool Kernel64, bool EfiStub)
{
    /// <summary>Where "HdrS" lies from the start of the file.</summary>
    public const int MagicOffset = 0x202;

    /// <summary>The header up to and including payload_length (protocol 2.08); shorter files are truncated bzImages.</summary>
    public const int MinimumHeaderBytes = 0x250;

    /// <summary>Longest setup_header kernel_version string read (the x86 boot/version.c string is well under 200 bytes).</summary>
    public const int MaxVersionBytes = 512;

    /// <summary>The boot protocol as "2.15".</summary>
    public string ProtocolText => $"{Protocol >> 8}.{Protocol & 0xFF:D2}";

    /// <summary>True when the bytes carry the boot flag and "HdrS" where a bzImage has them.</summary>
    public static bool HasMagic(ReadOnlySpan<byte> head)
        => head.Length >= MagicOffset + 4 && head[0x1FE] == 0x55 && head[0x1FF] == 0xAA && head.Slice(MagicOffset, 4).SequenceEqual("HdrS"u8);

    /// <summary>Reads and checks the header of <paramref name="file"/> (the whole bzImage); every offset is checked against its length.</summary>
    /// <exception cref="FootprintFormatException">A truncated header, setup or payload pointing past the file, or a protocol before 2.08.</exception>
    public static BzImageHeader Parse(ReadOnlySpan<byte> file, string path)
    {
        if (file.Length < MinimumHeaderBytes)
        {
            throw new FootprintFormatException(path, file.Length, $"truncated bzImage setup header: the file ends after {file.Length} bytes, the header (to payload_length) needs 0x{MinimumHeaderBytes:x}");
        }

        if (!HasMagic(file))
        {
            throw new FootprintFormatException(path, MagicOffset, "no bzImage setup header (boot flag 0xAA55 at 0x1FE and \"HdrS\" at 0x202)");
        }

        int protocol = BinaryPrimitives.ReadUInt16LittleEndian(file[0x206..]);
        if (protocol < 0x0208)
        {
            throw new FootprintFormatException(path, 0x206, $"boot protocol {protocol >> 8}.{protocol & 0xFF:D2} predates payload_offset (2.08, Linux 2.6.26): the payload cannot be located");
        }

        int setupSectors = file[0x1F1] == 0 ? 4 : file[0x1F1];
        long protectedModeStart = (setupSectors + 1) * 512L;
        if (protectedModeStart >= file.Length)
        {
            throw new FootprintFormatException(path, 0x1F1, $"setup_sects {setupSectors} puts the protected-mode kernel at 0x{protectedModeStart:x}, past the end of the file ({file.Length} bytes)");
        }

        string? setupVersion = null;
        int versionPointer = BinaryPrimitives.ReadUInt16LittleEndian(file[0x20E..]);
        if (versionPointer != 0)
        {
            long at = versionPointer + 0x200L;
            if (at >= protectedModeStart)
            {
                throw new FootprintFormatException(path, 0x20E, $"kernel_version points at 0x{at:x}, outside the setup code (which ends at 0x{protectedModeStart:x})");
            }

            var tail = file.Slice((int)at, (int)Math.Min(MaxVersionBytes, protectedModeStart - at));
            int end = tail.IndexOf((byte)0);
            if (end < 0)
            {
                throw new FootprintFormatException(path, at, $"kernel_version string at 0x{at:x} has no terminating NUL within {tail.Length} bytes");
            }

            setupVersion = Encoding.ASCII.GetString(tail[..end]);
        }

        long payloadOffset = protectedModeStart + BinaryPrimitives.ReadUInt32LittleEndian(file[0x248..]);
        long payloadBytes = BinaryPrimitives.ReadUInt32LittleEndian(file[0x24C..]);
        if (payloadOffset > file.Length || payloadBytes > file.Length - payloadOffset)
        {
            throw new FootprintFormatException(path, 0x248, $"payload_offset/payload_length put the compressed kernel at 0x{payloadOffset:x}..0x{payloadOffset + payloadBytes:x}, past the end of the file ({file.Length} bytes)");
        }

        if (payloadBytes < 8)
        {
            throw new FootprintFormatException(path, 0x24C, $"payload_length {payloadBytes} is too short to hold a compressed kernel and its 4-byte size");
        }

        long? initSize = protocol >= 0x020A && file.Length >= 0x264 ? BinaryPrimitives.ReadUInt32LittleEndian(file[0x260..]) : null;
        bool kernel64 = protocol >= 0x020C && (BinaryPrimitives.ReadUInt16LittleEndian(file[0x236..]) & 1) != 0;
        bool efi = file[0] == (byte)'M' && file[1] == (byte)'Z';
        return new BzImageHeader(setupSectors, protocol, setupVersion, payloadOffset, payloadBytes, initSize, kernel64, efi);
    }
}
