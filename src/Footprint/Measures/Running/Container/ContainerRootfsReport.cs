namespace Footprint.Measures.Running.Container;

/// <summary>What was written to the sandbox's private root, and what was left out on purpose.</summary>
public sealed record ContainerRootfsReport
{
    public required long RegularFiles { get; init; }

    /// <summary>Names placed as hard links to a file already placed.</summary>
    public required long HardLinks { get; init; }

    public required long Directories { get; init; }

    public required long Symlinks { get; init; }

    /// <summary>Bytes of the regular files placed (each inode once).</summary>
    public required long FileBytes { get; init; }

    /// <summary>Bytes written while reading the layers, counting files an upper layer replaced or deleted: what the cap limits.</summary>
    public required long WrittenBytes { get; init; }

    /// <summary>The cap on <see cref="WrittenBytes"/> (--max-rootfs-mib).</summary>
    public required long MaxBytes { get; init; }

    /// <summary>Device nodes, FIFOs and sockets not created.</summary>
    public required long SkippedSpecial { get; init; }

    /// <summary>Files whose set-user-ID or set-group-ID bit was dropped.</summary>
    public required long SetIdDropped { get; init; }

    /// <summary>Names not placed (a parent that is not a directory, an unusable name).</summary>
    public required long SkippedNames { get; init; }

    /// <summary>Warnings from reading the layers (entries that climb out of the root, broken hard links...).</summary>
    public required int Warnings { get; init; }

    public static ContainerRootfsReport Of(ContainerRootfs r, long maxBytes) => new()
    {
        RegularFiles = r.RegularFiles,
        HardLinks = r.HardLinkNames,
        Directories = r.Directories,
        Symlinks = r.Symlinks,
        FileBytes = r.FileBytes,
        WrittenBytes = r.StagedBytes,
        MaxBytes = maxBytes,
        SkippedSpecial = r.SkippedSpecial,
        SetIdDropped = r.SetIdDropped,
        SkippedNames = r.SkippedNames,
        Warnings = r.Warnings.Count,
    };
}
