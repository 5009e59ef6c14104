using Footprint.Analyzers.Packages;
using Footprint.Analyzers.Packages.Dpkg;

namespace Footprint.Tests.Analyzers.Packages;

/// <summary>Purls as the purl spec's test-suite-data.json and examples write them.</summary>
public sealed class PackageUrlTests
{
    [Theory]
    [InlineData("deb", "debian", "curl", "7.50.3-1", "i386", "pkg:deb/debian/curl@7.50.3-1?arch=i386")]
    [InlineData("apk", "alpine", "libstdc++", "13.2.1_git20231014-r0", "x86_64", "pkg:apk/alpine/libstdc%2B%2B@13.2.1_git20231014-r0?arch=x86_64")]
    [InlineData("opkg", "openwrt", "libc", "1.1.24-2", "aarch64_generic", "pkg:opkg/openwrt/libc@1.1.24-2?arch=aarch64_generic")]
    [InlineData("deb", "debian", "a b/c", "1~rc1", null, "pkg:deb/debian/a%20b%2Fc@1~rc1")]
    [InlineData("deb", "debian", "näme", "1", "", "pkg:deb/debian/n%C3%A4me@1")]
    public void Should_percent_encode_and_drop_empty_qualifiers(string type, string ns, string name, string version, string? arch, string expected)
        => Assert.Equal(expected, PackageUrl.Build(type, ns, name, version, [new("arch", arch)]));

    [Fact]
    public void Should_sort_qualifiers_by_key()
        => Assert.Equal("pkg:apk/alpine/x@1?arch=x86_64&distro=alpine-3.20.3", PackageUrl.Build("apk", "alpine", "x", "1", [new("distro", "alpine-3.20.3"), new("arch", "x86_64")]));

    [Theory]
    [InlineData("1:1.35.0-4+deb12u1+b1", "pkg:deb/debian/busybox@1.35.0-4%2Bdeb12u1%2Bb1?arch=amd64&epoch=1")]
    [InlineData("1.35.0-4", "pkg:deb/debian/busybox@1.35.0-4?arch=amd64")]
    [InlineData("x:1", "pkg:deb/debian/busybox@x%3A1?arch=amd64")]
    public void Should_move_the_debian_epoch_to_a_qualifier(string version, string expected)
        => Assert.Equal(expected, ParseDpkgStatus.Purl("debian", "busybox", version, "amd64"));
}
