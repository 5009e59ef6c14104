using System.Text.Json.Nodes;
using Footprint.Reports;
using Footprint.Reports.Json;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Reports;

/// <summary>The JSON report against docs/report.schema.json, golden files, and the OCI schemas.</summary>
public sealed class JsonReportTests
{
    public static TheoryData<string> Inputs() => new()
    {
        "corpus:alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz",
        "corpus:tinycore/11.0/x86_64/rootfs64.tar.gz",
        "corpus:openwrt/openwrt-armvirt-64-default-rootfs.tar.gz",
        "corpus:trivy/pkg/fanal/test/testdata/alpine-310.tar.gz",
        "fixture:oci:{0}/debian/oci:two",
        "fixture:{0}/debian/two.docker.tar",
        "fixture:{0}/debian/two.unpacked/rootfs",
        "fixture:{0}/corpus-busybox/latest/glibc",
        "fixture:{0}/scratch-busybox/docker.tar",
        "fixture:{0}/distro-dbs/tinycore.tar.gz",
        "fixture:{0}/distro-dbs/slackware.tar.gz",
        "fixture:{0}/distro-dbs/tazpkg.tar.gz",
        "fixture:{0}/distro-dbs/puppy.tar.gz",
        "fixture:{0}/distro-dbs/chisel.tar.gz",
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Should_validate_against_the_published_schema(string input)
    {
        var json = JsonReportWriter.ToJson(Wrap(Load.Measure(Resolve(input))));
        Assert.Empty(Schemas.Errors(Schemas.Report, json));
    }

    [Fact]
    public void Should_be_rejected_by_the_schema_when_a_property_is_unknown()
    {
        var json = JsonReportWriter.ToJson(Wrap(Load.Measure(Resolve("corpus:alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz"))));
        var node = JsonNode.Parse(json)!;
        node["artifacts"]![0]!["installed"]!["surprise"] = 1;
        Assert.NotEmpty(Schemas.Errors(Schemas.Report, node.ToJsonString()));
    }

    [Theory]
    [InlineData("alpine-3.20.3.json", "corpus:alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz")]
    [InlineData("busybox-musl-oci.json", "fixture:{0}/corpus-busybox/latest/musl")]
    [InlineData("trivy-alpine-310-docker-save.json", "corpus:trivy/pkg/fanal/test/testdata/alpine-310.tar.gz")]
    public void Should_match_the_golden_report(string golden, string input)
        => Golden.Assert(golden, JsonReportWriter.ToJson(Wrap(Load.Measure(Resolve(input)))) + "\n");

    [Fact]
    public void Should_estimate_a_push_manifest_that_is_a_valid_oci_manifest()
    {
        var report = Load.Measure(Resolve("fixture:{0}/debian/two.docker.tar"));
        var manifest = Footprint.Measures.Download.DownloadMeasure.PushManifest(report.Download.ConfigBytes!.Value, report.Download.Layers);
        Assert.Equal(manifest.Length, report.Download.ManifestBytes);
        var schema = Schemas.Oci("image-manifest-schema.json");
        Assert.Empty(Schemas.Errors(schema, System.Text.Encoding.UTF8.GetString(manifest)));
        Assert.NotEmpty(Schemas.Errors(schema, System.Text.Encoding.UTF8.GetString(manifest).Replace("\"config\":", "\"konfig\":", StringComparison.Ordinal)));
    }

    private static Report Wrap(ArtifactReport a) => new() { Tool = new ToolInfo("footprint", "test"), Artifacts = [a] };

    private static string Resolve(string input)
    {
        if (input.StartsWith("corpus:", StringComparison.Ordinal))
        {
            return Repo.CorpusFile(input["corpus:".Length..]);
        }

        var rest = string.Format(System.Globalization.CultureInfo.InvariantCulture, input["fixture:".Length..], Repo.Fixtures);
        return rest;
    }
}
