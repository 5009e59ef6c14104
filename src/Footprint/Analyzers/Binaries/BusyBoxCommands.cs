using Footprint.FileSystem;
using Footprint.Formats;

namespace Footprint.Analyzers.Binaries;

/// <summary>
/// Which everyday commands are BusyBox applets rather than the GNU (or other full) tools a script may assume: each
/// name is looked up in the PATH directories the way a shell would (first hit wins, symlinks followed) and classed by
/// what it resolves to: the BusyBox binary (its banner, see <see cref="Formats.Elf.ElfSummary.BusyBoxVersion"/>) or
/// another program. A script written for GNU sed, grep -P or bash arrays fails on the applet; this is the list to check.
/// </summary>
public static class BusyBoxCommands
{
    /// <summary>Commands scripts commonly rely on, whose BusyBox applets differ from the GNU/util-linux/procps tools.</summary>
    public static readonly IReadOnlyList<string> Common =
    [
        "awk", "cat", "chmod", "chown", "cp", "cut", "date", "dd", "df", "du", "env", "find", "grep", "gzip", "head", "hexdump",
        "id", "ip", "kill", "less", "ln", "ls", "mkdir", "mktemp", "mount", "mv", "nc", "netstat", "od", "ping", "ps", "readlink",
        "realpath", "rm", "sed", "sh", "sleep", "sort", "stat", "su", "tail", "tar", "tee", "top", "touch", "tr", "uniq", "vi",
        "wc", "wget", "xargs",
    ];

    private static readonly string[] PathDirectories = ["usr/local/sbin", "usr/local/bin", "usr/sbin", "usr/bin", "sbin", "bin"];

    /// <summary>Null when no BusyBox binary is installed (no files-only busybox package was found).</summary>
    public static BusyBoxReport? Classify(IFileSystemView view, Analyzers.Packages.PackageInventory binaries)
    {
        if (binaries.Packages.FirstOrDefault(p => p.Name == "busybox") is not { } busybox)
        {
            return null;
        }

        var applets = new List<string>();
        var others = new List<string>();
        foreach (var command in Common)
        {
            foreach (var dir in PathDirectories)
            {
                if (view.TryResolve(dir + "/" + command, followFinal: true, out _) is not { Kind: FileKind.Regular, Data: { } data })
                {
                    continue;
                }

                (data.GetElf()?.BusyBoxVersion is not null ? applets : others).Add(command);
                break;
            }
        }

        return new BusyBoxReport(busybox.Version, busybox.Evidence.Path, Math.Max(0, busybox.Files.Count - 1), applets, others);
    }
}
