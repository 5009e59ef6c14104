namespace Footprint.Advisories.Versions;

/// <summary>
/// The suffixes apk knows, in their order: the pre-releases (alpha, beta, pre, rc) sort before the bare version
/// (<see cref="None"/>), the post-releases (cvs, svn, git, hg, p) after it.
/// </summary>
internal enum ApkSuffix
{
    Invalid,
    Alpha,
    Beta,
    Pre,
    Rc,
    None,
    Cvs,
    Svn,
    Git,
    Hg,
    P,
}
