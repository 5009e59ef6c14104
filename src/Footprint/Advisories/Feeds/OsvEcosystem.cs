using System.Text.RegularExpressions;
using Footprint.Advisories.Model;

namespace Footprint.Advisories.Feeds;

/// <summary>
/// OSV ecosystem strings of the distros (ossf.github.io/osv-schema, "Defined ecosystems") to a
/// <see cref="DistroRelease"/>: <c>Alpine:v3.12</c>, <c>Debian:11</c>, <c>Ubuntu:22.04:LTS</c> and
/// <c>Ubuntu:Pro:16.04:LTS</c> (release <c>16.04-pro</c>), <c>Wolfi</c>, <c>Chainguard</c>,
/// <c>Red Hat:enterprise_linux:9::appstream</c>, <c>Rocky Linux:9</c>, <c>AlmaLinux:9</c>. Language ecosystems
/// (PyPI, npm...) are not distros: null.
/// </summary>
public static partial class OsvEcosystem
{
    public static DistroRelease? ToRelease(string ecosystem)
    {
        var colon = ecosystem.IndexOf(':', StringComparison.Ordinal);
        var name = colon < 0 ? ecosystem : ecosystem[..colon];
        var rest = colon < 0 ? "" : ecosystem[(colon + 1)..];
        switch (name)
        {
            case "Wolfi":
                return DistroRelease.Create("wolfi", DistroRelease.Rolling);
            case "Chainguard":
                return DistroRelease.Create("chainguard", DistroRelease.Rolling);
            case "Alpine":
                return rest.Length == 0 ? null : DistroRelease.Create("alpine", rest);
            case "Debian":
                return rest.Length == 0 ? null : DistroRelease.Create("debian", rest);
            case "Ubuntu":
                var parts = rest.Split(':', StringSplitOptions.RemoveEmptyEntries);
                var version = parts.FirstOrDefault(p => UbuntuVersion().IsMatch(p));
                if (version is null)
                {
                    return null;
                }

                var qualifiers = parts.Where(p => p != version && p != "LTS").Select(p => p.ToLowerInvariant());
                return DistroRelease.Create("ubuntu", string.Join('-', new[] { version }.Concat(qualifiers)));
            case "Red Hat" or "Rocky Linux" or "AlmaLinux":
                var major = Major().Match(rest);
                return major.Success ? DistroRelease.Create(name, major.Groups[1].Value) : null;
            default:
                return null;
        }
    }

    [GeneratedRegex(@"^\d+\.\d+$", RegexOptions.CultureInvariant)]
    private static partial Regex UbuntuVersion();

    [GeneratedRegex(@"(?:^|[^0-9])(\d+)(?:\.\d+)?(?::|$)", RegexOptions.CultureInvariant)]
    private static partial Regex Major();
}
