using Footprint.Advisories.Vex;

namespace Footprint.Tests.Advisories.Vex;

/// <summary>Package URLs as VEX statements name products: identity only (qualifiers and subpath dropped), percent-decoded.</summary>
public sealed class PackageUrlTests
{
    [Theory]
    [InlineData("pkg:apk/alpine/musl@1.1.18-r3?arch=x86_64&distro=alpine-3.7.3", "apk", "alpine", "musl", "1.1.18-r3")]
    [InlineData("pkg:deb/debian/curl@7.74.0-1.3%2Bdeb11u7?arch=amd64&distro=debian-11", "deb", "debian", "curl", "7.74.0-1.3+deb11u7")]
    [InlineData("PKG:RPM/redhat/bash", "rpm", "redhat", "bash", null)]
    [InlineData("pkg://generic/zlib@1.2#src/x", "generic", "", "zlib", "1.2")]
    [InlineData("pkg:golang/github.com/a/b@v1.0.0", "golang", "github.com/a", "b", "v1.0.0")]
    [InlineData("pkg:npm/%40angular/core@1.0@beta", "npm", "@angular", "core@1.0", "beta")]
    [InlineData("pkg:apk/alpine/musl@", "apk", "alpine", "musl", null)]
    public void Should_parse_the_identity_of_a_purl(string text, string type, string ns, string name, string? version)
        => Assert.Equal(new PackageUrl(type, ns, name, version), PackageUrl.TryParse(text));

    [Theory]
    [InlineData("")]
    [InlineData("pkg:")]
    [InlineData("pkg:apk")]
    [InlineData("pkg:apk/")]
    [InlineData("pkg:/musl")]
    [InlineData("https://openvex.dev/x")]
    public void Should_refuse_what_is_not_a_purl(string text) => Assert.Null(PackageUrl.TryParse(text));

    [Fact]
    public void Should_match_with_or_without_a_version_and_never_across_names_or_types()
    {
        var installed = PackageUrl.TryParse("pkg:apk/alpine/musl@1.1.18-r3?arch=x86_64")!;
        Assert.True(PackageUrl.TryParse("pkg:apk/alpine/musl@1.1.18-r3")!.Matches(installed));
        Assert.True(PackageUrl.TryParse("pkg:apk/alpine/musl")!.Matches(installed));
        Assert.False(PackageUrl.TryParse("pkg:apk/alpine/musl@1.1.18-r2")!.Matches(installed));
        Assert.False(PackageUrl.TryParse("pkg:apk/alpine/musl-utils@1.1.18-r3")!.Matches(installed));
        Assert.False(PackageUrl.TryParse("pkg:apk/wolfi/musl@1.1.18-r3")!.Matches(installed));
        Assert.False(PackageUrl.TryParse("pkg:deb/alpine/musl@1.1.18-r3")!.Matches(installed));
        Assert.False(installed.Matches(PackageUrl.TryParse("pkg:apk/alpine/musl")!));
    }
}
