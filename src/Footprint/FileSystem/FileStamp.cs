using Microsoft.Win32.SafeHandles;

namespace Footprint.FileSystem;

/// <summary>
/// The identity of a stored blob's bytes: the file holding them as its open handle sees it (device, inode, size,
/// modification and change times in nanoseconds) and where in that file the blob lies. Two equal stamps taken at
/// different times mean the kernel saw no change to the file in between: a write, truncate, rename over it, chmod or
/// touch all move the change time (ctime), which no unprivileged process can set; a file replaced by another has
/// another inode or ctime. This is how git's index and ccache decide a file is unchanged; docs/cache.md says where it
/// is used and how to turn it off.
/// </summary>
/// <param name="File">The file's full path (a docker or OCI archive for every blob inside it).</param>
/// <param name="Offset">Where the blob starts in the file.</param>
/// <param name="Length">The blob's bytes.</param>
/// <param name="Device">The file system's device (major in the high half, minor in the low).</param>
/// <param name="Inode">The file's inode number.</param>
/// <param name="Size">The whole file's size.</param>
/// <param name="MtimeNanoseconds">Last modification, Unix time in nanoseconds.</param>
/// <param name="CtimeNanoseconds">Last change of data or metadata, Unix time in nanoseconds (set by the kernel only).</param>
/// <param name="TakenNanoseconds">The clock (Unix time, ns) just before the stamp was read: a file changed within the
/// same coarse kernel tick as its ctime could keep that ctime, so a stamp is trusted only when its ctime is clearly
/// older than the moment it was taken (git's "racily clean" rule).</param>
public sealed record FileStamp(string File, long Offset, long Length, ulong Device, ulong Inode, long Size, long MtimeNanoseconds, long CtimeNanoseconds,
    long TakenNanoseconds)
{
    /// <summary>The stamp of the file <paramref name="handle"/> reads, for the blob at [offset, offset+length); null when it cannot be taken.</summary>
    public static FileStamp? Of(SafeFileHandle handle, string file, long offset, long length)
    {
        var taken = (DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100;
        return NativeStat.Stat(handle) is { } s
            ? new FileStamp(Path.GetFullPath(file), offset, length, ((ulong)s.DevMajor << 32) | s.DevMinor, s.Inode, s.Size, s.MtimeNanoseconds, s.CtimeNanoseconds, taken)
            : null;
    }

    /// <summary>The same bytes of the same, unchanged file (every field but the moment each stamp was taken).</summary>
    public bool SameFileAs(FileStamp other)
        => File == other.File && Offset == other.Offset && Length == other.Length && Device == other.Device && Inode == other.Inode && Size == other.Size
           && MtimeNanoseconds == other.MtimeNanoseconds && CtimeNanoseconds == other.CtimeNanoseconds;
}
