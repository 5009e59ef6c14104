using System.Formats.Tar;
using System.Text.Json.Nodes;
using Footprint.Formats;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Sources;

/// <summary>A docker archive holding several images (`docker save a b`) is measured only when the user names one.</summary>
public sealed class DockerArchiveTagTests : IDisposable
{
    private readonly TempDir _dir = new();

    public DockerArchiveTagTests()
    {
        // The real scratch-busybox docker-archive, unpacked, with its one image listed twice under two tags.
        TarFile.ExtractToDirectory(Repo.Fixture("scratch-busybox/docker.tar"), _dir.Path, overwriteFiles: false);
        var manifest = JsonNode.Parse(File.ReadAllText(_dir.File("manifest.json")))!.AsArray();
        var second = manifest[0]!.DeepClone();
        second["RepoTags"] = new JsonArray("docker.io/footprint/other:1.0");
        manifest.Add(second);
        File.WriteAllText(_dir.File("manifest.json"), manifest.ToJsonString());
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Should_refuse_to_guess_and_list_the_tags_when_no_tag_is_given()
    {
        var e = Assert.Throws<FootprintFormatException>(() => Load.Measure(_dir.Path));
        Assert.Contains("manifest.json", e.Message, StringComparison.Ordinal);
        Assert.Contains("holds 2 images; use PATH:TAG", e.Message, StringComparison.Ordinal);
        Assert.Contains("docker.io/footprint/scratch-busybox:latest", e.Message, StringComparison.Ordinal);
        Assert.Contains("docker.io/footprint/other:1.0", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_measure_the_image_the_tag_names()
    {
        var report = Load.Measure(_dir.Path + ":footprint/other:1.0");
        Assert.True(report.Installed.Files > 0);
        Assert.Equal(Load.Measure(Repo.Fixture("scratch-busybox/docker.tar")).Installed.ApparentBytes, report.Installed.ApparentBytes);
    }
}
