namespace Footprint.Advisories.Model;

/// <summary>The version grammar a distro's packages use; comparison lives in Advisories/Versions.</summary>
public enum VersionScheme
{
    Apk,
    Dpkg,
    Rpm,
}
