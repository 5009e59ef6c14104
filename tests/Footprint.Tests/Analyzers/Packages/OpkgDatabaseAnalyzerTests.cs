using Footprint.Analyzers.Packages.Opkg;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Analyzers.Packages;

/// <summary>opkg databases of real OpenWrt systems against an awk parse of the same status file and the MANIFEST.md counts.</summary>
public sealed class OpkgDatabaseAnalyzerTests
{
    private const string AwkInstalled = "BEGIN{RS=\"\";FS=\"\\n\"}{p=\"\";v=\"\";a=\"\";s=\"\";for(i=1;i<=NF;i++){if($i~/^Package: /)p=substr($i,10);if($i~/^Version: /)v=substr($i,10);if($i~/^Architecture: /)a=substr($i,15);if($i~/^Status: /)s=$i} if(p!=\"\" && s~/ installed$/)print p\"\\t\"v\"\\t\"a}";

    [Theory]
    [InlineData("openwrt/openwrt-armvirt-64-default-rootfs.tar.gz")]
    [InlineData("openwrt/docker-openwrt-rootfs.tar.gz")]
    [InlineData("rootfs-exports/wodim+samknows-squashfs.tar.gz")]
    public void Should_list_what_awk_reads_from_the_status_file(string relative)
    {
        var rootfs = Repo.CorpusFile(relative);
        var expected = PackageScan.Lines(Tool.Shell($"tar -xOzf '{rootfs}' --wildcards '*usr/lib/opkg/status' | awk '{AwkInstalled}'"));

        var result = PackageScan.Run(rootfs, new OpkgDatabaseAnalyzer()).Result();

        Assert.Equal(expected, PackageScan.Triples(result.Packages));
        Assert.Equal(PackageScan.ManifestCount(relative, "opkg_pkgs"), result.Packages.Count);
        Assert.Empty(result.Unknowns);
    }

    [Theory]
    [InlineData("pkgdb/trillaman+luci23.05")]
    [InlineData("pkgdb/wodim+samknows-squashfs")]
    public void Should_read_status_files_of_extracted_firmware(string relative)
    {
        var root = Repo.CorpusFile(relative);
        var expected = PackageScan.Lines(Tool.Output("awk", AwkInstalled, Path.Combine(root, "usr/lib/opkg/status")));
        var result = PackageScan.Run(root, new OpkgDatabaseAnalyzer()).Result();
        Assert.Equal(expected, PackageScan.Triples(result.Packages));
        Assert.Empty(result.Unknowns);
    }

    [Fact]
    public void Should_fill_fields_from_control_files_and_list_files()
    {
        var rootfs = Repo.CorpusFile("openwrt/openwrt-armvirt-64-default-rootfs.tar.gz");
        var result = PackageScan.Run(rootfs, new OpkgDatabaseAnalyzer()).Result();
        var opkg = result.Packages.Single(p => p.Name == "opkg");

        using var dir = new TempDir();
        Tool.Shell($"tar -xzf '{rootfs}' -C '{dir.Path}' ./usr/lib/opkg");
        var info = Path.Combine(dir.Path, "usr/lib/opkg/info");
        string ControlField(string field) => Tool.Output("awk", $"/^{field}: /{{print substr($0,{field.Length + 3})}}", Path.Combine(info, "opkg.control")).Trim();
        Assert.Equal(long.Parse(ControlField("Installed-Size"), System.Globalization.CultureInfo.InvariantCulture), opkg.InstalledSizeBytes);
        Assert.Equal(ControlField("License"), opkg.License ?? string.Empty);
        var listed = PackageScan.Lines(Tool.Output("awk", "{sub(/^\\//,\"\"); print $1}", Path.Combine(info, "opkg.list")));
        Assert.Equal(listed, new SortedSet<string>(opkg.Files, StringComparer.Ordinal));
        Assert.Equal($"pkg:opkg/openwrt/opkg@{opkg.Version}?arch=aarch64_generic", opkg.Purl);
        var line = int.Parse(Tool.Output("awk", "/^Package: opkg$/{print NR; exit}", Path.Combine(dir.Path, "usr/lib/opkg/status")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(new Footprint.Analyzers.Packages.PackageEvidence("/usr/lib/opkg/status", line, 0), opkg.Evidence);
    }

    [Theory]
    [InlineData("usr/lib/opkg/status", 1)]
    [InlineData("var/lib/opkg/status", 1)]
    [InlineData("usr/lib/opkg/status.old", 0)]
    [InlineData("usr/lib/opkg/lists/openwrt_core", 0)]
    [InlineData("etc/opkg/status", 0)]
    [InlineData("usr/lib/opkg/info/x.control", 0)]
    [InlineData("lib/opkg/status", 0)]
    public void Should_select_only_status_databases(string path, int expected)
    {
        using var tree = PackageScan.Tree((path, "Package: x\nVersion: 1\nStatus: install user installed\nArchitecture: mips_24kc\n"));
        Assert.Equal(expected, PackageScan.Run(tree.Path, new OpkgDatabaseAnalyzer()).Result().Packages.Count);
    }

    [Fact]
    public void Should_record_garbage_truncation_and_duplicates_as_unknowns()
    {
        const string status = "Package: a\nVersion: 1\nStatus: install user installed\nInstalled-Size: 2048\n\n\u0000\u0001 binary junk\nPackage: b\nVersion: 2\nStatus: install user installed\n\nPackage: a\nVersion: 3\nStatus: install ok installed\n\nPackage: gone\nVersion: 1\nStatus: deinstall user not-installed\n\nPackage: cut\nVers";
        using var tree = PackageScan.Tree(("usr/lib/opkg/status", status));
        var result = PackageScan.Run(tree.Path, new OpkgDatabaseAnalyzer()).Result();
        Assert.Equal(["a 1 2048", "b 2 "], result.Packages.Select(p => $"{p.Name} {p.Version} {p.InstalledSizeBytes}"));
        Assert.Contains(result.Unknowns, u => u.Line == 6);
        Assert.Contains(result.Unknowns, u => u.Line == 11 && u.Reason.Contains("duplicate", StringComparison.Ordinal));
        Assert.Contains(result.Unknowns, u => u.Line == 19);
        Assert.Contains(result.Unknowns, u => u.Line == 20);
    }
}
