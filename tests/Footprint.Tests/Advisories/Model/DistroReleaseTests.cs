using Footprint.Advisories.Model;

namespace Footprint.Tests.Advisories.Model;

/// <summary>Feeds and os-release meet on one key per distro release.</summary>
public sealed class DistroReleaseTests
{
    [Theory]
    [InlineData("alpine", "v3.10", "3.10")]
    [InlineData("alpine", "3.10.9", "3.10")]
    [InlineData("Alpine", "edge", "edge")]
    [InlineData("debian", "bullseye", "11")]
    [InlineData("debian", "11", "11")]
    [InlineData("debian", "11.6", "11")]
    [InlineData("debian", "woody", "3.0")]
    [InlineData("debian", "sid", "sid")]
    [InlineData("ubuntu", "22.04", "22.04")]
    [InlineData("wolfi", "20230201", "rolling")]
    [InlineData("rocky", "9.3", "9")]
    public void Should_normalise_releases(string distro, string release, string expected)
        => Assert.Equal(expected, DistroRelease.Create(distro, release).Release);

    [Theory]
    [InlineData(VersionScheme.Apk, "1.1.22-r3", true)]
    [InlineData(VersionScheme.Apk, "1.2.4_git20230717-r4", true)]
    [InlineData(VersionScheme.Apk, "1.1.22-r3 ", false)]
    [InlineData(VersionScheme.Apk, "<unfixed>", false)]
    [InlineData(VersionScheme.Dpkg, "1:1.2.11.dfsg-2+deb11u2", true)]
    [InlineData(VersionScheme.Dpkg, "2.19-0ubuntu6.15+esm4", true)]
    [InlineData(VersionScheme.Dpkg, "not a version", false)]
    [InlineData(VersionScheme.Dpkg, "", false)]
    [InlineData(VersionScheme.Rpm, "1:3.0.7-24.el9", true)]
    [InlineData(VersionScheme.Rpm, "-1", false)]
    public void Should_check_version_syntax(VersionScheme scheme, string version, bool valid) => Assert.Equal(valid, VersionSyntax.IsValid(scheme, version));
}
