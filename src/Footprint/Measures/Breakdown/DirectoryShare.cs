namespace Footprint.Measures.Breakdown;

/// <summary>
/// One directory's subtree: regular files (hard links once, where the walk first met them), the bytes some package
/// owns and the rest, and what of it no listed subdirectory shows (its own files and its small subdirectories).
/// </summary>
public sealed record DirectoryShare
{
    /// <summary>Absolute path; "/" for the root.</summary>
    public required string Path { get; init; }

    public long ApparentBytes { get; init; }

    /// <summary>The same ext4-like model as installed.onDiskBytes (its directories, symlinks and file blocks).</summary>
    public long OnDiskBytes { get; init; }

    public long Files { get; init; }

    public long OwnedBytes { get; init; }

    public long UnownedBytes { get; init; }

    /// <summary>Apparent bytes not in a listed subdirectory: this directory's own files and its unlisted subdirectories.</summary>
    public long UnlistedBytes { get; init; }

    /// <summary>The owned part of <see cref="UnlistedBytes"/>.</summary>
    public long UnlistedOwnedBytes { get; init; }

    /// <summary>The unowned part of <see cref="UnlistedBytes"/>.</summary>
    public long UnlistedUnownedBytes { get; init; }
}
