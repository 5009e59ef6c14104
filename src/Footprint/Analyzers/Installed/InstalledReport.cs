namespace Footprint.Analyzers.Installed;

public sealed record InstalledReport
{
    /// <summary>Sum of regular-file sizes of the squashed view, hard links once.</summary>
    public long ApparentBytes { get; init; }

    /// <summary>Bytes occupied on an ext4-like filesystem with <see cref="BlockSizeBytes"/> blocks (see docs/measures.md).</summary>
    public long OnDiskBytes { get; init; }

    public int BlockSizeBytes { get; init; }

    public long Files { get; init; }

    public long Directories { get; init; }

    public long Symlinks { get; init; }

    /// <summary>Extra names of files already counted (link count minus one, summed).</summary>
    public long HardLinks { get; init; }

    public long Devices { get; init; }

    public long Other { get; init; }

    public required IReadOnlyList<DirectoryUsage> TopDirectories { get; init; }

    public required IReadOnlyList<FileUsage> LargestFiles { get; init; }

    public required IReadOnlyList<LayerUsage> Layers { get; init; }

    /// <summary>Bytes stored in layers that the final view does not show (all copies of a path minus the one kept).</summary>
    public long WastedBytes { get; init; }

    /// <summary>Kept bytes / bytes stored across all layers (1.0 = no waste).</summary>
    public double Efficiency { get; init; }
}
