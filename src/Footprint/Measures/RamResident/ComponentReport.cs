namespace Footprint.Measures.RamResident;

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
