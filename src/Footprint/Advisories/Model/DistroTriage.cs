namespace Footprint.Advisories.Model;

/// <summary>
/// The distro's own word behind a <see cref="FixState"/>, kept as its own state: the distro's backports and NAKs
/// win over upstream version ranges, so the matcher must be able to tell them apart.
/// </summary>
public enum DistroTriage
{
    /// <summary>No distro-specific verdict: a plain fixed version or an upstream range.</summary>
    None = 0,

    /// <summary>Fixed version <c>0</c> (Debian tracker, Alpine secfixes, Wolfi): the package was never affected.</summary>
    ZeroVersion,

    /// <summary>Debian's <c>&lt;not-affected&gt;</c> in a DSA/DLA list.</summary>
    NotAffected,

    /// <summary>Debian's <c>&lt;no-dsa&gt;</c>: affected, minor issue, no advisory planned (may be fixed in a point release).</summary>
    NoDsa,

    /// <summary>Debian's <c>&lt;ignored&gt;</c> (tracker <c>nodsa_reason: ignored</c>): affected, will not be fixed.</summary>
    Ignored,

    /// <summary>Debian's <c>&lt;postponed&gt;</c>: affected, fix deferred to a later update.</summary>
    Postponed,

    /// <summary>Debian's <c>&lt;end-of-life&gt;</c> or tracker urgency <c>end-of-life</c>.</summary>
    EndOfLife,

    /// <summary>Debian's <c>&lt;unfixed&gt;</c>, or an open tracker entry.</summary>
    Open,

    /// <summary>Debian urgency <c>unimportant</c>: tracked, not treated as a security issue.</summary>
    Unimportant,

    /// <summary>Wolfi/Chainguard <c>false-positive-determination</c> (the reason is in <see cref="Advisory.Note"/>).</summary>
    FalsePositive,

    /// <summary>Wolfi/Chainguard <c>true-positive-determination</c>.</summary>
    TruePositive,

    /// <summary>Wolfi/Chainguard <c>pending-upstream-fix</c>.</summary>
    PendingUpstreamFix,

    /// <summary>Wolfi/Chainguard <c>fix-not-planned</c>.</summary>
    FixNotPlanned,

    /// <summary>Wolfi/Chainguard <c>analysis-not-planned</c>.</summary>
    AnalysisNotPlanned,

    /// <summary>Wolfi/Chainguard <c>detection</c>: a scanner flagged it, nobody has triaged it yet.</summary>
    UnderInvestigation,

    /// <summary>An OSV record with <c>withdrawn</c> set: the advisory was retracted.</summary>
    Withdrawn,
}
