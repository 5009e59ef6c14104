namespace Footprint.Analyzers.Reachability;

/// <summary>
/// The programs a system (not a container) starts, from the files that say so: /sbin/init (whatever it links to),
/// the process field of /etc/inittab lines (BusyBox and sysvinit: id:runlevels:action:process), ExecStart= of every
/// systemd unit a *.wants directory enables (systemd.service(5); the "-@:+!" prefixes dropped), and the
/// <c>procd_set_param command</c> of OpenWrt's /etc/init.d scripts (procd's init-scripts, with simple NAME=value
/// variables of the script substituted).
/// </summary>
internal static class SystemEntrypoints
{
    public static List<Entrypoint> Find(
        Func<string, bool> exists, IReadOnlyDictionary<string, string> texts, IReadOnlySet<string> wantedUnits)
    {
        var found = new List<Entrypoint>();
        if (exists("/sbin/init"))
        {
            found.Add(new Entrypoint("init", "/sbin/init", [], "/sbin/init"));
        }

        if (texts.TryGetValue("etc/inittab", out var inittab))
        {
            var n = 0;
            foreach (var line in inittab.Split('\n'))
            {
                n++;
                var text = line.Trim();
                if (text.Length == 0 || text.StartsWith('#'))
                {
                    continue;
                }

                var fields = text.Split(':', 4);
                if (fields.Length == 4 && Words(fields[3].TrimStart('-')) is [var command, .. var rest])
                {
                    found.Add(new Entrypoint("inittab", command, rest, $"/etc/inittab line {n}: {text}"));
                }
            }
        }

        foreach (var (path, text) in texts.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            if (IsUnitFile(path) && wantedUnits.Contains(path[(path.LastIndexOf('/') + 1)..]))
            {
                foreach (var line in text.Split('\n'))
                {
                    var t = line.Trim();
                    if (t.StartsWith("ExecStart=", StringComparison.Ordinal) && Words(t["ExecStart=".Length..].TrimStart('-', '@', ':', '+', '!')) is [var command, .. var rest])
                    {
                        found.Add(new Entrypoint("systemd", command, rest, $"/{path}: {t}"));
                    }
                }
            }
            else if (path.StartsWith("etc/init.d/", StringComparison.Ordinal))
            {
                found.AddRange(Procd(path, text));
            }
        }

        return found.DistinctBy(e => (e.Kind, e.Command)).ToList();
    }

    /// <summary>A systemd unit file: NAME.service in one of the unit directories systemd reads.</summary>
    public static bool IsUnitFile(string path)
        => path.EndsWith(".service", StringComparison.Ordinal)
            && (path.StartsWith("etc/systemd/system/", StringComparison.Ordinal) || path.StartsWith("lib/systemd/system/", StringComparison.Ordinal)
                || path.StartsWith("usr/lib/systemd/system/", StringComparison.Ordinal));

    /// <summary>The unit name of an entry of a *.wants directory (etc/systemd/system/multi-user.target.wants/ssh.service).</summary>
    public static string? WantedUnit(string path)
    {
        var slash = path.LastIndexOf('/');
        if (slash <= 0 || !path.EndsWith(".service", StringComparison.Ordinal))
        {
            return null;
        }

        var dir = path[..slash];
        return dir.EndsWith(".wants", StringComparison.Ordinal) && (dir.Contains("/systemd/system/", StringComparison.Ordinal) || dir.StartsWith("etc/systemd/system/", StringComparison.Ordinal))
            ? path[(slash + 1)..]
            : null;
    }

    private static IEnumerable<Entrypoint> Procd(string path, string text)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        foreach (var line in lines)
        {
            var t = line.Trim();
            var eq = t.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && t[..eq].All(c => char.IsAsciiLetterOrDigit(c) || c == '_') && !t.Contains(' ', StringComparison.Ordinal))
            {
                variables[t[..eq]] = t[(eq + 1)..].Trim('"', '\'');
            }
        }

        foreach (var line in lines)
        {
            var t = line.Trim();
            const string Marker = "procd_set_param command ";
            var at = t.IndexOf(Marker, StringComparison.Ordinal);
            if (at < 0 || t.StartsWith('#'))
            {
                continue;
            }

            var words = Words(t[(at + Marker.Length)..]).Select(w => Substitute(w, variables)).ToList();
            if (words is [var command, .. var rest])
            {
                yield return new Entrypoint("procd", command, rest, $"/{path}: {t}");
            }
        }
    }

    private static string Substitute(string word, Dictionary<string, string> variables)
    {
        var name = word.StartsWith("${", StringComparison.Ordinal) && word.EndsWith('}') ? word[2..^1] : word.StartsWith('$') ? word[1..] : null;
        return name is not null && variables.TryGetValue(name, out var value) ? value : word;
    }

    private static List<string> Words(string text)
        => text.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries).Select(w => w.Trim('"', '\'')).Where(w => w.Length > 0).ToList();
}
