using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Sources;

/// <summary>docker save archives, current and pre-1.10 (no manifest.json: layers chained through &lt;id&gt;/json).</summary>
public sealed class DockerArchiveTests
{
    [Fact]
    public void Should_read_a_legacy_archive_through_repositories_and_parent_links()
    {
        using var dir = new TempDir();
        var outer = Path.Combine(dir.Path, "outer");
        Directory.CreateDirectory(outer);
        var original = Repo.CorpusFile("trivy/pkg/fanal/test/testdata/alpine-311.tar.gz");
        GroundTruth.Extract(original, outer);
        File.Delete(Path.Combine(outer, "manifest.json"));
        var legacy = Path.Combine(dir.Path, "legacy.tar");
        Tool.Output("tar", "-cf", legacy, "-C", outer, ".");

        var withManifest = Load.Measure(original);
        var fromLegacy = Load.Measure(legacy);
        Assert.Equal("docker-archive", fromLegacy.Kind);
        Assert.Equal(withManifest.Installed.ApparentBytes, fromLegacy.Installed.ApparentBytes);
        Assert.Equal(withManifest.Installed.Files, fromLegacy.Installed.Files);
        Assert.Equal("alpine", fromLegacy.Identity.Os!.Id);
        Assert.Equal("amd64", fromLegacy.Identity.Architecture!.Value);
    }

    [Fact]
    public void Should_pick_an_image_by_tag_and_refuse_an_unknown_tag()
    {
        var archive = Repo.Fixture("debian/two.docker.tar");
        var report = Load.Measure(archive + ":footprint/two:latest");
        Assert.Equal(2, report.Download.Layers.Count);
        var e = Assert.Throws<Footprint.Formats.FootprintFormatException>(() => Load.Measure(archive + ":nope"));
        Assert.Contains("nope", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("docker.io/footprint/two:latest", "footprint/two:latest", true)]
    [InlineData("docker.io/footprint/two:latest", "footprint/two", true)]
    [InlineData("docker.io/library/alpine:3.20", "alpine:3.20", true)]
    [InlineData("docker.io/library/alpine:3.20", "3.20", true)]
    [InlineData("docker.io/library/alpine:3.20", "alpine", false)]
    [InlineData("docker.io/footprint/two:latest", "footprint/one:latest", false)]
    public void Should_match_tags_the_way_docker_normalises_references(string repoTag, string wanted, bool matches)
        => Assert.Equal(matches, Footprint.Sources.DockerArchive.DockerArchiveReader.TagMatches(repoTag, wanted));
}
