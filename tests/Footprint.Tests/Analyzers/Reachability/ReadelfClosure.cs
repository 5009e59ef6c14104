using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Analyzers.Reachability;

/// <summary>
/// An independent closure for the tests: `readelf -d` NEEDED names and `readelf -l` PT_INTERP of an extracted tree,
/// each name searched in the given directories (no ld.so.cache, no RPATH: the fixtures' programs have none),
/// symlinks followed inside the tree (an absolute target is taken relative to the tree, as a chroot would).
/// </summary>
internal static class ReadelfClosure
{
    public static List<string> Compute(string root, string program, string[] dirs)
    {
        var result = new List<string>();
        var start = Real(root, program) ?? throw new InvalidOperationException(program + " is not in the tree");
        result.Add(start);
        var interp = Tool.Output("readelf", "-lW", root + start).Split('\n').Select(l => l.Trim())
            .FirstOrDefault(l => l.StartsWith("[Requesting program interpreter:", StringComparison.Ordinal));
        if (interp is not null)
        {
            result.Add(Real(root, interp["[Requesting program interpreter:".Length..].TrimEnd(']').Trim())!);
        }

        var queue = new Queue<string>([start]);
        while (queue.Count > 0)
        {
            var file = queue.Dequeue();
            foreach (var line in Tool.Output("readelf", "-dW", root + file).Split('\n').Where(l => l.Contains("(NEEDED)", StringComparison.Ordinal)))
            {
                var name = line[(line.IndexOf('[', StringComparison.Ordinal) + 1)..line.LastIndexOf(']')];
                var found = dirs.Select(d => Real(root, d + "/" + name)).FirstOrDefault(r => r is not null)
                    ?? throw new InvalidOperationException($"{name} needed by {file} is in none of {string.Join(':', dirs)}");
                if (!result.Contains(found))
                {
                    result.Add(found);
                    queue.Enqueue(found);
                }
            }
        }

        return result;
    }

    /// <summary>The tree-relative real path ("/lib/ld-musl-x86_64.so.1") of a path, or null when it does not exist.</summary>
    public static string? Real(string root, string path)
    {
        var parts = new List<string>();
        var pending = new Stack<string>(path.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());
        for (var hops = 0; pending.Count > 0 && hops < 64;)
        {
            var part = pending.Pop();
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }

                continue;
            }

            var full = root + "/" + string.Join('/', parts.Append(part));
            var info = new FileInfo(full);
            if (info.LinkTarget is { } target)
            {
                hops++;
                if (target.StartsWith('/'))
                {
                    parts.Clear();
                }

                foreach (var t in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse())
                {
                    pending.Push(t);
                }

                continue;
            }

            if (!info.Exists && !Directory.Exists(full))
            {
                return null;
            }

            parts.Add(part);
        }

        return pending.Count > 0 ? null : "/" + string.Join('/', parts);
    }
}
