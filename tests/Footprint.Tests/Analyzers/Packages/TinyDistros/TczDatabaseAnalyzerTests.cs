using Footprint.Analyzers.Packages.Tcz;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Analyzers.Packages.TinyDistros;

/// <summary>Tiny Core: the real corpus rootfs tarballs and a fixture with squashfs-tools installed, against tar's own listing.</summary>
public sealed class TczDatabaseAnalyzerTests
{
    [Theory]
    [InlineData("6.4")]
    [InlineData("9.0")]
    [InlineData("11.0")]
    [InlineData("12.0")]
    public void Should_list_the_base_system_and_every_tce_installed_marker_of_a_real_rootfs(string release)
    {
        var rootfs = Repo.CorpusFile($"tinycore/{release}/x86_64/rootfs64.tar.gz");
        var listing = Tool.Output("tar", "-tzf", rootfs).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var markers = listing.Where(l => l.StartsWith("./usr/local/tce.installed/", StringComparison.Ordinal) && l.Length > "./usr/local/tce.installed/".Length && !l.EndsWith('/'))
            .Select(l => l["./usr/local/tce.installed/".Length..] + " ");
        // Ground truth for the base version: release.txt when the tarball has it, else os-release VERSION_ID (12.0 has no release.txt).
        var version = listing.Contains("./usr/share/doc/tc/release.txt")
            ? Tool.Output("tar", "-xOzf", rootfs, "./usr/share/doc/tc/release.txt").Trim()
            : Tool.Shell($"tar -xOzf '{rootfs}' ./etc/os-release | sed -n 's/^VERSION_ID=//p'").Trim().Trim('"');
        var expected = new SortedSet<string>(markers.Append("tinycore " + version), StringComparer.Ordinal);

        var result = PackageScan.Run(rootfs, new TczDatabaseAnalyzer()).Result();

        Assert.Equal(expected, new SortedSet<string>(result.Packages.Select(p => $"{p.Name} {p.Version}"), StringComparer.Ordinal));
        Assert.Equal($"pkg:generic/tinycore/tinycore@{version}", result.Packages.Single(p => p.Name == "tinycore").Purl);
        Assert.Empty(result.Unknowns);
    }

    [Fact]
    public void Should_read_version_license_files_and_dependencies_from_the_tce_sidecars()
    {
        var result = PackageScan.Run(DistroFixture.Tarball("tinycore"), new TczDatabaseAnalyzer()).Result();
        var root = DistroFixture.Root("tinycore");
        var optional = "etc/sysconfig/tcedir/optional";

        var installed = DistroFixture.ShellLines(root, "ls usr/local/tce.installed");
        Assert.Equal(new SortedSet<string>(installed.Append("tinycore"), StringComparer.Ordinal), new SortedSet<string>(result.Packages.Select(p => p.Name), StringComparer.Ordinal));

        var tools = result.Packages.Single(p => p.Name == "squashfs-tools");
        var version = DistroFixture.ShellLines(root, $"awk '/^Version:/{{print $2}}' {optional}/squashfs-tools.tcz.info").Single();
        Assert.Equal(version, tools.Version);
        Assert.Equal(DistroFixture.ShellLines(root, $"awk '/^Copying-policy:/{{print $2}}' {optional}/squashfs-tools.tcz.info").Single(), tools.License);
        Assert.Equal(DistroFixture.ShellLines(root, $"sed 's|^/||' {optional}/squashfs-tools.tcz.list"), tools.Files);
        Assert.Equal(DistroFixture.ShellLines(root, $"cat {optional}/squashfs-tools.tcz.dep"), tools.Depends);
        Assert.Equal($"pkg:generic/tinycore/squashfs-tools@{version}", tools.Purl);
        Assert.Equal(new Footprint.Analyzers.Packages.PackageEvidence("/usr/local/tce.installed/squashfs-tools", 0, 0), tools.Evidence);

        // No .tcz.info: the extension is listed, without a version.
        var ghost = result.Packages.Single(p => p.Name == "ghost-ext");
        Assert.Equal(string.Empty, ghost.Version);
        Assert.Equal("pkg:generic/tinycore/ghost-ext", ghost.Purl);
        Assert.Equal(DistroFixture.ShellLines(root, $"sed 's|^/||' {optional}/ghost-ext.tcz.list"), ghost.Files);
        Assert.Empty(result.Unknowns);
    }

    [Theory]
    [InlineData("usr/local/tce.installed/nano", "nano")]
    [InlineData("usr/local/tce.installed/sub/nano", "")]
    [InlineData("usr/local/tce.installedx/nano", "")]
    [InlineData("usr/local/tce.installed/nano.tcz.info", "")]
    [InlineData("tmp/tce/optional/nano.tcz", "")]
    public void Should_take_only_markers_directly_in_tce_installed(string path, string expected)
    {
        using var tree = PackageScan.Tree((path, string.Empty), ("tmp/tce/optional/nano.tcz.info", "Version: 7.2\n"));
        var names = PackageScan.Run(tree.Path, new TczDatabaseAnalyzer()).Result().Packages.Select(p => p.Name);
        Assert.Equal(expected.Length == 0 ? [] : [expected], names);
    }

    [Fact]
    public void Should_take_the_version_from_tmp_tce_and_ignore_an_os_release_of_another_distro()
    {
        using var tree = PackageScan.Tree(
            ("usr/local/tce.installed/nano", "#!/bin/sh\n"),
            ("tmp/tce/optional/nano.tcz.info", "Title: nano.tcz\nVersion:\t7.2\nDescription: a\n  continued: prose\n"),
            ("etc/os-release", "ID=debian\nVERSION_ID=12\n"));
        var result = PackageScan.Run(tree.Path, new TczDatabaseAnalyzer()).Result();
        Assert.Equal(["nano 7.2"], result.Packages.Select(p => $"{p.Name} {p.Version}"));
    }

    [Fact]
    public void Should_take_the_base_version_from_an_os_release_with_spaces_and_quotes()
    {
        using var tree = PackageScan.Tree(("etc/os-release", "NAME=TinyCore\n ID = tinycore\nVERSION_ID = \"12.0\"\nVERSION_ID=13\n"));
        var core = PackageScan.Run(tree.Path, new TczDatabaseAnalyzer()).Result().Packages.Single();
        Assert.Equal(("tinycore", "12.0", 3), (core.Name, core.Version, core.Evidence.Line));
    }
}
