namespace Footprint.Analyzers.Packages.Rpm;

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
