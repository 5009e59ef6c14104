namespace Footprint.Sources.LiveMedia;

/// <summary>Facts about the medium itself, reported beside the composed system.</summary>
public sealed record MediumInfo
{
    /// <summary>iso9660, fat, squashfs, initramfs, firmware.</summary>
    public required string Format { get; init; }

    /// <summary>Format facts (volume id, FAT type, squashfs compression and block size...).</summary>
    public IReadOnlyDictionary<string, string> Details { get; init; } = new Dictionary<string, string>();

    /// <summary>El Torito entries, hybrid partitions, firmware parts: one line each, with offset and size.</summary>
    public IReadOnlyList<MediumPart> Parts { get; init; } = [];

    public KernelInfo? Kernel { get; init; }
}
