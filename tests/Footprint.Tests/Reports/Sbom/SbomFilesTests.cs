using System.Text.Json.Nodes;
using Footprint.Pipeline;
using Footprint.Reports;
using Footprint.Reports.CycloneDx;
using Footprint.Reports.Sbom;
using Footprint.Reports.Spdx;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Reports.Sbom;

/// <summary>`sbom --files`: every regular file with digests equal to sha1sum/sha256sum of GNU tar's extraction, owners from the apk database.</summary>
public sealed class SbomFilesTests
{
    private static readonly SbomOptions Options = SbomOptions.Create("test", "1700000000", DateTimeOffset.UnixEpoch);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Should_list_every_regular_file_with_the_digests_sha256sum_gives(bool asDirectory)
    {
        var tarball = Repo.CorpusFile("alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz");
        using var dir = new TempDir();
        Tool.Output("tar", "-xzf", tarball, "-C", dir.Path);
        var truth = Tool.Shell($"cd '{dir.Path}' && find . -type f -print0 | sort -z | xargs -0 sha256sum")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(l => l[(l.IndexOf("  ./", StringComparison.Ordinal) + 3)..], l => l[..64], StringComparer.Ordinal);
        var sha1 = Tool.Output("sha1sum", Path.Combine(dir.Path, "bin/busybox")).Split(' ')[0];

        var artifact = Load.Measure(asDirectory ? dir.Path : tarball, new MeasureOptions { ListFiles = true, MeasurePushSize = false });
        var files = artifact.Files!;

        // Hard links are one inode but two paths: both are listed, as find lists them.
        Assert.Equal(truth.Keys.Order(StringComparer.Ordinal), files.Select(f => f.Path));
        Assert.All(files, f => Assert.Equal(truth[f.Path], f.Sha256));
        Assert.Equal(sha1, files.Single(f => f.Path == "/bin/busybox").Sha1);
        Assert.Contains("pkg:apk/alpine/busybox@1.36.1-r29?arch=x86_64&distro=alpine-3.20.3", files.Single(f => f.Path == "/bin/busybox").OwnedBy);
        Assert.Empty(Schemas.Errors(Schemas.Report, Footprint.Reports.Json.JsonReportWriter.ToJson(new Report { Tool = new("footprint", "test"), Artifacts = [artifact] })));

        var report = new Report { Tool = new ToolInfo("footprint", "test"), Artifacts = [artifact] };
        var bom = CycloneDxWriter.ToJson(report, Options);
        Assert.Empty(Schemas.Errors(SbomSchemas.CycloneDx16, bom));
        var fileComponents = JsonNode.Parse(bom)!["components"]!.AsArray().Where(c => (string?)c!["type"] == "file").ToList();
        Assert.Equal(files.Count, fileComponents.Count);

        var spdx = SpdxWriter.ToJson(report, Options);
        Assert.Empty(Schemas.Errors(SbomSchemas.Spdx23, spdx));
        var doc = JsonNode.Parse(spdx)!;
        Assert.Equal(files.Count, doc["files"]!.AsArray().Count);
        var contained = doc["relationships"]!.AsArray().Where(r => (string?)r!["relationshipType"] == "CONTAINS" && ((string)r!["relatedSpdxElement"]!).StartsWith("SPDXRef-File-", StringComparison.Ordinal))
            .Select(r => (string)r!["relatedSpdxElement"]!).ToHashSet();
        Assert.Equal(files.Count, contained.Count);
    }
}
