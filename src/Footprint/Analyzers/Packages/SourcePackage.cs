namespace Footprint.Analyzers.Packages;

/// <summary>
/// The source package a binary package was built from: the key vulnerability feeds use (Alpine secdb and OSV by
/// apk origin, the Debian tracker and DSAs by source package, Red Hat by the source RPM). Findings are still
/// reported per binary package.
/// </summary>
/// <param name="Name">apk origin (o:), dpkg Source: name, opkg Source: path's last component, the SOURCERPM's name; the binary's own name when the database records none.</param>
/// <param name="Version">The source's version: dpkg's "(version)" when recorded, the SOURCERPM's VERSION-RELEASE with the binary's epoch; the binary's version otherwise.</param>
public sealed record SourcePackage(string Name, string Version)
{
    /// <summary>The source of <paramref name="package"/>, with the defaults each ecosystem's tools apply.</summary>
    public static SourcePackage Of(Package package)
    {
        var version = package.SourceVersion ?? package.Version;
        var source = package.Source;
        if (string.IsNullOrEmpty(source))
        {
            return new SourcePackage(package.Name, version);
        }

        return package.Ecosystem switch
        {
            // OpenWrt records the buildroot path ("feeds/packages/libs/curl", "package/kernel/linux"); its SourceName:
            // field is the binary's name for split packages (kmod-ipt-core), so the path is the better key.
            "opkg" => new SourcePackage(LastSegment(source), version),
            "rpm" => new SourcePackage(SplitSourceRpm(source)?.Name ?? package.Name, version),
            _ => new SourcePackage(source, version),
        };
    }

    private static string LastSegment(string path)
    {
        var trimmed = path.TrimEnd('/');
        var slash = trimmed.LastIndexOf('/');
        return trimmed.Length == 0 ? path : slash >= 0 ? trimmed[(slash + 1)..] : trimmed;
    }

    /// <summary>
    /// "curl-7.86.0-1.cm2.src.rpm" (or .nosrc.rpm): NAME, then VERSION-RELEASE, split at the last two '-' as rpm
    /// names packages (neither version nor release may contain one). Null when the name does not have that shape.
    /// </summary>
    public static (string Name, string Version)? SplitSourceRpm(string? sourceRpm)
    {
        if (string.IsNullOrEmpty(sourceRpm))
        {
            return null;
        }

        string stem;
        if (sourceRpm.EndsWith(".src.rpm", StringComparison.Ordinal))
        {
            stem = sourceRpm[..^".src.rpm".Length];
        }
        else if (sourceRpm.EndsWith(".nosrc.rpm", StringComparison.Ordinal))
        {
            stem = sourceRpm[..^".nosrc.rpm".Length];
        }
        else
        {
            return null;
        }

        var releaseDash = stem.LastIndexOf('-');
        var versionDash = releaseDash > 0 ? stem.LastIndexOf('-', releaseDash - 1) : -1;
        if (versionDash <= 0 || releaseDash == stem.Length - 1 || versionDash + 1 == releaseDash)
        {
            return null;
        }

        return (stem[..versionDash], stem[(versionDash + 1)..]);
    }
}
