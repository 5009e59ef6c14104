using System.Text.RegularExpressions;
using Footprint.Analyzers.Packages;
using Footprint.Analyzers.Packages.Apk;
using Footprint.Analyzers.Packages.Dpkg;
using Footprint.Analyzers.Packages.Opkg;
using Footprint.Analyzers.Packages.Rpm;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Analyzers.Packages;

/// <summary>
/// The source-package key of every binary package, per ecosystem, against what the tools or a grep of the database
/// say: dpkg-query's ${source:Package} and ${source:Version}, awk over apk's installed P:/o: lines, the Source: path
/// of OpenWrt's info/*.control, and rpm's %{SOURCERPM}.
/// </summary>
public sealed class SourcePackageTests
{
    private const string SourceFormat = "${Package}:${Architecture}\\t${source:Package}\\t${source:Version}\\n";

    private static SortedSet<string> Ours(IEnumerable<Package> packages, Func<Package, string> key)
        => new(packages.Select(p => { var s = SourcePackage.Of(p); return $"{key(p)}\t{s.Name}\t{s.Version}"; }), StringComparer.Ordinal);

    [Fact]
    public void Should_key_the_nginx_image_packages_by_source_and_source_version_like_dpkg_query()
    {
        var root = Repo.CorpusFile("pkgdb/jasonwsuk+viking_nginx");
        var admin = Path.Combine(root, "var/lib/dpkg");
        var packages = PackageScan.Run(root, new DpkgDatabaseAnalyzer()).Result().Packages;

        var expected = PackageScan.Lines(Tool.Output("dpkg-query", "--admindir=" + admin, "-W", "-f", SourceFormat));
        Assert.Equal(expected, Ours(packages, p => $"{p.Name}:{p.Architecture}"));

        // The binNMUs and split versions: exactly the stanzas whose Source: carries "(version)", as grep finds them.
        var withVersion = Tool.Shell($"grep -c '^Source: .*(' '{Path.Combine(admin, "status")}'").Trim();
        Assert.Equal(int.Parse(withVersion, System.Globalization.CultureInfo.InvariantCulture), packages.Count(p => p.SourceVersion is not null));
        var coreutils = packages.Single(p => p.Name == "coreutils");
        Assert.Equal(("coreutils", "8.32-4+b1", "8.32-4"), (coreutils.Source, coreutils.Version, coreutils.SourceVersion));
        Assert.True(packages.Count(p => p.Source is not null && p.Source != p.Name) > 20);
    }

    [Fact]
    public void Should_key_the_debian_fixture_packages_like_dpkg_query()
    {
        var rootfs = Repo.Fixture("debian/rootfs.tar");
        using var dir = new TempDir();
        Tool.Output("tar", "-xf", rootfs, "-C", dir.Path, "./var/lib/dpkg");
        var packages = PackageScan.Run(rootfs, new DpkgDatabaseAnalyzer()).Result().Packages;
        var expected = PackageScan.Lines(Tool.Output("dpkg-query", "--admindir=" + Path.Combine(dir.Path, "var/lib/dpkg"), "-W", "-f", SourceFormat));
        Assert.Equal(expected, Ours(packages, p => $"{p.Name}:{p.Architecture}"));
    }

    [Theory]
    [InlineData("alpine/alpine-minirootfs-3.10.9-x86_64.tar.gz")]
    [InlineData("pkgdb/choc1024+vaultwarden-extracted-bin")]
    public void Should_key_apk_packages_by_origin_like_awk(string relative)
    {
        var artifact = Repo.CorpusFile(relative);
        var packages = PackageScan.Run(artifact, new ApkDatabaseAnalyzer()).Result().Packages;
        var installed = relative.EndsWith(".tar.gz", StringComparison.Ordinal)
            ? $"tar -xzOf '{artifact}' ./lib/apk/db/installed"
            : $"cat '{Path.Combine(artifact, "lib/apk/db/installed")}'";
        // Each record: P:name, V:version, o:origin (apk's own field letters); a record without o: is its own origin.
        var expected = PackageScan.Lines(Tool.Shell(installed + " | awk -F: '/^P:/{p=substr($0,3)} /^V:/{v=substr($0,3)} /^o:/{o=substr($0,3)} /^$/{if(p!=\"\")print p\"\\t\"(o==\"\"?p:o)\"\\t\"v; p=\"\";v=\"\";o=\"\"} END{if(p!=\"\")print p\"\\t\"(o==\"\"?p:o)\"\\t\"v}'"));
        Assert.True(expected.Count >= 10, $"{expected.Count} records");
        Assert.Equal(expected, Ours(packages, p => p.Name));
        Assert.Contains(packages, p => p.Source is not null && p.Source != p.Name);
    }

