using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Analyzers;

/// <summary>
/// OS and architecture of real systems of the three worlds. Expected values are those the corpus
/// MANIFEST.md records for each artifact (os-release, distro files) and what `file` says of its binaries.
/// </summary>
public sealed class IdentityTests
{
    [Theory]
    [InlineData("alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz", "alpine", "3.20.3", "amd64")]
    [InlineData("alpine/alpine-minirootfs-3.20.3-aarch64.tar.gz", "alpine", "3.20.3", "arm64")]
    [InlineData("alpine/alpine-minirootfs-3.20.3-armv7.tar.gz", "alpine", "3.20.3", "arm")]
    [InlineData("alpine/alpine-minirootfs-20240923-x86_64.tar.gz", "alpine", "3.21.0_alpha20240923", "amd64")]
    [InlineData("alpine-old/alpine-2.6-rootfs.tar.gz", "alpine", "2.6.6", "amd64")]
    [InlineData("tinycore/6.4/x86_64/rootfs64.tar.gz", "tinycore", "6.4.1", "amd64")]
    [InlineData("tinycore/11.0/x86_64/rootfs64.tar.gz", "tinycore", "11.0", "amd64")]
    [InlineData("openwrt/openwrt-armvirt-64-default-rootfs.tar.gz", "openwrt", "19.07.7", "arm64")]
    [InlineData("rootfs-exports/wodim+samknows-squashfs.tar.gz", "openwrt", "Bleeding Edge", "mips")]
    [InlineData("images/buildroot-tp/rootfs.tar", "buildroot", null, "386")]
    [InlineData("busybox/latest/musl/amd64/rootfs.tar.gz", null, null, "amd64")]
    public void Should_identify_the_system(string relative, string? id, string? distroVersion, string architecture)
    {
        var report = Load.Measure(Repo.CorpusFile(relative));
        Assert.Equal(id, report.Identity.Os?.Id);
        Assert.Equal(distroVersion, report.Identity.Os?.DistroVersion);
        Assert.Equal(architecture, report.Identity.Architecture!.Value);
        Assert.Equal("elf-headers", report.Identity.Architecture.Source);
        Assert.All(report.Identity.Os?.Evidence ?? [], e => Assert.StartsWith("/", e.Path, StringComparison.Ordinal));
    }

    [Fact]
    public void Should_agree_with_file_on_the_architecture_of_an_elf()
    {
        using var dir = new TempDir();
        GroundTruth.Extract(Repo.CorpusFile("rootfs-exports/wodim+samknows-squashfs.tar.gz"), dir.Path);
        // Symlinked directories are not followed: the extracted firmware tree has directory links that loop.
        var busybox = Directory.GetFiles(dir.Path, "busybox", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true }).First();
        Assert.Contains("MIPS", Tool.Output("file", "-b", busybox), StringComparison.Ordinal);
        Assert.Contains("MSB", Tool.Output("file", "-b", busybox), StringComparison.Ordinal);
        var head = File.ReadAllBytes(busybox).AsSpan(0, 20);
        Assert.Equal("mips", Footprint.Analyzers.Identity.ArchitectureAnalyzer.Machine(head));
    }

    [Theory]
    [InlineData("ID=alpine\nVERSION_ID=3.20.3\nPRETTY_NAME=\"Alpine Linux v3.20\"\n", "PRETTY_NAME", "Alpine Linux v3.20")]
    [InlineData("# comment\nNAME='Tiny Core'\n", "NAME", "Tiny Core")]
    [InlineData("DISTRIB_DESCRIPTION=\"OpenWrt \\\"quoted\\\" \\$x\"\n", "DISTRIB_DESCRIPTION", "OpenWrt \"quoted\" $x")]
    [InlineData("  KEY = value  \n", "KEY", "value")]
    public void Should_parse_key_value_release_files_without_executing_them(string text, string key, string expected)
        => Assert.Equal(expected, Footprint.Analyzers.Identity.OsIdentityAnalyzer.ParseKeyValues(text)[key]);
}
