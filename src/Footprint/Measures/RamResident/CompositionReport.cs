namespace Footprint.Measures.RamResident;

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
