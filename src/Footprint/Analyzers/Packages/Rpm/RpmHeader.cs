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
    IReadOnlyList<string> Files);

/// <summary>A record of an rpm database that could not be read; the others still are.</summary>
/// <param name="Offset">
/// Byte offset of the record in the database file (BerkeleyDB, NDB). SQLite gives no byte offsets,
/// so for it this is the Packages.hnum row id, and <paramref name="Reason"/> says so.
/// </param>
/// <param name="Reason">What was wrong, including the offset inside the header blob where known.</param>
public sealed record RpmUnknown(long Offset, string Reason);

/// <summary>On-disk format of an rpm database, detected from its content.</summary>
public enum RpmDatabaseFormat
{
    /// <summary>rpm ≥ 4.16 default: /var/lib/rpm/rpmdb.sqlite (Fedora 33+, RHEL 9, CBL-Mariner 2).</summary>
    Sqlite,

    /// <summary>Legacy BerkeleyDB hash file: /var/lib/rpm/Packages (RHEL ≤ 8, CentOS, Amazon Linux 2).</summary>
    BerkeleyDbHash,

    /// <summary>rpm's own "ndb" format: /var/lib/rpm/Packages.db (openSUSE / SLES 15).</summary>
    Ndb,
}

/// <summary>Everything read from one rpm database.</summary>
/// <param name="Format">Format detected from the content.</param>
/// <param name="Headers">One per package record that parsed, in storage order.</param>
/// <param name="Unknowns">One per record that did not parse.</param>
public sealed record RpmDatabaseContent(RpmDatabaseFormat Format, IReadOnlyList<RpmHeader> Headers, IReadOnlyList<RpmUnknown> Unknowns);
