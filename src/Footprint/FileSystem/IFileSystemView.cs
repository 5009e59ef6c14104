namespace Footprint.FileSystem;

/// <summary>
/// The squashed view the one walk visits and analyzers look paths up in. An image's view is the
/// in-memory <see cref="LayeredFileSystem"/>; a directory's (the running machine) is the disk itself,
/// read as the walk goes, so measuring a host with millions of files holds no tree in memory.
/// </summary>
public interface IFileSystemView
{
    /// <summary>Every path except the root, depth first, children in ordinal order.</summary>
    IEnumerable<(string Path, FsNode Node)> Enumerate();

    /// <summary>The root directory.</summary>
    FsNode Root { get; }

    /// <summary>
    /// Resolves a path following symlinks, confined to the root (".." at the root stays there, absolute
    /// targets restart at the image root). Null when missing; <see cref="SymlinkLoopException"/> past
    /// <see cref="LayeredFileSystem.MaxSymlinkHops"/>.
    /// </summary>
    FsNode? Resolve(string path, bool followFinal, out string resolvedPath);
}
