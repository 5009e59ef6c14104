namespace Footprint.Formats.Kernel;

/// <summary>What a kernel image says about itself (docs/kernel.md).</summary>
public sealed record KernelImage
{
    /// <summary>"bzimage" (x86 boot protocol), "uimage" (U-Boot legacy image) or "vmlinux" (a raw ELF kernel).</summary>
    public required string Format { get; init; }

    /// <summary>Bytes of the file.</summary>
    public required long FileBytes { get; init; }

    /// <summary>The x86 setup header, for a bzImage.</summary>
    public BzImageHeader? Setup { get; init; }

    /// <summary>gzip, bzip2, lzma, xz, lzo, lz4, zstd, or "none" (an uncompressed kernel).</summary>
    public required string Compressor { get; init; }

    /// <summary>Where the compressed kernel starts in the file (0 for a raw vmlinux).</summary>
    public required long PayloadOffset { get; init; }

    /// <summary>Bytes of the compressed kernel with its 4-byte size trailer (the file's size for a raw vmlinux).</summary>
    public required long PayloadBytes { get; init; }

    /// <summary>Bytes of the decompressed kernel (vmlinux).</summary>
    public required long DecompressedBytes { get; init; }

    /// <summary>
    /// The decompressed size the build recorded in the payload's last 4 bytes (gzip's ISIZE, or the size scripts/Makefile.lib's
    /// size_append adds after every other compressor); equal to <see cref="DecompressedBytes"/> modulo 2^32, or the image is refused.
    /// </summary>
    public long? RecordedDecompressedBytes { get; init; }

    /// <summary>The ELF machine of the decompressed kernel, e.g. "x86_64", "x86"; a raw uImage kernel's is the header's ("mips", "arm").</summary>
    public required string Architecture { get; init; }

    /// <summary>32 or 64 (the ELF class); 0 when unknown (a raw uImage kernel).</summary>
    public required int Bits { get; init; }

    /// <summary>The "Linux version ..." banner in the decompressed kernel, when found.</summary>
    public string? Banner { get; init; }

    /// <summary>The release (UTS_RELEASE), from the banner, else from the setup string.</summary>
    public string? Release { get; init; }

    /// <summary>Whether the banner and the setup string name the same build; null when one of them is missing.</summary>
    public bool? VersionsAgree { get; init; }

    /// <summary>The embedded configuration (CONFIG_IKCONFIG=y), when the kernel carries one.</summary>
    public KernelConfig? Config { get; init; }

    /// <summary>The built-in initramfs, when found.</summary>
    public EmbeddedInitramfs? Initramfs { get; init; }
}
