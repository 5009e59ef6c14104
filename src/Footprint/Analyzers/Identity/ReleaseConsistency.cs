using Footprint.Analyzers.Packages;
using Footprint.FileSystem;

namespace Footprint.Analyzers.Identity;

/// <summary>
/// Whether the release files and the package database state the same release. An Alpine LXD image was seen with
/// VERSION_ID=3.8.0 in /etc/os-release while its apk database held alpine-base 3.8.5-r0 and apk had left the 3.8.5
/// os-release beside it as /etc/os-release.apk-new: the file had been edited, so apk did not replace it. Anything keyed
/// on the version (the purl's distro qualifier, a vulnerability feed's branch) would use whichever it read first, so
/// both are reported and a "release-mismatch" warning names every file and version.
/// </summary>
public static class ReleaseConsistency
{
    /// <summary>Packages whose version is the release they belong to (Alpine's alpine-base metapackage, and alpine-release where it exists).</summary>
    private static readonly HashSet<(string Ecosystem, string Name)> ReleasePackages = [("apk", "alpine-base"), ("apk", "alpine-release")];

    /// <summary>One statement of the release: where, as written ("VERSION_ID=3.8.0", "alpine-base 3.8.5-r0"), and the release it names.</summary>
    public sealed record Claim(string Path, string Written, string Release);

    /// <summary>The warnings (none or one) for the claims of the release files and the release packages of the databases.</summary>
    public static IReadOnlyList<FsWarning> Check(IReadOnlyList<Claim> fileClaims, IReadOnlyList<PackageInventory> inventories, string source)
    {
        var claims = fileClaims.ToList();
        foreach (var p in inventories.SelectMany(i => i.Packages).Where(p => ReleasePackages.Contains((p.Ecosystem, p.Name))))
        {
            // apk versions end in the package release, "-r0": the distribution release is what precedes it.
            var dash = p.Version.LastIndexOf("-r", StringComparison.Ordinal);
            var release = dash > 0 ? p.Version[..dash] : p.Version;
            if (ReleaseVersion.IsNumeric(release))
            {
                claims.Add(new Claim($"{p.Evidence.Path}:{p.Evidence.Line}", $"{p.Name} {p.Version}", release));
            }
        }

        var disagreeing = claims.FirstOrDefault(c => claims.Any(o => !ReleaseVersion.Agree(c.Release, o.Release)));
        if (disagreeing is null)
        {
            return [];
        }

        var stated = string.Join(", ", claims.Select(c => $"{c.Path} says {c.Written}"));
        return [new FsWarning("release-mismatch", $"the release files and the package database disagree: {stated}; anything keyed on the version may use the wrong one", source, disagreeing.Path, null)];
    }
}
