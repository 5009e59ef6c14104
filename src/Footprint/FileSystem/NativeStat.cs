using System.Runtime.InteropServices;

using Microsoft.Win32.SafeHandles;

namespace Footprint.FileSystem;

/// <summary>
/// statx(2) and lgetxattr(2) through libc. .NET does not expose uid, gid, inode or link count;
/// statx is used because its struct layout is the same on every architecture (linux/stat.h),
/// unlike struct stat.
/// </summary>
internal static partial class NativeStat
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxBasicStats = 0x7ff;
    private const int StatxBufferBytes = 256;

    public readonly record struct Info(uint Mode, uint Uid, uint Gid, uint LinkCount, ulong Inode, long Size, long Blocks, long MtimeSeconds, uint DevMajor, uint DevMinor, uint RdevMajor, uint RdevMinor,
        long MtimeNanoseconds = 0, long CtimeNanoseconds = 0);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statx(int dirfd, string path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", EntryPoint = "lgetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial nint LGetXattr(string path, string name, byte* value, nuint size);

    public static unsafe Info? Stat(string path)
    {
        var buffer = stackalloc byte[StatxBufferBytes];
        return Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, buffer) != 0 ? null : Decode(buffer);
    }

    /// <summary>
    /// statx of <paramref name="name"/> inside the open directory <paramref name="directory"/>, without following a final
    /// symlink: the kernel looks up one component instead of walking the whole path again (a host walk stats 500k entries).
    /// </summary>
    public static unsafe Info? StatAt(SafeHandle directory, string name)
    {
        var added = false;
        try
        {
            directory.DangerousAddRef(ref added);
            var buffer = stackalloc byte[StatxBufferBytes];
            return Statx((int)directory.DangerousGetHandle(), name, AtSymlinkNoFollow, StatxBasicStats, buffer) != 0 ? null : Decode(buffer);
        }
        finally
        {
            if (added)
            {
                directory.DangerousRelease();
            }
        }
    }

    /// <summary>The file an open handle reads (fstat semantics): what was opened, even if its path was replaced since.</summary>
    public static unsafe Info? Stat(SafeFileHandle handle)
    {
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            var buffer = stackalloc byte[StatxBufferBytes];
            return Statx((int)handle.DangerousGetHandle(), string.Empty, AtEmptyPath, StatxBasicStats, buffer) != 0 ? null : Decode(buffer);
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    private static unsafe Info Decode(byte* buffer)
    {
        // Offsets from struct statx in include/uapi/linux/stat.h; a timestamp is {s64 tv_sec; u32 tv_nsec; s32 reserved}.
        return new Info(
            Mode: *(ushort*)(buffer + 28),
            Uid: *(uint*)(buffer + 20),
            Gid: *(uint*)(buffer + 24),
            LinkCount: *(uint*)(buffer + 16),
            Inode: *(ulong*)(buffer + 32),
            Size: *(long*)(buffer + 40),
            Blocks: *(long*)(buffer + 48),
            MtimeSeconds: *(long*)(buffer + 112),
            DevMajor: *(uint*)(buffer + 136),
            DevMinor: *(uint*)(buffer + 140),
            RdevMajor: *(uint*)(buffer + 128),
            RdevMinor: *(uint*)(buffer + 132),
            MtimeNanoseconds: Nanoseconds(buffer + 112),
            CtimeNanoseconds: Nanoseconds(buffer + 96));
    }

    private static unsafe long Nanoseconds(byte* timestamp) => *(long*)timestamp * 1_000_000_000L + *(uint*)(timestamp + 8);

    /// <summary>Reads one extended attribute (at most 4 KiB; file capabilities are 20-24 bytes).</summary>
    public static unsafe byte[]? GetXattr(string path, string name)
    {
        var buffer = stackalloc byte[4096];
        var n = LGetXattr(path, name, buffer, 4096);
        return n <= 0 ? null : new ReadOnlySpan<byte>(buffer, (int)n).ToArray();
    }
}
