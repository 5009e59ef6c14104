using Footprint.Analyzers.Surface;

namespace Footprint.Reports.Comparisons;

/// <summary>
/// Surface items gained and lost: the surface sections of both reports flattened to (class, name, path, detail) and
/// set-compared, so a new SUID file, a new listening daemon or a daemon on another port, a new shell, a new login
/// account each show as one line.
/// </summary>
public static class SurfaceDiff
{
    public static IReadOnlyList<SurfaceChange> Of(SurfaceReport old, SurfaceReport @new)
    {
        var before = Items(old).ToHashSet();
        var after = Items(@new).ToHashSet();
        return after.Except(before).Select(i => new SurfaceChange(i.Class, "gained", i.Name, i.Path, i.Detail))
            .Concat(before.Except(after).Select(i => new SurfaceChange(i.Class, "lost", i.Name, i.Path, i.Detail)))
            .OrderBy(c => c.Class, StringComparer.Ordinal).ThenBy(c => c.Name, StringComparer.Ordinal).ThenBy(c => c.Path, StringComparer.Ordinal)
            .ThenBy(c => c.Change, StringComparer.Ordinal).ThenBy(c => c.Detail, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Every item of <paramref name="s"/> as a comparable value.</summary>
    public static IEnumerable<(string Class, string Name, string Path, string? Detail)> Items(SurfaceReport s)
    {
        foreach (var i in s.Shells)
        {
            yield return ("shell", i.Name, i.Path, null);
        }

        foreach (var i in s.PackageManagers)
        {
            yield return ("package-manager", i.Name, i.Path, null);
        }

        foreach (var i in s.Interpreters)
        {
            yield return ("interpreter", i.Name, i.Path, null);
        }

        foreach (var f in s.SetIdFiles)
        {
            var detail = $"mode {f.Mode} uid {f.Uid} gid {f.Gid}";
            if (f.SetUid)
            {
                yield return ("setuid", f.Path, f.Path, detail);
            }

            if (f.SetGid)
            {
                yield return ("setgid", f.Path, f.Path, detail);
            }
        }

        foreach (var c in s.Capabilities)
        {
            yield return ("capability", c.Path, c.Path, c.Text);
        }

        foreach (var i in s.WorldWritable)
        {
            yield return ("world-writable", i.Name, i.Path, null);
        }

        foreach (var d in s.Daemons)
        {
            yield return ("daemon", d.Name, d.Path, d.Ports.Count == 0 ? "no port" : "ports " + string.Join(',', d.Ports));
        }

        foreach (var i in s.Init.Services)
        {
            yield return ("service", i.Name, i.Path, null);
        }

        yield return ("init", s.Init.System, string.Empty, null);
        foreach (var i in s.Accounts.Findings)
        {
            yield return ("account-finding", i.Name, i.Path, i.Why);
        }

        foreach (var u in s.Accounts.Users.Where(u => u.LoginShell))
        {
            yield return ("login-account", u.Name, "/etc/passwd", $"uid {u.Uid} shell {u.Shell}");
        }
    }
}
