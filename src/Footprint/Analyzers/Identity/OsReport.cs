using Footprint.Walk;

namespace Footprint.Analyzers.Identity;

public sealed record OsReport
{
    /// <summary>os-release ID (alpine, debian, openwrt, tinycore...).</summary>
    public string? Id { get; init; }

    public string? Name { get; init; }

    public string? Version { get; init; }

    public string? VersionId { get; init; }

    public string? PrettyName { get; init; }

    /// <summary>Version from the distro's own file (alpine-release, debian_version, openwrt_release, release.txt).</summary>
    public string? DistroVersion { get; init; }

    /// <summary>The release's codename, beside the exact version (os-release VERSION_CODENAME, openwrt_release DISTRIB_CODENAME, or a name such as "Chaos Calmer" written where the version belongs).</summary>
    public string? Codename { get; init; }

    public required IReadOnlyList<Evidence> Evidence { get; init; }
}
