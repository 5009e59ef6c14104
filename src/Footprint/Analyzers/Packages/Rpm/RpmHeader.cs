namespace Footprint.Analyzers.Packages.Rpm;

/// <summary>
/// One installed package as its rpmdb header records it. Strings are as stored (no trimming);
/// a tag the header does not carry is null (or an empty <see cref="Files"/> list).
/// </summary>
/// <param name="Name">RPMTAG_NAME (1000).</param>
/// <param name="Epoch">RPMTAG_EPOCH (1003); null when absent (rpm's %{EPOCHNUM} prints 0 then).</param>
/// <param name="Version">RPMTAG_VERSION (1001).</param>
/// <param name="Release">RPMTAG_RELEASE (1002).</param>
/// <param name="Arch">RPMTAG_ARCH (1022); null for gpg-pubkey pseudo packages.</param>
/// <param name="SizeBytes">RPMTAG_LONGSIZE (5009) when present, else RPMTAG_SIZE (1009): sum of the installed file sizes.</param>
/// <param name="License">RPMTAG_LICENSE (1014).</param>
/// <param name="SourceRpm">RPMTAG_SOURCERPM (1044), e.g. "curl-7.86.0-1.cm2.src.rpm".</param>
/// <param name="Files">Absolute paths: DIRNAMES[DIRINDEXES[i]] + BASENAMES[i], or OLDFILENAMES for pre-4.0 headers.</param>
public sealed record RpmHeader(
    string Name,
    int? Epoch,
    string? Version,
    string? Release,
    string? Arch,
    long? SizeBytes,
    string? License,
    string? SourceRpm,
    IReadOnlyList<string> Files)
{
    /// <summary>RPMTAG_PROVIDENAME (1047): capabilities the package provides (its own name among them).</summary>
    public IReadOnlyList<string> Provides { get; init; } = [];

    /// <summary>RPMTAG_REQUIRENAME (1049): capabilities it requires ("rpmlib(...)" pseudo-capabilities included).</summary>
    public IReadOnlyList<string> Requires { get; init; } = [];
}
