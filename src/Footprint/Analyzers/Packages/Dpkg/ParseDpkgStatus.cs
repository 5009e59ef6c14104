namespace Footprint.Analyzers.Packages.Dpkg;

/// <summary>
/// Parses dpkg's status database (var/lib/dpkg/status, dpkg(1) "FILES"; format deb-control(5)) and the
/// one-stanza-per-package files distroless images keep instead (var/lib/dpkg/status.d/NAME, written by
/// rules_distroless/rules_docker without running dpkg).
/// </summary>
public static class ParseDpkgStatus
{
    /// <param name="displayPath">"/var/lib/dpkg/status", for evidence.</param>
    /// <param name="layer">Layer that supplied the file.</param>
    /// <param name="text">The file's text.</param>
    /// <param name="statusRequired">
    /// True for the status file, where a stanza without Status is not a valid installed record; false for
    /// status.d files, whose stanzas are installed packages by construction (some omit Status).
    /// </param>
    /// <param name="purlNamespace">"debian", "ubuntu"...: the purl namespace is the distribution.</param>
    /// <param name="distro">The purl's distro qualifier ("debian-12"); none when unknown.</param>
    public static (List<Package> Packages, List<PackageUnknown> Unknowns) Parse(string displayPath, int layer, string text, bool statusRequired, string purlNamespace = "debian", string? distro = null)
    {
        var unknowns = new List<PackageUnknown>();
        var packages = new List<Package>();
        foreach (var stanza in ControlStanzas.Parse(displayPath, text, unknowns))
        {
            var status = stanza["Status"];
            if (status is null)
            {
                if (statusRequired)
                {
                    unknowns.Add(new PackageUnknown(displayPath, stanza.Line, "record without Status"));
                    continue;
                }
            }
            else if (ControlStanzas.CurrentState(status) is not { } state)
            {
                unknowns.Add(new PackageUnknown(displayPath, stanza.Line, $"unreadable Status '{status}'"));
                continue;
            }
            else if (!ControlStanzas.IsInstalledState(state))
            {
                continue;
            }

            var name = stanza["Package"];
            var version = stanza["Version"];
            if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(version))
            {
                unknowns.Add(new PackageUnknown(displayPath, stanza.Line, "installed record without Package or Version"));
                continue;
            }

            var arch = stanza["Architecture"];
            packages.Add(new Package("deb", name, version, arch, SourceName(stanza["Source"]), null,
                ControlStanzas.ParseSize(stanza["Installed-Size"], 1024),
                ControlStanzas.SplitDepends(stanza["Pre-Depends"], stanza["Depends"]), [],
                Purl(purlNamespace, name, version, arch, distro), new PackageEvidence(displayPath, stanza.Line, layer),
                Provides: ControlStanzas.SplitDepends(stanza["Provides"]), SourceVersion: SourceVersion(stanza["Source"])));
        }

        return (packages, unknowns);
    }

    /// <summary>
    /// pkg:deb/NAMESPACE/NAME@VERSION?arch=ARCH&amp;distro=ID-VERSION_ID&amp;epoch=N. The purl spec's deb definition keeps the
    /// version as dpkg prints it; we move the epoch to an "epoch" qualifier as the spec does for rpm so the
    /// version segment has no ':' (packageurl-python does the same for deb). distro is os-release's ID-VERSION_ID
    /// ("debian-12"), as syft writes it; trivy writes the point release from /etc/debian_version ("debian-12.15").
    /// </summary>
    public static string Purl(string purlNamespace, string name, string version, string? arch, string? distro = null)
    {
        string? epoch = null;
        var colon = version.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && version.AsSpan(0, colon).IndexOfAnyExceptInRange('0', '9') < 0)
        {
            epoch = version[..colon];
            version = version[(colon + 1)..];
        }

        return PackageUrl.Build("deb", purlNamespace, name, version, [new("arch", arch), new("distro", distro), new("epoch", epoch)]);
    }

    /// <summary>
    /// The version in "Source: coreutils (8.32-4)": dpkg writes it only when the source version differs from the
    /// binary's (8.32-4+b1 is a binNMU of 8.32-4); null otherwise, meaning the binary's version.
    /// </summary>
    private static string? SourceVersion(string? source)
    {
        if (string.IsNullOrEmpty(source))
        {
            return null;
        }

        var open = source.IndexOf('(', StringComparison.Ordinal);
        var close = source.LastIndexOf(')');
        if (open < 0 || close < open)
        {
            return null;
        }

        var version = source[(open + 1)..close].Trim();
        return version.Length == 0 ? null : version;
    }

    /// <summary>"Source: glibc (2.36-9)" names the source package and, when it differs, its version: keep the name.</summary>
    private static string? SourceName(string? source)
    {
        if (string.IsNullOrEmpty(source))
        {
            return null;
        }

        var space = source.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? source : source[..space];
    }
}
