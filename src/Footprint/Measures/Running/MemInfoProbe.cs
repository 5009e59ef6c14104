using System.Globalization;
using System.Text.RegularExpressions;

namespace Footprint.Measures.Running;

/// <summary>
/// The idle-memory probe typed on the guest's shell: shell builtins only (while, read, echo: no program is
/// started, so the probe itself allocates almost nothing), answering on one line
/// <c>FPMEM MemTotal:N MemFree:N ... FPEND</c> with every /proc/meminfo field. The typed command's own echo never matches the answer's pattern
/// (it holds <c>$m</c>, not digits).
/// </summary>
public static partial class MemInfoProbe
{
    /// <remarks>
    /// Short on purpose (72 characters): on the VGA route every character is a QMP key press the guest echoes, about
    /// 0.1 s each under emulation. Every field is printed (about 12 rows of the 80x25 screen); the parser keeps the ones
    /// reported.
    /// </remarks>
    public const string Command = "m=;while read k v u;do m=\"$m $k$v\";done</proc/meminfo;echo FPMEM$m FPEND\n";

    /// <summary>
    /// Typed before <see cref="Command"/> when its answer came back empty (a guest without /proc mounted, as FLOPPINUX):
    /// the one change Footprint makes to a guest, reported as such.
    /// </summary>
    public const string MountProc = "mkdir -p /proc;mount -t proc proc /proc\n";

    /// <summary>How many times the probe answered with no field at all (/proc/meminfo unreadable).</summary>
    public static int EmptyAnswers(string console) => EmptyAnswer().Count(console.Replace("\n", "", StringComparison.Ordinal));

    /// <summary>The answer on the console, or null while it has not arrived.</summary>
    public static MemInfo? Parse(string console, int machineMiB)
    {
        var m = AnswerPattern().Match(console.Replace("\n", "", StringComparison.Ordinal));
        return m.Success ? FromFields(Fields(m.Groups[1].Value), machineMiB) : null;
    }

    /// <summary>Reads /proc/meminfo text ("MemTotal:  123 kB" lines), as the independent probe prints it.</summary>
    public static MemInfo? ParseMeminfo(string text, int machineMiB)
    {
        var fields = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (Match line in MeminfoLine().Matches(text))
        {
            fields.TryAdd(line.Groups[1].Value, long.Parse(line.Groups[2].Value, CultureInfo.InvariantCulture));
        }

        return FromFields(fields, machineMiB);
    }

    private static Dictionary<string, long> Fields(string answer)
    {
        var fields = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var pair in answer.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = pair.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && long.TryParse(pair[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var v))
            {
                fields.TryAdd(pair[..colon], v);
            }
        }

        return fields;
    }

    private static MemInfo? FromFields(Dictionary<string, long> f, int machineMiB)
    {
        if (!f.TryGetValue("MemTotal", out var total) || !f.TryGetValue("MemFree", out var free))
        {
            return null;
        }

        return new MemInfo
        {
            MachineMiB = machineMiB,
            MemTotalKiB = total,
            MemFreeKiB = free,
            MemAvailableKiB = f.TryGetValue("MemAvailable", out var a) ? a : null,
            BuffersKiB = f.TryGetValue("Buffers", out var b) ? b : null,
            CachedKiB = f.TryGetValue("Cached", out var c) ? c : null,
            ShmemKiB = f.TryGetValue("Shmem", out var s) ? s : null,
            SReclaimableKiB = f.TryGetValue("SReclaimable", out var r) ? r : null,
        };
    }

    // The VGA screen wraps the answer at 80 columns (its rows are kept full width): newlines are removed before matching.
    [GeneratedRegex(@"FPMEM((?: [A-Za-z0-9_()]{1,40}:[0-9]{1,15})+) FPEND")]
    private static partial Regex AnswerPattern();

    [GeneratedRegex("FPMEM +FPEND")]
    private static partial Regex EmptyAnswer();

    [GeneratedRegex(@"^([A-Za-z()_]+):\s+([0-9]{1,15})", RegexOptions.Multiline)]
    private static partial Regex MeminfoLine();
}
