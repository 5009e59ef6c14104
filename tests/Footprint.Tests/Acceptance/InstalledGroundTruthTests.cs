using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Acceptance;

/// <summary>
/// Installed bytes against an independent ground truth: GNU tar extracts the rootfs, `find` sums the
/// regular files (hard links once) and `du -sB1` gives the on-disk bytes.
/// </summary>
public sealed class InstalledGroundTruthTests
{
    /// <summary>Every rootfs tarball of the corpus (relative to ../shared/corpus), plus the Debian fixture.</summary>
    public static TheoryData<string> CorpusRootfs()
    {
        var data = new TheoryData<string>();
        var corpus = Repo.Corpus;
        var patterns = new[]
        {
            ("alpine", "*.tar.gz"), ("alpine-old", "*.tar.*"), ("busybox", "rootfs.tar.gz"), ("busybox/old", "busybox.tar.xz"),
            ("tinycore", "rootfs64.tar.gz"), ("openwrt", "*.tar.gz"), ("images/buildroot-tp", "rootfs.tar"),
            ("images/runtime-tools", "*.tar.gz"), ("rootfs-exports", "*.tar.gz"),
        };
        foreach (var (dir, pattern) in patterns)
        {
            var full = Path.Combine(corpus, dir);
            if (!Directory.Exists(full))
            {
                throw new InvalidOperationException($"corpus folder {full} is missing");
            }

            foreach (var f in Directory.EnumerateFiles(full, pattern, SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetRelativePath(corpus, f));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CorpusRootfs))]
    public void Should_match_tar_extraction_for_corpus_rootfs(string relative)
        => AssertMatchesExtraction(Repo.CorpusFile(relative));

    [Fact]
    public void Should_match_tar_extraction_for_debian_minbase_rootfs()
        => AssertMatchesExtraction(Repo.Fixture("debian/rootfs.tar"));

    [Theory]
    [InlineData("oci:{0}/debian/oci:two", "debian/two.unpacked/rootfs")]
    [InlineData("oci:{0}/debian/oci:minbase", "debian/minbase.unpacked/rootfs")]
    [InlineData("{0}/debian/two.docker.tar", "debian/two.unpacked/rootfs")]
    [InlineData("{0}/debian/two.oci.tar", "debian/two.unpacked/rootfs")]
    public void Should_match_umoci_unpack_for_layered_images(string reference, string unpacked)
    {
        var truth = GroundTruth.Measure(Repo.Fixture(unpacked));
        var report = Load.Measure(string.Format(System.Globalization.CultureInfo.InvariantCulture, reference, Repo.Fixtures), new Footprint.Pipeline.MeasureOptions { MeasurePushSize = false });
        Assert.Equal(truth.ApparentBytes, report.Installed.ApparentBytes);
        Assert.Equal(truth.Files, report.Installed.Files);
        Assert.Equal(truth.Symlinks, report.Installed.Symlinks);
        AssertWithinOnePercent(truth.OnDiskBytes, report.Installed.OnDiskBytes);
    }

    [Theory]
    [InlineData("alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz")]
    [InlineData("busybox/latest/musl/amd64/rootfs.tar.gz")]
    [InlineData("openwrt/docker-openwrt-rootfs.tar.gz")]
    [InlineData("tinycore/11.0/x86_64/rootfs64.tar.gz")]
    public void Should_match_find_and_du_when_measuring_the_extracted_directory(string relative)
    {
        using var dir = new TempDir();
        GroundTruth.Extract(Repo.CorpusFile(relative), dir.Path);
        var truth = GroundTruth.Measure(dir.Path);
        var report = Load.Measure("dir:" + dir.Path);
        Assert.Equal("directory", report.Kind);
        Assert.Equal(truth.ApparentBytes, report.Installed.ApparentBytes);
        Assert.Equal(truth.Files, report.Installed.Files);
        Assert.Equal(truth.Directories, report.Installed.Directories);
        Assert.Equal(truth.Symlinks, report.Installed.Symlinks);
        AssertWithinOnePercent(truth.OnDiskBytes, report.Installed.OnDiskBytes);

        // Loaded as a layer (the in-memory tree other commands stack and compare), it lists exactly what find lists.
        var (fs, warnings) = Load.FileSystem("dir:" + dir.Path);
        Assert.Empty(warnings);
        Assert.Equal(GroundTruth.Listing(dir.Path), Load.Listing(fs));

        // The same tree read from its tarball gives the same figures.
        var fromTar = Load.Measure(Repo.CorpusFile(relative));
        Assert.Equal(fromTar.Installed.ApparentBytes, report.Installed.ApparentBytes);
        Assert.Equal(fromTar.Installed.HardLinks, report.Installed.HardLinks);
        Assert.Equal(fromTar.Identity.Os, report.Identity.Os, new OsComparer());
    }

