using System.Globalization;
using System.Text;

namespace Footprint.Measures.Running.Container;

/// <summary>
/// The processes a sandbox runs, read from the host's /proc: every descendant of bwrap (found through the parent pid
/// in /proc/PID/stat, so daemons that detached or started their own session are still found: inside the PID
/// namespace they are re-parented to bwrap's pid 1), except bwrap itself and its pid 1 (bwrap's own reaper, whose
/// memory is the sandbox's, not the entrypoint's). Each one's memory is its /proc/PID/smaps_rollup.
/// </summary>
internal static class SandboxProcesses
{
    /// <summary>The entrypoint's processes under <paramref name="bwrapPid"/> with their memory, ordered by pid; processes that end while read are left out.</summary>
    public static IReadOnlyList<ContainerProcess> Measure(int bwrapPid)
    {
        var result = new List<ContainerProcess>();
        foreach (var pid in Descendants(bwrapPid))
        {
            var nsPid = NsPid(pid);
            if (nsPid is null or 1)
            {
                // Gone already, or bwrap's pid 1 inside the namespace.
                continue;
            }

            var comm = Read($"/proc/{pid}/comm");
            var rollup = Read($"/proc/{pid}/smaps_rollup") is { } text ? SmapsRollup.Parse(text) : null;
            if (comm is null || rollup is null)
            {
                continue;
            }

            result.Add(new ContainerProcess(pid, nsPid.Value, ConsoleText.Clean(Encoding.UTF8.GetBytes(comm.TrimEnd('\n'))), rollup));
        }

        return [.. result.OrderBy(p => p.Pid)];
    }

    /// <summary>Processes below <paramref name="root"/> (not itself), from one pass over /proc.</summary>
    internal static List<int> Descendants(int root)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || Read($"/proc/{pid}/stat") is not { } stat)
            {
                continue;
            }

            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so fields count from the last ')'.
            var close = stat.LastIndexOf(')');
            var fields = close < 0 || close + 2 > stat.Length ? Array.Empty<string>() : stat[(close + 2)..].Split(' ');
            if (fields.Length > 1 && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ppid))
            {
                if (!children.TryGetValue(ppid, out var list))
                {
                    list = [];
                    children[ppid] = list;
                }

                list.Add(pid);
            }
        }

        var found = new List<int>();
        var seen = new HashSet<int> { root };
        var pending = new Queue<int>();
        pending.Enqueue(root);
        while (pending.Count > 0)
        {
            foreach (var child in children.GetValueOrDefault(pending.Dequeue()) ?? [])
            {
                if (seen.Add(child))
                {
                    found.Add(child);
                    pending.Enqueue(child);
                }
            }
        }

        return found;
    }

    /// <summary>The process's pid in its own (innermost) PID namespace: the last NSpid value of /proc/PID/status.</summary>
    private static int? NsPid(int pid)
    {
        var status = Read($"/proc/{pid}/status");
        var line = status?.Split('\n').FirstOrDefault(l => l.StartsWith("NSpid:", StringComparison.Ordinal));
        var last = line?.Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        return int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var ns) ? ns : null;
    }

    private static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
