using Footprint.Analyzers.Packages.Apk;
using Footprint.FileSystem;
using Footprint.Tests.TestSupport;
using Footprint.Walk;

namespace Footprint.Tests.Analyzers.Packages;

/// <summary>
/// apk's installed database against ground truth that shares no code with it: GNU tar extracts the DB and
/// awk prints its P:/V:/A: triples; counts are the apk_pkgs= the corpus MANIFEST.md records.
/// </summary>
public sealed class ApkDatabaseAnalyzerTests
{
    private const string AwkTriples = "BEGIN{p=\"\"} /^P:/{p=substr($0,3)} /^V:/{v=substr($0,3)} /^A:/{a=substr($0,3)} /^$/{if(p!=\"\")print p\"\\t\"v\"\\t\"a; p=\"\";v=\"\";a=\"\"} END{if(p!=\"\")print p\"\\t\"v\"\\t\"a}";

    public static TheoryData<string> Rootfs()
    {
        var data = new TheoryData<string>();
        foreach (var dir in new[] { "alpine", "alpine-old" })
        {
            foreach (var file in Directory.GetFiles(Path.Combine(Repo.Corpus, dir)).Where(f => f.Contains(".tar", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
            {
                data.Add(dir + "/" + Path.GetFileName(file));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Rootfs))]
    public void Should_list_what_awk_reads_from_the_database(string relative)
    {
        var rootfs = Repo.CorpusFile(relative);
        var expected = PackageScan.Lines(Tool.Shell($"tar -xOf '{rootfs}' --wildcards '*lib/apk/db/installed' | awk '{AwkTriples}'"));

        var result = PackageScan.Run(rootfs, new ApkDatabaseAnalyzer()).Result();

        Assert.Equal(expected, PackageScan.Triples(result.Packages));
        Assert.Equal(PackageScan.ManifestCount(relative, "apk_pkgs"), result.Packages.Count);
        Assert.Empty(result.Unknowns);
        Assert.Equal(["/lib/apk/db/installed"], result.Databases);
    }

    [Fact]
    public void Should_carry_files_sizes_origin_and_evidence()
    {
        var result = PackageScan.Run(Repo.CorpusFile("alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz"), new ApkDatabaseAnalyzer()).Result("3.20.3");
        var busybox = result.Packages.Single(p => p.Name == "busybox");
        Assert.Equal("1.36.1-r29", busybox.Version);
        Assert.Equal("x86_64", busybox.Architecture);
        Assert.Equal("busybox", busybox.Source);
        Assert.Equal("GPL-2.0-only", busybox.License);
        Assert.Contains("bin/busybox", busybox.Files);
        Assert.Equal("pkg:apk/alpine/busybox@1.36.1-r29?arch=x86_64&distro=alpine-3.20.3", busybox.Purl);
        Assert.Equal("/lib/apk/db/installed", busybox.Evidence.Path);

        // Independent: the line awk finds "P:busybox" on, and the I: value it reads.
        using var dir = new TempDir();
        Tool.Shell($"tar -xOzf '{Repo.CorpusFile("alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz")}' ./lib/apk/db/installed > '{dir.File("installed")}'");
        var line = int.Parse(Tool.Output("awk", "/^P:busybox$/{print NR; exit}", dir.File("installed")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var recordStart = int.Parse(Tool.Shell($"awk 'NR<={line} && /^$/{{s=NR}} END{{print s+1}}' '{dir.File("installed")}'").Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(recordStart, busybox.Evidence.Line);
        var size = Tool.Shell($"awk '/^P:/{{p=substr($0,3)}} /^I:/{{if(p==\"busybox\")print substr($0,3)}}' '{dir.File("installed")}'").Trim();
        Assert.Equal(long.Parse(size, System.Globalization.CultureInfo.InvariantCulture), busybox.InstalledSizeBytes);

        // Every file apk lists is in the image (minirootfs is a pristine install).
        var listing = Load.Listing(Load.FileSystem(Repo.CorpusFile("alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz")).Fs);
        Assert.All(result.Packages.SelectMany(p => p.Files), f => Assert.Contains(listing, l => l.StartsWith("f " + f + " ", StringComparison.Ordinal) || l.StartsWith("l " + f + " ", StringComparison.Ordinal)));
    }

    /// <summary>
    /// A docker-save image: the database comes out of its layer blob. (trivy's fanal golden alpine-310.json.golden
    /// is for a different alpine:3.10 build, busybox 1.30.1-r2 where this tarball has -r3, so awk is the truth here.)
    /// </summary>
    [Fact]
    public void Should_read_the_database_out_of_an_image_layer()
    {
        var image = Repo.CorpusFile("trivy/pkg/fanal/test/testdata/alpine-310.tar.gz");
        using var dir = new TempDir();
        Tool.Output("tar", "-xzf", image, "-C", dir.Path);
        var layer = Assert.Single(Directory.GetFiles(dir.Path, "layer.tar", SearchOption.AllDirectories));
        var expected = PackageScan.Lines(Tool.Shell($"tar -xOf '{layer}' lib/apk/db/installed | awk '{AwkTriples}'"));

        var result = PackageScan.Run(image, new ApkDatabaseAnalyzer()).Result();

        Assert.Equal(expected, PackageScan.Triples(result.Packages));
        Assert.All(result.Packages, p => Assert.Equal(0, p.Evidence.Layer));
    }

    [Theory]
    [InlineData("lib/apk/db/installed", true)]
    [InlineData("lib/apk/db/installed.old", false)]
    [InlineData("lib/apk/db/other", false)]
    [InlineData("lib/apk/db/installed/x", false)]
    [InlineData("usr/lib/apk/db/installed", true)]
    [InlineData("usr/lib/apk/db/installed.old", false)]
    [InlineData("xlib/apk/db/installed", false)]
    [InlineData("lib/apk/db/triggers", false)]
    public void Should_select_only_the_installed_database(string path, bool wanted)
    {
        using var tree = PackageScan.Tree((path, "P:x\nV:1\nA:x86_64\n"));
        var result = PackageScan.Run(tree.Path, new ApkDatabaseAnalyzer()).Result();
        Assert.Equal(wanted ? 1 : 0, result.Packages.Count);
        Assert.Equal(wanted ? ContentNeed.Whole : ContentNeed.None, new ApkDatabaseAnalyzer().Required(path, FileNode()));
    }

    [Fact]
    public void Should_read_a_merged_usr_layout_through_the_lib_symlink_as_wolfi_lays_it_out()
    {
        // The 3.20.3 minirootfs rearranged as Wolfi does since 2025: the database in usr/lib/apk/db, lib -> usr/lib.
        var tarball = Repo.CorpusFile("alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz");
        var text = Tool.Output("tar", "-xOzf", tarball, "./lib/apk/db/installed");
        using var tree = PackageScan.Tree(("usr/lib/apk/db/installed", text), ("etc/os-release", "ID=wolfi\n"));
        File.CreateSymbolicLink(Path.Combine(tree.Path, "lib"), "usr/lib");

        var merged = PackageScan.Run(tree.Path, new ApkDatabaseAnalyzer()).Result();
        var plain = PackageScan.Run(tarball, new ApkDatabaseAnalyzer()).Result();

        Assert.Equal(PackageScan.Triples(plain.Packages), PackageScan.Triples(merged.Packages));
        Assert.Equal(["/usr/lib/apk/db/installed"], merged.Databases);
    }

    [Fact]
    public void Should_prefer_lib_over_a_stale_usr_copy_as_apk_tools_3_does()
    {
        using var tree = PackageScan.Tree(("lib/apk/db/installed", "P:current\nV:2\n"), ("usr/lib/apk/db/installed", "P:stale\nV:1\n"));
        var result = PackageScan.Run(tree.Path, new ApkDatabaseAnalyzer()).Result();
        Assert.Equal(["current"], result.Packages.Select(p => p.Name));
    }

    [Fact]
    public void Should_record_garbage_and_truncated_records_as_unknowns_and_go_on()
    {
        const string text = "P:good\nV:1.0-r0\nA:x86_64\nI:4096\nF:usr/bin\nR:good\n\nthis is not apk\nP:noversion\n\nP:also-good\nV:2.0-r1\nF:../../etc\nR:passwd\n\nP:cut-off\nV";
        var (packages, unknowns) = ParseApkInstalled.Parse("/lib/apk/db/installed", 0, text, null);
        Assert.Equal(["good", "also-good"], packages.Select(p => p.Name));
        Assert.Equal(["usr/bin/good"], packages[0].Files);
        Assert.Equal(4096, packages[0].InstalledSizeBytes);
        Assert.Empty(packages[1].Files);
        Assert.Contains(unknowns, u => u.Line == 8 && u.Reason.Contains("not an", StringComparison.Ordinal));
        Assert.Contains(unknowns, u => u.Line == 8 && u.Reason.Contains("without P", StringComparison.Ordinal));
        Assert.Contains(unknowns, u => u.Line == 14 && u.Reason.Contains("escapes", StringComparison.Ordinal));
        Assert.Contains(unknowns, u => u.Line == 16);
    }

    [Fact]
    public void Should_not_throw_on_binary_garbage()
    {
        var random = new Random(42);
        for (var i = 0; i < 200; i++)
        {
            var bytes = new byte[random.Next(0, 2000)];
            random.NextBytes(bytes);
            var text = System.Text.Encoding.UTF8.GetString(bytes);
            _ = ParseApkInstalled.Parse("/lib/apk/db/installed", 0, text, null);
        }
    }

    [Fact]
    public void Should_keep_the_first_of_duplicate_records()
    {
        using var tree = PackageScan.Tree(("lib/apk/db/installed", "P:musl\nV:1.2.5-r0\nA:x86_64\n\nP:musl\nV:1.2.4-r0\nA:x86_64\n"));
        var result = PackageScan.Run(tree.Path, new ApkDatabaseAnalyzer()).Result();
        Assert.Equal("1.2.5-r0", Assert.Single(result.Packages).Version);
        var dup = Assert.Single(result.Unknowns);
        Assert.Equal(5, dup.Line);
        Assert.Contains("duplicate", dup.Reason, StringComparison.Ordinal);
    }

    private static FsNode FileNode()
    {
        using var tree = PackageScan.Tree(("f", "x"));
        var (fs, _) = Load.FileSystem(tree.Path);
        return LayeredFileSystem.Enumerate(fs.Squashed).Single(e => e.Path == "f").Node;
    }
}
