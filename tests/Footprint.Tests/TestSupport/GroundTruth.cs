namespace Footprint.Tests.TestSupport;

/// <summary>
/// Independent figures for a tree on disk: our own walk of what GNU tar (or umoci) extracted, and du.
/// Uses `find` and `du` rather than Footprint's code so the two cannot share a mistake.
/// </summary>
internal static class GroundTruth
{
    public sealed record Figures(long ApparentBytes, long OnDiskBytes, long Files, long Directories, long Symlinks);

    /// <summary>Extracts an archive with GNU tar. Device nodes may fail to be created in a sandbox; that does not touch file sizes.</summary>
    public static void Extract(string archive, string into)
    {
        var (code, _, stderr) = Tool.Run("tar", "--numeric-owner", "-xf", archive, "-C", into);
        if (code != 0 && stderr.Split('\n').Any(l => l.Length > 0 && !l.Contains("Cannot mknod", StringComparison.Ordinal) && !l.Contains("Exiting with failure", StringComparison.Ordinal)))
        {
            throw new InvalidOperationException($"tar -xf {archive} failed ({code}): {stderr}");
        }
    }

    public static Figures Measure(string dir)
    {
        // Regular files by inode: hard links count once.
        var inodes = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in Tool.Output("find", dir, "-type", "f", "-printf", "%D:%i %s\n").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ');
            inodes[parts[0]] = long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        }

        long Count(string type) => Tool.Output("find", dir, "-mindepth", "1", "-type", type, "-printf", ".").Length;
        var du = long.Parse(Tool.Output("du", "-sB1", dir).Split('\t')[0], System.Globalization.CultureInfo.InvariantCulture);
        return new Figures(inodes.Values.Sum(), du, inodes.Count, Count("d"), Count("l"));
    }

    /// <summary>Every path under dir with its type letter and, for files, size: "f 1234 usr/bin/x", "d usr", "l usr/lib/x -> y".</summary>
    public static SortedSet<string> Listing(string dir)
    {
        var lines = Tool.Output("find", dir, "-mindepth", "1", "-printf", "%y %P %s %l\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var set = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            set.Add(Normalize(line));
        }

        return set;
    }

    /// <summary>Directory sizes and symlink sizes vary by filesystem; keep only what the archive defines.</summary>
    private static string Normalize(string line)
    {
        var type = line[0];
        var rest = line[2..];
        var parts = rest.Split(' ');
        return type switch
        {
            'f' => $"f {parts[0]} {parts[1]}",
            'l' => $"l {parts[0]} -> {string.Join(' ', parts[2..])}",
            _ => $"{type} {parts[0]}",
        };
    }
}
