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
    public void Should_report_the_exact_openwrt_release_with_its_codename_beside_it()
    {
        // Truth: the firmware's own files, read by unsquashfs at the offset of the squashfs magic (MANIFEST.md: the
        // KRACK-patched WR841N v9 image is Chaos Calmer 15.05.1).
        var image = Repo.CorpusFile("firmware/openwrt/wr841n-v9-cc-krack/openwrt-ar71xx-generic-tl-wr841n-v9-squashfs-sysupgrade.bin");
        var offset = Tool.Shell($"grep -obUaP 'hsqs' '{image}' | head -1 | cut -d: -f1").Trim();
        var release = Footprint.Analyzers.Identity.OsIdentityAnalyzer.ParseKeyValues(Tool.Output("unsquashfs", "-o", offset, "-cat", image, "etc/openwrt_release"));
        var version = Tool.Output("unsquashfs", "-o", offset, "-cat", image, "etc/openwrt_version").Trim();
        Assert.Equal("Chaos Calmer", release["DISTRIB_RELEASE"]); // the name where the number belongs
        Assert.Equal("15.05.1", version);

        var os = Load.Measure(image).Identity.Os!;

        Assert.Equal(version, os.DistroVersion);
        Assert.EndsWith(" " + os.DistroVersion, release["DISTRIB_DESCRIPTION"], StringComparison.Ordinal);
        Assert.Equal(release["DISTRIB_CODENAME"], os.Codename);
        Assert.Contains(os.Evidence, e => e.Path == "/etc/openwrt_version" && e.Detail.EndsWith(version, StringComparison.Ordinal));
    }

    [Fact]
    public void Should_report_debians_point_release_beside_the_major_version_id_and_codename()
    {
        // Truth: the fixture's own files, read by GNU tar.
        var rootfs = Repo.Fixture("debian/rootfs.tar");
        var pointRelease = Tool.Output("tar", "-xOf", rootfs, "./etc/debian_version").Trim();
        var osRelease = Footprint.Analyzers.Identity.OsIdentityAnalyzer.ParseKeyValues(Tool.Output("tar", "-xOf", rootfs, "./usr/lib/os-release"));

        var os = Load.Measure(rootfs).Identity.Os!;

        Assert.Equal(osRelease["VERSION_ID"], os.VersionId);
        Assert.Equal(pointRelease, os.DistroVersion);
        Assert.StartsWith(os.VersionId + ".", os.DistroVersion, StringComparison.Ordinal);
        Assert.Equal(osRelease["VERSION_CODENAME"], os.Codename);
    }

    [Theory]
    [InlineData("ubuntu", "etc/os-release", "NAME=\"Ubuntu\"\nVERSION_ID=\"22.04\"\nVERSION=\"22.04.4 LTS (Jammy Jellyfish)\"\nVERSION_CODENAME=jammy\nID=ubuntu\nID_LIKE=debian\n",
        "etc/debian_version", "bookworm/sid\n", "22.04.4", "jammy")]
    [InlineData("openwrt", "etc/openwrt_release", "DISTRIB_ID='LEDE'\nDISTRIB_RELEASE='17.01.4'\nDISTRIB_REVISION='r3560-79f57e422d'\nDISTRIB_CODENAME='reboot'\nDISTRIB_DESCRIPTION='LEDE Reboot 17.01.4 r3560-79f57e422d'\n",
        "etc/openwrt_version", "r3560-79f57e422d\n", "17.01.4", "reboot")]
    [InlineData("openwrt", "etc/openwrt_release", "DISTRIB_ID='OpenWrt'\nDISTRIB_RELEASE='Chaos Calmer'\nDISTRIB_CODENAME='chaos_calmer'\nDISTRIB_DESCRIPTION='OpenWrt Chaos Calmer 15.05.1'\n",
        "etc/banner", "no version here\n", "15.05.1", "chaos_calmer")]
    public void Should_take_the_exact_release_from_where_each_distribution_writes_it(string id, string releaseFile, string release, string otherFile, string other, string exact, string codename)
    {
        // Given: the release files as those distributions ship them (Ubuntu 22.04.4, LEDE 17.01.4, OpenWrt 15.05.1 without openwrt_version).
        using var dir = new TempDir();
        var root = Path.Combine(dir.Path, "root");
        Directory.CreateDirectory(Path.Combine(root, "etc"));
        File.WriteAllText(Path.Combine(root, releaseFile), release);
        File.WriteAllText(Path.Combine(root, otherFile), other);
        Tool.Output("tar", "-cf", dir.File("rootfs.tar"), "-C", root, "etc");

        var os = Load.Measure(dir.File("rootfs.tar")).Identity.Os!;

        Assert.Equal(id, os.Id);
        Assert.Equal(exact, os.DistroVersion);
        Assert.Equal(codename, os.Codename);
    }

    [Fact]
    public void Should_warn_when_os_release_and_the_apk_database_name_different_releases()
    {
        // Given: the LXD image case rebuilt from a real minirootfs: /etc/os-release edited to 3.8.0, the 3.8.5 file apk
        // would have installed left beside it as /etc/os-release.apk-new, /etc/alpine-release untouched (3.8.5).
        using var dir = new TempDir();
        var root = Path.Combine(dir.Path, "root");
        Directory.CreateDirectory(root);
        GroundTruth.Extract(Repo.CorpusFile("alpine/alpine-minirootfs-3.8.5-x86_64.tar.gz"), root);
        var osRelease = Path.Combine(root, "etc/os-release");
        File.Copy(osRelease, osRelease + ".apk-new");
        File.WriteAllText(osRelease, File.ReadAllText(osRelease).Replace("VERSION_ID=3.8.5", "VERSION_ID=3.8.0", StringComparison.Ordinal));
        Tool.Output("tar", "-cf", dir.File("lxd.tar"), "-C", root, ".");

        var report = Load.Measure(dir.File("lxd.tar"));

        // Then: both are reported, and one warning names every file and what it says.
        Assert.Equal("3.8.0", report.Identity.Os!.VersionId);
        Assert.Equal("3.8.5", report.Identity.Os.DistroVersion);
        Assert.Contains(report.Identity.Os.Evidence, e => e.Path == "/etc/os-release.apk-new");
        var warning = Assert.Single(report.Warnings, w => w.Code == "release-mismatch");
        Assert.Equal("/etc/os-release", warning.Path);
        Assert.Contains("/etc/os-release says VERSION_ID=3.8.0", warning.Message, StringComparison.Ordinal);
        Assert.Contains("/etc/alpine-release says 3.8.5", warning.Message, StringComparison.Ordinal);
        Assert.Contains("/etc/os-release.apk-new says VERSION_ID=3.8.5", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_warn_when_the_release_files_disagree_with_the_alpine_base_package()
    {
        // Given: Alpine 3.2.3, whose apk database holds alpine-base 3.2.3-r0, with both release files edited to 3.2.0.
        using var dir = new TempDir();
        var root = Path.Combine(dir.Path, "root");
        Directory.CreateDirectory(root);
        GroundTruth.Extract(Repo.CorpusFile("alpine-old/alpine-3.2-rootfs.tar.xz"), root);
        var record = Tool.Shell($"grep -n -A1 '^P:alpine-base$' '{root}/lib/apk/db/installed'").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("V:3.2.3-r0", record[1].Split('-', 2)[1]);
        File.WriteAllText(Path.Combine(root, "etc/alpine-release"), "3.2.0\n");
        File.WriteAllText(Path.Combine(root, "etc/os-release"), File.ReadAllText(Path.Combine(root, "etc/os-release")).Replace("VERSION_ID=3.2.3", "VERSION_ID=3.2.0", StringComparison.Ordinal));
        Tool.Output("tar", "-cf", dir.File("edited.tar"), "-C", root, ".");

        var report = Load.Measure(dir.File("edited.tar"));

        var warning = Assert.Single(report.Warnings, w => w.Code == "release-mismatch");
        Assert.Contains("/etc/alpine-release says 3.2.0", warning.Message, StringComparison.Ordinal);
        Assert.Contains("alpine-base 3.2.3-r0", warning.Message, StringComparison.Ordinal);
        Assert.Contains("/lib/apk/db/installed:", warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("alpine/alpine-minirootfs-3.8.5-x86_64.tar.gz")]
    [InlineData("alpine-old/alpine-3.2-rootfs.tar.xz")]
    [InlineData("openwrt/openwrt-armvirt-64-default-rootfs.tar.gz")]
    [InlineData("pkgdb/trillaman+luci23.05")] // VERSION_ID="23.05-snapshot", DISTRIB_RELEASE='23.05-SNAPSHOT'
    public void Should_not_warn_when_the_release_files_and_the_database_agree(string relative)
        => Assert.DoesNotContain(Load.Measure(Repo.CorpusFile(relative)).Warnings, w => w.Code == "release-mismatch");

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
