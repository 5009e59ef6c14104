namespace Footprint.Measures.Kernel;

/// <summary>The `kernel` section of a report: a kernel image's own facts (docs/kernel.md).</summary>
public sealed record KernelImageReport
{
    /// <summary>"bzimage", "uimage" or "vmlinux".</summary>
    public required string Format { get; init; }

    /// <summary>The release (UTS_RELEASE), e.g. "6.1.0-57-amd64".</summary>
    public string? Release { get; init; }

    /// <summary>The bzImage setup header's kernel_version string.</summary>
    public string? SetupVersion { get; init; }

    /// <summary>The "Linux version ..." banner of the decompressed kernel.</summary>
    public string? Banner { get; init; }

    /// <summary>Whether the setup string and the banner name the same build; null when one is missing.</summary>
    public bool? VersionsAgree { get; init; }

    /// <summary>The ELF machine of the kernel: x86_64, x86, ...</summary>
    public required string Architecture { get; init; }

    public required int Bits { get; init; }

    /// <summary>gzip, bzip2, lzma, xz, lzo, lz4, zstd or none.</summary>
    public required string Compressor { get; init; }

    /// <summary>Bytes of the file.</summary>
    public required long FileBytes { get; init; }

    /// <summary>Where the compressed kernel starts in the file.</summary>
    public required long PayloadOffset { get; init; }

    /// <summary>Bytes of the compressed kernel (with its 4-byte size trailer).</summary>
    public required long PayloadBytes { get; init; }

    /// <summary>Bytes of the decompressed kernel (vmlinux).</summary>
    public required long DecompressedBytes { get; init; }

    /// <summary>The x86 boot protocol version, e.g. "2.15".</summary>
    public string? BootProtocol { get; init; }

    /// <summary>setup_sects (512-byte sectors of real-mode setup code).</summary>
    public int? SetupSectors { get; init; }

    /// <summary>init_size: the memory the kernel needs from its load address to decompress and start.</summary>
    public long? InitSizeBytes { get; init; }

    /// <summary>The file starts with a PE header for the EFI stub.</summary>
    public bool? EfiStub { get; init; }

    /// <summary>The embedded configuration (CONFIG_IKCONFIG=y), when present.</summary>
    public KernelConfigReport? Config { get; init; }

    /// <summary>The built-in initramfs, when found; its files are the report's layer.</summary>
    public BuiltInInitramfsReport? Initramfs { get; init; }
}
