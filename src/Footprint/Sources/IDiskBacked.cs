using Footprint.FileSystem;

namespace Footprint.Sources;

/// <summary>
/// The capability of a source read in place (a directory or the running machine): it is random access already, so the
/// pipeline walks the disk itself instead of loading a copy of its tree.
/// </summary>
public interface IDiskBacked
{
    IFileSystemView OpenView();

    /// <summary>Paths skipped on purpose (pseudo filesystems and other mounts of the host).</summary>
    IReadOnlyCollection<string> Excluded { get; }
}
