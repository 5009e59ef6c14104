namespace Footprint.Advisories.Versions;

/// <summary>A family of package versions that share one comparison algorithm.</summary>
public enum VersionEcosystem
{
    /// <summary>Alpine, Wolfi, Chainguard, postmarketOS: apk-tools (Gentoo-derived) versions.</summary>
    Apk,

    /// <summary>Debian and derivatives: deb-version(7), Debian policy 5.6.12.</summary>
    Dpkg,

    /// <summary>OpenWrt and other ipk users: opkg compares with dpkg's algorithm.</summary>
    Opkg,

    /// <summary>Red Hat, Fedora, SUSE, Rocky, Alma: rpm's rpmvercmp on epoch, version and release.</summary>
    Rpm,
}
