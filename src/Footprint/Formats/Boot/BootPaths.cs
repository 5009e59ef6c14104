namespace Footprint.Formats.Boot;

/// <summary>
/// Paths as bootloaders resolve them: relative to the configuration's directory (SYSLINUX 4+ changes its working
/// directory to the config's), "\" read as "/", a GRUB device prefix such as <c>(hd0,1)</c> or <c>($root)</c> dropped,
/// "." and ".." folded, never above the medium's root.
/// </summary>
public static class BootPaths
{
    /// <summary>The directory of <paramref name="path"/> ("" for a file at the root).</summary>
    public static string Directory(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash > 0 ? path[..slash] : "";
    }

    /// <summary>Resolves <paramref name="path"/> against <paramref name="dir"/>; returns "" for a path naming the root.</summary>
    public static string Resolve(string dir, string path)
    {
        var p = path.Replace('\\', '/');
        if (p.StartsWith('(') && p.IndexOf(')', StringComparison.Ordinal) is var close and > 0)
        {
            p = p[(close + 1)..];
            if (p.Length == 0 || p[0] != '/')
            {
                p = "/" + p;
            }
        }

        var parts = new List<string>();
        var combined = p.StartsWith('/') ? p : dir + "/" + p;
        foreach (var part in combined.Split('/'))
        {
            if (part.Length == 0 || part == ".")
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

            parts.Add(part);
        }

        return string.Join('/', parts);
    }
}
