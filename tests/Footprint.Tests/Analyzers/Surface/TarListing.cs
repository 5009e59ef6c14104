using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Analyzers.Surface;

/// <summary>GNU tar's verbose listing of a rootfs tarball: the independent view of modes, links and paths.</summary>
internal sealed record TarListing(string Permissions, string Path, string? LinkTarget)
{
    public static List<TarListing> Read(string archive)
    {
        var result = new List<TarListing>();
        foreach (var line in Tool.Output("tar", "--numeric-owner", "--quoting-style=literal", "-tvf", archive).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // "-rwsr-xr-x 0/0 12345 2024-01-01 00:00 ./bin/bbsuid", "lrwxrwxrwx 0/0 0 2024-01-01 00:00 ./bin/sh -> /bin/busybox"
            var f = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 6)
            {
                continue;
            }

            var rest = f[5];
            string? target = null;
            foreach (var arrow in (string[])[" -> ", " link to "])
            {
                var at = rest.IndexOf(arrow, StringComparison.Ordinal);
                if (at > 0)
                {
                    target = rest[(at + arrow.Length)..];
                    rest = rest[..at];
                    break;
                }
            }

            var path = "/" + rest.TrimStart('.').TrimStart('/').TrimEnd('/');
            result.Add(new TarListing(f[0], path, target));
        }

        return result;
    }

    public bool IsFile => Permissions[0] is '-' or 'h';

    public bool IsDirectory => Permissions[0] == 'd';

    public bool SetUid => Permissions[3] is 's' or 'S';

    public bool SetGid => Permissions[6] is 's' or 'S';

    public bool OtherWrite => Permissions[8] == 'w';

    public bool Sticky => Permissions[9] is 't' or 'T';
}
