using System.Collections.Frozen;

namespace Footprint.Advisories.Model;

/// <summary>
/// A distro and one of its releases, normalised so every feed and the artifact's /etc/os-release meet on the same
/// key: distro ids are lower case (<c>alpine</c>, <c>debian</c>, <c>ubuntu</c>, <c>wolfi</c>, <c>chainguard</c>,
/// <c>rhel</c>, <c>rocky</c>, <c>alma</c>); releases are Alpine <c>3.10</c> (no "v"; <c>edge</c>), Debian's number
/// (<c>bullseye</c> and <c>11</c> are both <c>11</c>; <c>sid</c> stays), Ubuntu <c>22.04</c> (Ubuntu Pro/ESM data
/// is the separate release <c>16.04-pro</c>), Red Hat and its rebuilds the major version, the rolling distros
/// <c>rolling</c>. Build with <see cref="Create"/>.
/// </summary>
public readonly record struct DistroRelease(string Distro, string Release)
{
    public const string Rolling = "rolling";

    /// <summary>Debian codenames to release numbers (debian.org/releases; buzz 1.1 to forky 14).</summary>
    private static readonly FrozenDictionary<string, string> DebianCodenames = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["buzz"] = "1.1", ["rex"] = "1.2", ["bo"] = "1.3", ["hamm"] = "2.0", ["slink"] = "2.1", ["potato"] = "2.2",
        ["woody"] = "3.0", ["sarge"] = "3.1", ["etch"] = "4", ["lenny"] = "5", ["squeeze"] = "6", ["wheezy"] = "7",
        ["jessie"] = "8", ["stretch"] = "9", ["buster"] = "10", ["bullseye"] = "11", ["bookworm"] = "12",
        ["trixie"] = "13", ["forky"] = "14", ["duke"] = "15", ["unstable"] = "sid",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The distros whose packages use each version scheme.</summary>
    public VersionScheme Scheme => Distro switch
    {
        "debian" or "ubuntu" => VersionScheme.Dpkg,
        "rhel" or "rocky" or "alma" => VersionScheme.Rpm,
        _ => VersionScheme.Apk,
    };

    /// <summary>Normalises a distro id and a release name as feeds and os-release spell them.</summary>
    public static DistroRelease Create(string distro, string release)
    {
        var d = distro.Trim().ToLowerInvariant();
        d = d switch
        {
            "almalinux" => "alma",
            "rocky linux" or "rockylinux" => "rocky",
            "red hat" or "redhat" => "rhel",
            _ => d,
        };
        var r = release.Trim().ToLowerInvariant();
        switch (d)
        {
            case "alpine":
                if (r.Length > 1 && r[0] == 'v' && char.IsAsciiDigit(r[1]))
                {
                    r = r[1..];
                }

                // os-release VERSION_ID is 3.10.9; feeds are per minor release.
                var parts = r.Split('.');
                if (parts.Length > 2 && parts.All(p => p.Length > 0 && p.All(char.IsAsciiDigit)))
                {
                    r = parts[0] + "." + parts[1];
                }

                break;
            case "debian":
                if (DebianCodenames.TryGetValue(r, out var number))
                {
                    r = number;
                }
                else if (r.Length > 0 && char.IsAsciiDigit(r[0]) && r.Contains('.', StringComparison.Ordinal) && !r.StartsWith("1.", StringComparison.Ordinal)
                    && !r.StartsWith("2.", StringComparison.Ordinal) && !r.StartsWith("3.", StringComparison.Ordinal))
                {
                    // /etc/debian_version 11.6: point releases share the release's data.
                    r = r[..r.IndexOf('.', StringComparison.Ordinal)];
                }

                break;
            case "rhel" or "rocky" or "alma":
                var dot = r.IndexOf('.', StringComparison.Ordinal);
                if (dot > 0)
                {
                    r = r[..dot];
                }

                break;
            case "wolfi" or "chainguard" or "minimos":
                r = Rolling;
                break;
        }

        return new DistroRelease(d, r);
    }

    /// <summary>The Debian codename of a release number, for messages (null when unknown).</summary>
    public static string? DebianCodename(string number)
        => DebianCodenames.FirstOrDefault(kv => kv.Value == number && kv.Key != "unstable").Key;

    public override string ToString() => Distro + " " + Release;
}
