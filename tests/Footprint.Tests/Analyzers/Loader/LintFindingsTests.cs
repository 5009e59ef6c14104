using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Analyzers.Loader;

/// <summary>
/// The broken images of tests/fixtures/broken-images.sh give exactly the findings their recipe plants; healthy images
/// give no error; the C library and its version match what the package databases and the libraries say.
/// </summary>
public sealed class LintFindingsTests
{
    public static TheoryData<string, string[]> Broken => new()
    {
        { "broken/alpine-glibc.tar", ["error interpreter-missing /usr/local/bin/hello-glibc"] },
        { "broken/debian-broken.tar", ["error library-missing /usr/local/bin/needs-absent", "error symbol-version-missing /usr/local/bin/needs-glibc-2.99"] },
        { "broken/busybox-bash.tar", ["error script-interpreter-missing /usr/local/bin/needs-bash", "error script-interpreter-missing /usr/local/bin/needs-env-bash"] },
    };

    public static TheoryData<string> Healthy => new()
    {
        "fixture:debian/rootfs.tar",
        "corpus:alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz",
        "corpus:busybox/latest/glibc/amd64/rootfs.tar.gz",
        "corpus:busybox/latest/musl/amd64/rootfs.tar.gz",
        "corpus:busybox/latest/uclibc/amd64/rootfs.tar.gz",
        "corpus:openwrt/openwrt-armvirt-64-default-rootfs.tar.gz",
        "corpus:openwrt/docker-openwrt-rootfs.tar.gz",
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void Should_find_exactly_what_the_recipe_planted(string fixture, string[] expected)
    {
        var lint = Load.Measure(Repo.Fixture(fixture)).Lint!;
        Assert.Equal(expected, lint.Findings.Select(f => $"{f.Severity} {f.Code} {f.Path}"));
        Assert.All(lint.Findings, f => Assert.NotEmpty(f.Evidence));
    }

    [Theory]
    [MemberData(nameof(Healthy))]
    public void Should_find_no_error_in_a_healthy_image(string artifact)
    {
        var lint = Load.Measure(Resolve(artifact)).Lint!;
        Assert.DoesNotContain(lint.Findings, f => f.Severity == "error");
    }

    [Fact]
    public void Should_report_the_glibc_version_dpkg_installed()
    {
        var report = Load.Measure(Repo.Fixture("debian/rootfs.tar"));
        var libc6 = report.Inventory!.Packages.Single(p => p.Name == "libc6");
        Assert.Equal("glibc", report.Lint!.Libc!.Name);
        Assert.StartsWith(report.Lint.Libc.Version + "-", libc6.Version, StringComparison.Ordinal);
        Assert.True(report.Lint.Counts.DynamicExecutables > 300);
        Assert.Equal(report.Lint.Counts.DynamicExecutables + report.Lint.Counts.SharedLibraries, report.Lint.Counts.Resolved);
    }

    [Fact]
    public void Should_report_the_glibc_of_the_BusyBox_glibc_image_from_its_banner()
    {
        var busybox = Repo.CorpusFile("busybox/latest/glibc/amd64/rootfs.tar.gz");
        var libc = Load.Measure(busybox).Lint!.Libc!;
        // Ground truth: the banner as `strings` sees it in the image's libc.so.6.
        var banner = Tool.Shell($"tar -xzOf '{busybox}' lib/libc.so.6 | strings | grep -m1 'GNU C Library'");
        Assert.Equal("glibc", libc.Name);
        Assert.Contains($"release version {libc.Version}.", banner, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("busybox/latest/musl/amd64/rootfs.tar.gz")]
    [InlineData("busybox/latest/uclibc/amd64/rootfs.tar.gz")]
    public void Should_find_no_C_library_in_a_static_BusyBox_image(string corpus)
    {
        var lint = Load.Measure(Repo.CorpusFile(corpus)).Lint!;
        Assert.Null(lint.Libc);
        Assert.Equal(0, lint.Counts.DynamicExecutables);
        Assert.True(lint.Counts.StaticExecutables > 0);
    }

    [Fact]
    public void Should_version_OpenWrt_musl_from_opkg()
    {
        var openwrt = Repo.CorpusFile("openwrt/openwrt-armvirt-64-default-rootfs.tar.gz");
        var lint = Load.Measure(openwrt).Lint!;
        var status = Tool.Shell($"tar -xzOf '{openwrt}' ./usr/lib/opkg/status | awk '/^Package: libc$/{{p=1}} p && /^Version:/ && !d {{print $2; d=1}}'").Trim();
        Assert.Equal("musl", lint.Libc!.Name);
        Assert.Equal(status.Split('-')[0], lint.Libc.Version);
    }

    private static string Resolve(string artifact)
        => artifact.StartsWith("fixture:", StringComparison.Ordinal) ? Repo.Fixture(artifact["fixture:".Length..]) : Repo.CorpusFile(artifact["corpus:".Length..]);
}