    [Theory]
    [InlineData("trivy/pkg/fanal/test/testdata/alpine-310.tar.gz")]
    [InlineData("trivy/pkg/fanal/test/testdata/alpine-311.tar.gz")]
    public void Should_match_tar_extraction_for_gzipped_docker_save_images(string relative)
    {
        var archive = Repo.CorpusFile(relative);
        using var outer = new TempDir();
        using var rootfs = new TempDir();
        GroundTruth.Extract(archive, outer.Path);
        using var manifest = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(outer.Path, "manifest.json")));
        var layers = manifest.RootElement[0].GetProperty("Layers").EnumerateArray().Select(l => l.GetString()!).ToList();
        Assert.Single(layers);
        GroundTruth.Extract(Path.Combine(outer.Path, layers[0]), rootfs.Path);
        var truth = GroundTruth.Measure(rootfs.Path);
        var report = Load.Measure(archive);
        Assert.Equal("docker-archive", report.Kind);
        Assert.Equal("alpine", report.Identity.Os!.Id);
        Assert.Equal(truth.ApparentBytes, report.Installed.ApparentBytes);
        Assert.Equal(truth.Files, report.Installed.Files);
        Assert.Equal(truth.Symlinks, report.Installed.Symlinks);
        AssertWithinOnePercent(truth.OnDiskBytes, report.Installed.OnDiskBytes);
        Assert.Equal("recompressed", report.Download.Method);
    }

    private static void AssertMatchesExtraction(string archive)
    {
        using var dir = new TempDir();
        GroundTruth.Extract(archive, dir.Path);
        var truth = GroundTruth.Measure(dir.Path);
        var report = Load.Measure(archive);
        Assert.Equal("rootfs-tar", report.Kind);
        Assert.Equal(truth.ApparentBytes, report.Installed.ApparentBytes);
        Assert.Equal(truth.Files, report.Installed.Files);
        Assert.Equal(truth.Directories, report.Installed.Directories);
        Assert.Equal(truth.Symlinks, report.Installed.Symlinks);
        AssertWithinOnePercent(truth.OnDiskBytes, report.Installed.OnDiskBytes);
    }

    internal static void AssertWithinOnePercent(long expected, long actual)
    {
        var diff = Math.Abs(expected - actual);
        Assert.True(diff <= expected / 100, $"on-disk bytes {actual} differ from du -sB1 {expected} by {diff} (more than 1%)");
    }

    private sealed class OsComparer : IEqualityComparer<Footprint.Analyzers.Identity.OsReport?>
    {
        public bool Equals(Footprint.Analyzers.Identity.OsReport? x, Footprint.Analyzers.Identity.OsReport? y)
            => x?.Id == y?.Id && x?.VersionId == y?.VersionId && x?.DistroVersion == y?.DistroVersion && x?.PrettyName == y?.PrettyName;

        public int GetHashCode(Footprint.Analyzers.Identity.OsReport? obj) => obj?.Id?.GetHashCode(StringComparison.Ordinal) ?? 0;
    }
}
