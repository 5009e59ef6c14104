using Footprint.FileSystem;
using Footprint.Formats;

namespace Footprint.Reports.Catalog;

/// <summary>
/// The commands a shell finds on the default PATH of a system, for `choose --need COMMAND`: every name in the PATH
/// directories that resolves (symlinks followed, confined to the root) to a regular file with an execute bit. BusyBox
/// applets (symlinks or hard links to /bin/busybox) count, as a shell runs them; a dangling link does not.
/// </summary>
public static class PathCommands
{
    /// <summary>The PATH Debian, Alpine and BusyBox images set (and the order a shell searches), without a leading slash.</summary>
    public static readonly IReadOnlyList<string> Directories = ["usr/local/sbin", "usr/local/bin", "usr/sbin", "usr/bin", "sbin", "bin"];

    private const int AnyExecuteBits = 0b001_001_001;

    public static IReadOnlyList<string> List(IFileSystemView view)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var dir in Directories)
        {
            var node = view.TryResolve(dir, followFinal: true, out var resolved);
            // bin -> usr/bin (usrmerge) is one directory reached twice.
            if (node is not { Kind: FileKind.Directory } || !seen.Add(resolved))
            {
                continue;
            }

            foreach (var child in node.ChildNodes)
            {
                if (names.Contains(child.Name))
                {
                    continue;
                }

                if (view.TryResolve(resolved.TrimStart('/') + "/" + child.Name, followFinal: true, out _) is { Kind: FileKind.Regular } target
                    && (target.Mode & AnyExecuteBits) != 0)
                {
                    names.Add(child.Name);
                }
            }
        }

        return names.ToList();
    }
}
