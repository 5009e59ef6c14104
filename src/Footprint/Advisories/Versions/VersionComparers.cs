namespace Footprint.Advisories.Versions;

/// <summary>The comparer of each ecosystem, with its default semantics (apk: apk-tools 2.14).</summary>
public static class VersionComparers
{
    public static IVersionComparer For(VersionEcosystem ecosystem) => ecosystem switch
    {
        VersionEcosystem.Apk => ApkVersionComparer.Apk2_14,
        VersionEcosystem.Dpkg => DpkgVersionComparer.Dpkg,
        VersionEcosystem.Opkg => DpkgVersionComparer.Opkg,
        VersionEcosystem.Rpm => RpmVersionComparer.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(ecosystem), ecosystem, "no comparer for this ecosystem"),
    };
}
