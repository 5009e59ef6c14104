namespace Footprint.Advisories.Versions;

/// <summary>
/// rpm's order of <c>[epoch:]version[-release]</c> strings: the epoch as a number (missing is 0), then version
/// and release by rpmvercmp (rpm lib/rpmvercmp.c, documented in rpm's "Version comparison" and Fedora's versioning
/// guidelines): runs of ASCII letters or digits compared in turn, digits numerically and above letters, every other
/// character only a separator, '~' sorting before anything (even the end) and '^' after the end but before any
/// other run. The epoch is split off as rpm's parseEVR does (only digits before the first ':'), the release after
/// the last '-'. rpm skips the release when either side has none (rpmverCmp: a dependency on "1.0" matches every
/// 1.0-*); <see cref="MissingReleaseFirst"/> is OSV's variant, where "1" sorts before "1-0". Advisories and
/// installed packages carry full EVRs, so the two only differ when one side has no '-' at all.
/// </summary>
public sealed class RpmVersionComparer : IVersionComparer
{
    /// <summary>rpm's own rule: the release is compared only when both sides have one.</summary>
    public static readonly RpmVersionComparer Instance = new(missingReleaseFirst: false);

    /// <summary>OSV's rule for Red Hat ecosystems: a version without a release sorts before any with one.</summary>
    public static readonly RpmVersionComparer MissingReleaseFirst = new(missingReleaseFirst: true);

    private readonly bool _missingReleaseFirst;

    private RpmVersionComparer(bool missingReleaseFirst) => _missingReleaseFirst = missingReleaseFirst;

    public VersionEcosystem Ecosystem => VersionEcosystem.Rpm;

    public int Compare(string a, string b)
    {
        var va = RpmVersion.Split(a);
        var vb = RpmVersion.Split(b);
        int order = RpmVersion.CompareSegments(va.Epoch.IsEmpty ? "0" : va.Epoch, vb.Epoch.IsEmpty ? "0" : vb.Epoch);
        if (order == 0)
        {
            order = RpmVersion.CompareSegments(va.Version, vb.Version);
        }

        if (order == 0 && va.HasRelease && vb.HasRelease)
        {
            order = RpmVersion.CompareSegments(va.Release, vb.Release);
        }
        else if (order == 0 && _missingReleaseFirst && va.HasRelease != vb.HasRelease)
        {
            order = va.HasRelease ? 1 : -1;
        }

        return order;
    }

    /// <summary>
    /// rpm itself orders any string; a version is called invalid here when rpmbuild would refuse it in a Version or
    /// Release tag: empty, whitespace, or a character outside letters, digits and <c>._+~^</c> (the epoch aside).
    /// </summary>
    /// <summary>rpm's rpmvercmp on one part (a version or a release, no epoch split): -1, 0 or 1.</summary>
    public static int Rpmvercmp(string a, string b) => RpmVersion.CompareSegments(a, b);

    public bool IsValid(string version) => Problem(version) is null;

    public string? Problem(string version) => RpmVersion.Problem(version);
}
