using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Footprint.Sources.Directory;

/// <summary>
/// A directory read through its own descriptor: open(2), getdents64(2), then each entry stat'ed and its link read
/// relative to that descriptor (statx/readlinkat with a dirfd), as find(1) does. Walking a host this way spares the
/// kernel a lookup of every path component per entry (half a million entries, most of them four or more deep).
/// Names are decoded as .NET's own enumeration decodes them (UTF-8, invalid bytes become U+FFFD), so an entry
/// gets the same name, and the same failure to stat, on either path.
/// </summary>
internal static partial class NativeDirectory
{
    // asm-generic/fcntl.h values, the same on x86-64 and arm64. O_NONBLOCK: a directory replaced by a FIFO between
    // its stat and this open must not block the walk (getdents64 then fails with ENOTDIR and the caller falls back).
    private const int OpenReadOnly = 0;
    private const int OpenNonBlocking = 0x800;
    private const int OpenCloseOnExec = 0x80000;

    /// <summary>One getdents64 call's buffer: a few hundred entries.</summary>
    private const int DirentBufferBytes = 64 << 10;

    /// <summary>struct linux_dirent64: u64 d_ino, s64 d_off, u16 d_reclen, u8 d_type, then the NUL-terminated name.</summary>
    private const int DirentReclenOffset = 16, DirentNameOffset = 19;

    /// <summary>A symlink target is at most PATH_MAX - 1 bytes on Linux; a longer one is read by the slower path.</summary>
    private const int LinkBufferBytes = 4096;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "getdents64", SetLastError = true)]
    private static unsafe partial nint GetDents64(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "readlinkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial nint ReadLinkAt(int dirfd, string path, byte* buffer, nuint size);

    /// <summary>The directory opened for reading its entries, or null (vanished, no permission, not a directory any more).</summary>
    public static SafeFileHandle? OpenDirectory(string path)
    {
        var fd = Open(path, OpenReadOnly | OpenNonBlocking | OpenCloseOnExec);
        return fd < 0 ? null : new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>The names in the directory, without "." and ".." (unsorted), or null when reading it failed part way.</summary>
    public static unsafe List<string>? ReadNames(SafeFileHandle directory)
    {
        var names = new List<string>();
        var buffer = ArrayPool<byte>.Shared.Rent(DirentBufferBytes);
        var added = false;
        try
        {
            directory.DangerousAddRef(ref added);
            var fd = (int)directory.DangerousGetHandle();
            fixed (byte* start = buffer)
            {
                while (true)
                {
                    var n = GetDents64(fd, start, (nuint)buffer.Length);
                    if (n < 0)
                    {
                        return null;
                    }

                    if (n == 0)
                    {
                        return names;
                    }

                    var at = 0;
                    while (at + DirentNameOffset < n)
                    {
                        var reclen = *(ushort*)(start + at + DirentReclenOffset);
                        if (reclen <= DirentNameOffset || at + reclen > n)
                        {
                            return null;
                        }

                        var name = new ReadOnlySpan<byte>(start + at + DirentNameOffset, reclen - DirentNameOffset);
                        var end = name.IndexOf((byte)0);
                        name = end < 0 ? name : name[..end];
                        if (!(name.Length == 1 && name[0] == '.') && !(name.Length == 2 && name[0] == '.' && name[1] == '.'))
                        {
                            names.Add(Encoding.UTF8.GetString(name));
                        }

                        at += reclen;
                    }
                }
            }
        }
        finally
        {
            if (added)
            {
                directory.DangerousRelease();
            }

            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The target of the symlink <paramref name="name"/> in the directory, decoded as <see cref="FileSystemInfo.LinkTarget"/>
    /// decodes it; null when it cannot be read. <paramref name="tooLong"/> says the target filled the buffer (read it by path).
    /// </summary>
    public static unsafe string? ReadLink(SafeFileHandle directory, string name, out bool tooLong)
    {
        tooLong = false;
        var added = false;
        try
        {
            directory.DangerousAddRef(ref added);
            var buffer = stackalloc byte[LinkBufferBytes];
            var n = ReadLinkAt((int)directory.DangerousGetHandle(), name, buffer, LinkBufferBytes);
            if (n < 0)
            {
                return null;
            }

            if (n >= LinkBufferBytes)
            {
                tooLong = true;
                return null;
            }

            return Encoding.UTF8.GetString(new ReadOnlySpan<byte>(buffer, (int)n));
        }
        finally
        {
            if (added)
            {
                directory.DangerousRelease();
            }
        }
    }
}
