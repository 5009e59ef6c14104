namespace Footprint.Analyzers.Vulnerabilities;

/// <summary>How sure a finding is that the installed version is affected.</summary>
public enum FindingStatus
{
    /// <summary>The installed version is affected by the statement (below every fixed version, inside a range, or no fix exists).</summary>
    Affected,

    /// <summary>
    /// The feed lists several fixed versions for the same vulnerability in this release and the installed version lies
    /// between them (Alpine secfixes naming CVE-2017-3738 under both 1.0.2n-r0 and 1.0.2o-r0): reported, never hidden.
    /// </summary>
    AmbiguousFix,

    /// <summary>
    /// The answer cannot be computed: the installed version or a fixed version is not a valid version of the
    /// ecosystem, or the feed's statement has no usable verdict. Reported, never dropped and never called clean.
    /// </summary>
    Unknown,
}
