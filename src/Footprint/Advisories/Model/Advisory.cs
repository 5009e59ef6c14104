namespace Footprint.Advisories.Model;

/// <summary>
/// One feed's statement about one source package in one distro release: the unit the database indexes by
/// (distro, release, source package) and the matcher compares versions against.
/// </summary>
/// <param name="Id">The feed's identifier (CVE-..., DSA-5218-1, CGA-..., UBUNTU-CVE-..., an OSV id).</param>
/// <param name="Aliases">Other identifiers of the same vulnerability (CVE, GHSA, XSA...), without <paramref name="Id"/>.</param>
/// <param name="Release">The distro release the statement is scoped to; never applied to another.</param>
/// <param name="SourcePackage">The source package (apk origin, dpkg Source:, source RPM name) as the feed names it.</param>
/// <param name="State">The verdict.</param>
/// <param name="FixedVersions">Every fixed version the feed gives (for <see cref="FixState.Fixed"/>), as text.</param>
/// <param name="Ranges">OSV affected ranges, when the feed gives ranges rather than one fixed version.</param>
/// <param name="Triage">The distro's own verdict behind <paramref name="State"/>.</param>
/// <param name="Note">The feed's free-text reason (no-dsa reason, false-positive type...), or the reason the state is Unknown.</param>
/// <param name="Severity">The feed's severity, when it gives one.</param>
/// <param name="Published">When the feed first published it, where the feed says.</param>
/// <param name="Modified">When the feed last changed it, where the feed says.</param>
/// <param name="Origin">The feed, file and record it was read from.</param>
public sealed record Advisory(
    string Id,
    IReadOnlyList<string> Aliases,
    DistroRelease Release,
    string SourcePackage,
    FixState State,
    IReadOnlyList<string> FixedVersions,
    IReadOnlyList<AffectedRange> Ranges,
    DistroTriage Triage,
    string? Note,
    AdvisorySeverity? Severity,
    DateTimeOffset? Published,
    DateTimeOffset? Modified,
    AdvisoryOrigin Origin);
