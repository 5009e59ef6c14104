using Footprint.FileSystem;

namespace Footprint.Sources.Directory;

/// <summary>
/// One entry of a <see cref="DirectoryListing"/>: statx(2) without following symlinks (null: vanished or no
/// permission), the link target of a symlink, the file capability of an executable; nothing for excluded paths.
/// </summary>
internal sealed record DirectoryEntryInfo(string Full, string Name, bool Excluded, NativeStat.Info? Stat, string? LinkTarget, byte[]? Capability)
{
    /// <summary>The node, when the thread that listed the directory made it (set once, before the listing is published).</summary>
    public FsNode? Node { get; set; }
}
