namespace Footprint.Measures.Kernel;

/// <summary>What the embedded configuration says (docs/kernel.md): one field per question a small system asks of its kernel.</summary>
public sealed record KernelConfigReport
{
    /// <summary>Offset of the gzip stream in the decompressed kernel (just after "IKCFG_ST").</summary>
    public required long Offset { get; init; }

    public required long CompressedBytes { get; init; }

    /// <summary>Symbols the configuration sets or says are not set.</summary>
    public required int Symbols { get; init; }

    /// <summary>SERIAL_*_CONSOLE symbols set to y.</summary>
    public required IReadOnlyList<string> SerialConsoles { get; init; }

    public required bool SerialConsole { get; init; }

    /// <summary>y, m or n.</summary>
    public required string Squashfs { get; init; }

    public required IReadOnlyList<string> SquashfsCompressors { get; init; }

    public required string Overlayfs { get; init; }

    public required string Devtmpfs { get; init; }

    public required string DevtmpfsMount { get; init; }

    /// <summary>BLK_DEV_INITRD: initrd and initramfs support.</summary>
    public required string Initrd { get; init; }

    /// <summary>RD_* decompressors for an initramfs.</summary>
    public required IReadOnlyList<string> InitrdCompressors { get; init; }

    public string? InitramfsSource { get; init; }

    /// <summary>The memory-deciding symbols the configuration mentions, with their values.</summary>
    public required IReadOnlyDictionary<string, string> Memory { get; init; }
}
