using System.Runtime.InteropServices;

namespace Footprint.Measures.Running.Container;

/// <summary>
/// link(2), mkdir(2) and chmod(2) through libc, for the sandbox's private root: .NET has no hard-link API, and its
/// mode-taking directory and chmod calls are marked unsupported on Windows (which this Linux-only measurement never
/// runs on). mkdir fails when the name exists, which is what the materialiser wants: it never reuses a name.
/// </summary>
internal static partial class UnixCalls
{
    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string existing, string created);

    [LibraryImport("libc", EntryPoint = "mkdir", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Mkdir(string path, uint mode);

    [LibraryImport("libc", EntryPoint = "chmod", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Chmod(string path, uint mode);

    /// <summary>Makes <paramref name="created"/> a second name of <paramref name="existing"/>; neither is followed if it is a symlink.</summary>
    /// <exception cref="IOException">link(2) failed (errno in the message).</exception>
    public static void HardLink(string existing, string created) => Check(Link(existing, created), "link", created);

    /// <summary>Creates a directory that must not exist yet, with exactly <paramref name="mode"/> (the umask is undone by chmod).</summary>
    public static void MakeDirectory(string path, int mode)
    {
        Check(Mkdir(path, (uint)mode), "mkdir", path);
        ChangeMode(path, mode);
    }

    /// <summary>chmod(2); follows a symlink, so callers only pass paths they created as files or directories.</summary>
    public static void ChangeMode(string path, int mode) => Check(Chmod(path, (uint)mode), "chmod", path);

    private static void Check(int result, string call, string path)
    {
        if (result != 0)
        {
            throw new IOException($"{call} {path}: errno {Marshal.GetLastPInvokeError()}");
        }
    }
}
