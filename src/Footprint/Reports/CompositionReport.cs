namespace Footprint.Reports;

/// <summary>How a live medium, disk image or firmware became the system measured (docs/live.md).</summary>
public sealed record CompositionReport
{
    /// <summary>tinycore, puppy, slax, porteus, antix, slitaz, live, initramfs, media, firmware, image.</summary>
    public required string Rule { get; init; }

    public required string Description { get; init; }

    /// <summary>Where the rule comes from.</summary>
    public required string Source { get; init; }

    /// <summary>The medium: iso9660, fat, squashfs, initramfs, firmware.</summary>
    public required string Medium { get; init; }

    public required IReadOnlyDictionary<string, string> MediumDetails { get; init; }

    /// <summary>Boot images, partitions, firmware parts: each with its offset and size in the artifact.</summary>
    public required IReadOnlyList<MediumPartReport> Parts { get; init; }

    public BootEntryReport? Boot { get; init; }

    public KernelReport? Kernel { get; init; }

    /// <summary>Layer 0 first: the stack the view is built from.</summary>
    public required IReadOnlyList<ComponentReport> Components { get; init; }

    /// <summary>Components present on the medium that the default boot does not load.</summary>
    public required IReadOnlyList<string> NotLoaded { get; init; }
}

public sealed record MediumPartReport(string Type, long Offset, long Length, string Description);

public sealed record BootEntryReport(string Config, string? Label, string? Kernel, IReadOnlyList<string> Initrds, string? Append);

/// <param name="Path">Where the kernel is in the artifact.</param>
/// <param name="StoredBytes">Its size as stored.</param>
/// <param name="Version">Version string it carries.</param>
/// <param name="InitSizeBytes">bzImage init_size: memory the kernel needs from its load address.</param>
public sealed record KernelReport(string Path, long StoredBytes, string? Version, long? InitSizeBytes);

public sealed record ComponentReport
{
    public int Layer { get; init; }

    /// <summary>Where it is in the artifact ("" for the artifact itself, "@0x..." for a carved part).</summary>
    public required string Path { get; init; }

    public required string Role { get; init; }

    /// <summary>initramfs, squashfs, tar, tree.</summary>
    public required string Format { get; init; }

    /// <summary>How it is compressed (gzip, xz, squashfs-xz...), when known.</summary>
    public string? Compression { get; init; }

    public long StoredBytes { get; init; }

    /// <summary>Regular-file bytes it holds, expanded (hard links once).</summary>
    public long ExpandedBytes { get; init; }

    public long Files { get; init; }

    /// <summary>Expanded / stored.</summary>
    public double CompressionRatio { get; init; }

    /// <summary>squashfs: data bytes identical files share instead of storing twice.</summary>
    public long? DuplicateBytesSaved { get; init; }
}

/// <summary>
/// The bytes a system that runs from RAM must hold after boot: a lower bound on running memory, not a measurement
/// of it (the kernel, page tables, slab and every process come on top).
/// </summary>
public sealed record RamResidentReport
{
    /// <summary>With the distro's default boot options on a machine with little RAM.</summary>
    public long MinimumBytes { get; init; }

    /// <summary>With everything copied into RAM (toram, copy2fs, copy2ram, pfix=copy).</summary>
    public long ToRamBytes { get; init; }

    public required string Explanation { get; init; }

    public required IReadOnlyList<RamComponentReport> Components { get; init; }

    /// <summary>bzImage init_size of the kernel, when known: reported beside, not added in.</summary>
    public long? KernelInitSizeBytes { get; init; }
}

/// <param name="Layer">The component's layer.</param>
/// <param name="Path">Where it is in the artifact.</param>
/// <param name="Residency">expanded-in-ram, compressed-in-ram, on-media (default options).</param>
/// <param name="Bytes">What it holds in RAM with the default options.</param>
/// <param name="ToRamResidency">The same with copy-to-RAM.</param>
/// <param name="ToRamBytes">What it holds in RAM with copy-to-RAM.</param>
public sealed record RamComponentReport(int Layer, string Path, string Residency, long Bytes, string ToRamResidency, long ToRamBytes);
