namespace Footprint.Formats;

/// <summary>The kind of a filesystem entry, independent of the archive format it came from.</summary>
public enum FileKind
{
    Regular,
    Directory,
    Symlink,
    /// <summary>A hard link to another entry of the same archive (<see cref="FileEntry.LinkTarget"/> names it).</summary>
    HardLink,
    CharDevice,
    BlockDevice,
    Fifo,
    Socket,
}
