using System.Buffers.Binary;
using Footprint.Formats.Compression;
using Footprint.Formats.Elf;

namespace Footprint.Formats.Kernel;

/// <summary>
/// Reads a Linux kernel image: an x86 bzImage through its setup header (<see cref="BzImageHeader"/>), whose payload
/// is decompressed in memory and must be the vmlinux ELF (arch/x86/boot/compressed/misc.c parses it as one), or a raw
/// vmlinux ELF. The decompressed kernel then gives the banner, the embedded configuration (<see cref="KernelConfig"/>)
/// and the built-in initramfs (<see cref="EmbeddedInitramfsLocator"/>). Random access: the file and the decompressed
/// kernel are held in memory, each bounded by a stated cap, never by a size read from the input.
/// </summary>
public static class KernelImageReader
{
    /// <summary>Largest kernel file read (a distribution's bzImage is about 8 MB, a raw vmlinux about 70 MB).</summary>
    public const long MaxFileBytes = 256L << 20;

    /// <summary>Cap on the decompressed kernel (Debian's amd64 vmlinux is 66 MB); a larger output is a decompression bomb.</summary>
    public const long MaxDecompressedBytes = 256L << 20;

    /// <summary>Entries of the built-in initramfs read to tell the default /dev, /dev/console, /root stub from a real root.</summary>
    public const int MaxStubCheckEntries = 16;

    /// <summary>True when the head is a bzImage's (boot flag and "HdrS").</summary>
    public static bool HasMagic(ReadOnlySpan<byte> head) => BzImageHeader.HasMagic(head);

    /// <summary>True when the head starts with a U-Boot legacy image's magic 27 05 19 56 (a bare kernel, or a flash image: see <see cref="UImageKernel.IsBareKernel"/>).</summary>
    public static bool IsUImage(ReadOnlySpan<byte> head) => head.Length >= 4 && BinaryPrimitives.ReadUInt32BigEndian(head) == Firmware.UImageCarver.Magic;

    /// <summary>
    /// True when <paramref name="path"/> is an ELF holding a whole "Linux version RELEASE (BUILDER) ... #N" banner: a raw
    /// vmlinux. Reads the file (up to <see cref="MaxFileBytes"/>; larger ELF files are not taken for kernels).
    /// </summary>
    public static bool IsVmlinux(string path, ReadOnlySpan<byte> head, long length)
    {
        if (!ElfReader.IsElf(head) || length > MaxFileBytes)
        {
            return false;
        }

        var image = File.ReadAllBytes(path);
        return KernelBanner.Find(image, null) is { } banner && banner.Contains(" #", StringComparison.Ordinal);
    }

    /// <summary>Reads the kernel image at <paramref name="path"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="limits">Bounds the built-in initramfs's decompression when it is checked.</param>
    /// <param name="maxDecompressedBytes">The cap on the decompressed kernel.</param>
    /// <exception cref="FootprintFormatException">Anything malformed, named with the file and offset.</exception>
    public static KernelImage Read(string path, DecompressionLimits? limits = null, long maxDecompressedBytes = MaxDecompressedBytes)
    {
        long length = new FileInfo(path).Length;
        if (length > MaxFileBytes)
        {
            throw new FootprintFormatException(path, null, $"{length} bytes is more than the {MaxFileBytes} bytes a kernel image may have");
        }

        var file = File.ReadAllBytes(path);
        return Read(file, path, limits ?? DecompressionLimits.Default, maxDecompressedBytes);
    }

    /// <summary>Reads a kernel image held in memory; <paramref name="path"/> names it in errors.</summary>
    public static KernelImage Read(byte[] file, string path, DecompressionLimits limits, long maxDecompressedBytes = MaxDecompressedBytes)
    {
        if (BzImageHeader.HasMagic(file))
        {
            return ReadBzImage(file, path, limits, maxDecompressedBytes);
        }

        if (IsUImage(file))
        {
            return UImageKernel.Read(file, path, limits, maxDecompressedBytes);
        }

        if (ElfReader.HasMagic(file))
        {
            return Describe(file, path, limits, new KernelImage
            {
                Format = "vmlinux", FileBytes = file.Length, Compressor = KernelCompressor.None, PayloadOffset = 0, PayloadBytes = file.Length,
                DecompressedBytes = file.Length, Architecture = "?", Bits = 0,
            });
        }

        throw new FootprintFormatException(path, 0, "not a kernel image (expected an x86 bzImage with \"HdrS\" at 0x202, a U-Boot uImage kernel or a vmlinux ELF)");
    }