    [Fact]
    public void Should_key_openwrt_packages_by_the_last_component_of_their_source_path()
    {
        var rootfs = Repo.CorpusFile("openwrt/openwrt-armvirt-64-default-rootfs.tar.gz");
        using var dir = new TempDir();
        Tool.Output("tar", "-xzf", rootfs, "-C", dir.Path, "./usr/lib/opkg");
        var packages = PackageScan.Run(rootfs, new OpkgDatabaseAnalyzer()).Result().Packages;
        var expected = PackageScan.Lines(Tool.Shell(
            $"cd '{Path.Combine(dir.Path, "usr/lib/opkg/info")}' && for f in *.control; do printf '%s\\t%s\\t%s\\n' \"$(sed -n 's/^Package: //p' $f)\" \"$(sed -n 's/^Source: //p' $f | xargs basename)\" \"$(sed -n 's/^Version: //p' $f)\"; done"));
        Assert.True(expected.Count > 50, $"{expected.Count} controls");
        Assert.Equal(expected, Ours(packages, p => p.Name));
        Assert.Equal("linux", SourcePackage.Of(packages.Single(p => p.Name == "kmod-ipt-core")).Name);
    }

    [Fact]
    public void Should_key_rpm_packages_by_the_source_rpm_like_rpm_reports_it()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("var/lib/rpm"));
        File.Copy(Repo.CorpusFile("rpmdb/go-rpmdb/pkg/testdata/cbl-mariner-2.0/rpmdb.sqlite"), dir.File("var/lib/rpm/rpmdb.sqlite"));
        var packages = PackageScan.Run(dir.Path, new RpmDatabaseAnalyzer()).Result(null).Packages;

        // rpm prints the SOURCERPM file name; the test splits it with its own pattern (NAME-VERSION-RELEASE.src.rpm).
        var pattern = new Regex(@"^(?<name>.+)-(?<version>[^-]+)-(?<release>[^-]+)\.(?:no)?src\.rpm$");
        var expected = Footprint.Tests.Analyzers.Packages.Rpm.RpmGroundTruth.Query(dir.File("var/lib/rpm"), "sqlite", "%{NAME}\\t%{EPOCH}\\t%{SOURCERPM}\\n").Select(line =>
        {
            var f = line.Split('\t');
            var m = pattern.Match(f[2]);
            Assert.True(m.Success, line);
            var epoch = f[1] == "(none)" ? string.Empty : f[1] + ":";
            return $"{f[0]}\t{m.Groups["name"].Value}\t{epoch}{m.Groups["version"].Value}-{m.Groups["release"].Value}";
        });
        Assert.Equal(new SortedSet<string>(expected, StringComparer.Ordinal), Ours(packages, p => p.Name));
        Assert.Contains(packages, p => SourcePackage.Of(p).Name != p.Name);
    }

    [Theory]
    [InlineData("curl-7.86.0-1.cm2.src.rpm", "curl", "7.86.0-1.cm2")]
    [InlineData("kernel-rt-5.14.0-70.13.1.rt21.83.el9_0.nosrc.rpm", "kernel-rt", "5.14.0-70.13.1.rt21.83.el9_0")]
    [InlineData("curl-7.86.0.src.rpm", null, null)]
    [InlineData("curl-7.86.0-1.cm2.x86_64.rpm", null, null)]
    [InlineData("-1-2.src.rpm", null, null)]
    [InlineData("a--2.src.rpm", null, null)]
    [InlineData("a-1-.src.rpm", null, null)]
    public void Should_split_source_rpm_names_or_refuse_them(string sourceRpm, string? name, string? version)
    {
        var split = SourcePackage.SplitSourceRpm(sourceRpm);
        Assert.Equal(name, split?.Name);
        Assert.Equal(version, split?.Version);
    }
}
