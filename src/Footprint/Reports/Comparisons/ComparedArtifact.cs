namespace Footprint.Reports.Comparisons;

/// <summary>
/// One artifact of a comparison: what it is, in the words of its own report (identity, libc, init, the shells and
/// package managers its surface section found). Null fields mean the report has no such section, never "none found".
/// </summary>
/// <param name="Input">The artifact as given.</param>
/// <param name="Kind">The report's kind (docker-archive, rootfs-tar, iso9660, firmware...).</param>
/// <param name="Os">os-release PRETTY_NAME (or NAME VERSION, or ID), when the artifact names one.</param>
/// <param name="Architecture">The architecture the identity section settled on.</param>
/// <param name="Libc">The C library and its version ("musl 1.2.5"), when the lint section found one.</param>
/// <param name="Init">The init system the surface section found (systemd, openrc, busybox, procd, none...).</param>
/// <param name="Shells">Distinct shell names present, sorted.</param>
/// <param name="PackageManagers">Distinct package manager names present, sorted.</param>
/// <param name="Packages">Packages in the inventory; null when the artifact has no inventory section.</param>
public sealed record ComparedArtifact(
    string Input,
    string Kind,
    string? Os,
    string? Architecture,
    string? Libc,
    string? Init,
    IReadOnlyList<string>? Shells,
    IReadOnlyList<string>? PackageManagers,
    int? Packages);
