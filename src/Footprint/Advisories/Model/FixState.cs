namespace Footprint.Advisories.Model;

/// <summary>
/// What a feed says about one source package in one distro release. The distro's own verdict (a backport, a NAK)
/// is kept beside it in <see cref="DistroTriage"/>, so "not affected because Debian says so" stays distinct from
/// "not affected because the fixed version is 0".
/// </summary>
public enum FixState
{
    /// <summary>The feed gives no usable verdict (an unparseable version, an unknown status or event type).</summary>
    Unknown = 0,

    /// <summary>Fixed in every version listed in <see cref="Advisory.FixedVersions"/> and later.</summary>
    Fixed,

    /// <summary>Affected, no fix released yet (Debian open, Wolfi pending-upstream-fix, an OSV range with no fixed event).</summary>
    Unfixed,

    /// <summary>The distro's package never had the vulnerable code (Debian and Wolfi fixed version 0, Debian &lt;not-affected&gt;, a false positive).</summary>
    NotAffected,

    /// <summary>Affected and the distro will not fix it (Debian &lt;ignored&gt;, Wolfi fix-not-planned).</summary>
    WontFix,

    /// <summary>Affected and the release (or the package in it) is out of security support.</summary>
    EndOfLife,
}