    private static KernelImage ReadBzImage(byte[] file, string path, DecompressionLimits limits, long maxDecompressedBytes)
    {
        var setup = BzImageHeader.Parse(file, path);
        int offset = (int)setup.PayloadOffset;
        int count = (int)setup.PayloadBytes;
        var head = file.AsSpan(offset, Math.Min(16, count));
        string compressor = KernelCompressor.Detect(head)
            ?? throw new FootprintFormatException(path, offset, $"the payload at 0x{offset:x} starts with {Convert.ToHexString(head[..Math.Min(8, head.Length)])}, no known kernel compressor's magic");

        // mkpiggy (arch/x86/boot/compressed/mkpiggy.c) takes the payload's last 4 bytes as the decompressed size: gzip's
        // ISIZE, or the size_append every other compressor's recipe adds (scripts/Makefile.lib). That trailer is not part
        // of the compressed stream, so it is cut off before decoding (lz4 legacy would read it as a block size).
        uint recorded = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(offset + count - 4));
        var stream = compressor is "gzip" or KernelCompressor.None ? new ArraySegment<byte>(file, offset, count) : new ArraySegment<byte>(file, offset, count - 4);
        byte[] vmlinux = compressor == KernelCompressor.None
            ? file.AsSpan(offset, count).ToArray()
            : KernelDecompressor.Decompress(stream, compressor, $"{path} (kernel payload)", offset, maxDecompressedBytes);
        if (!ElfReader.HasMagic(vmlinux))
        {
            throw new FootprintFormatException(path, offset, $"the {compressor} payload at 0x{offset:x} decompresses to {vmlinux.Length} bytes that are not an ELF image (x86 kernels decompress to vmlinux)");
        }

        if (compressor != KernelCompressor.None && (uint)vmlinux.Length != recorded)
        {
            throw new FootprintFormatException(path, offset + count - 4, $"the payload decompresses to {vmlinux.Length} bytes but its size trailer records {recorded}");
        }

        var image = new KernelImage
        {
            Format = "bzimage", FileBytes = file.Length, Setup = setup, Compressor = compressor, PayloadOffset = offset, PayloadBytes = count,
            DecompressedBytes = vmlinux.Length, RecordedDecompressedBytes = compressor == KernelCompressor.None ? null : recorded, Architecture = "?", Bits = 0,
        };
        return Describe(vmlinux, path, limits, image);
    }

    /// <summary>
    /// Fills in what the decompressed kernel says: architecture, banner, configuration, built-in initramfs. A uImage's
    /// data may be a raw binary (MIPS, ARM Image): its architecture comes from the uImage header, and it must hold a
    /// Linux banner to count as a kernel; everything else must be an ELF.
    /// </summary>
    internal static KernelImage Describe(byte[] vmlinux, string path, DecompressionLimits limits, KernelImage image)
    {
        string name = image.Format == "vmlinux" ? path : $"{path} (decompressed kernel)";
        VmlinuxElf? elf = null;
        if (ElfReader.HasMagic(vmlinux) || image.Format != "uimage")
        {
            var summary = ElfReader.Read(vmlinux, vmlinux.Length);
            if (summary is null || summary.Error is not null)
            {
                throw new FootprintFormatException(name, 0, $"the kernel ELF is damaged: {summary?.Error ?? "no ELF header"}");
            }

            elf = VmlinuxElf.Read(vmlinux);
            image = image with { Architecture = summary.Machine, Bits = summary.Bits };
        }

        string? setupVersion = image.Setup?.SetupVersion;
        string? banner = KernelBanner.Find(vmlinux, setupVersion);
        if (banner is null && elf is null)
        {
            throw new FootprintFormatException(name, 0, "the decompressed uImage data holds no \"Linux version\" banner: not a Linux kernel");
        }

        string? release = banner is not null ? KernelBanner.Release(banner) : setupVersion is not null ? KernelBanner.Release(setupVersion) : null;
        return image with
        {
            Banner = banner,
            Release = release,
            VersionsAgree = banner is not null && setupVersion is not null ? KernelBanner.Agrees(banner, setupVersion) : null,
            Config = KernelConfig.Find(vmlinux, name),
            Initramfs = EmbeddedInitramfsLocator.Locate(vmlinux, elf, name, limits),
        };
    }
}
