using System.Text.Json.Nodes;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Cli;

/// <summary>`measure --download-only -f json`: the document matches docs/download-only.schema.json, and the schema can fail.</summary>
[Collection(RegistryCollection.Name)]
public sealed class DownloadOnlyTests(RegistryFixture registry) : IDisposable
{
    private readonly TempDir _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public void Should_write_a_document_the_download_only_schema_accepts()
    {
        var (code, stdout, stderr) = FootprintProcess.Run(_home.Path, null, "measure", "--download-only", "-f", "json",
            "--have", $"{registry.Host}/debian:minbase", $"{registry.Host}/debian:two", $"{registry.Host}/alpine:3.20");
        Assert.True(code == 0, stderr);
        Assert.Empty(Schemas.Errors(Schemas.DownloadOnly, stdout));
        var artifacts = JsonNode.Parse(stdout)!["artifacts"]!.AsArray();
        Assert.Equal(2, artifacts.Count);
        Assert.All(artifacts, a => Assert.Equal("registry", (string)a!["kind"]!));
        // two shares minbase's one layer: what is left is its own layer, its manifest and its config.
        var two = artifacts[0]!["download"]!;
        var own = (long)two["layers"]![1]!["downloadBytes"]! + (long)two["manifestBytes"]! + (long)two["configBytes"]!;
        Assert.Equal(own, (long)two["have"]!["bytesToPull"]!);
    }

    [Theory]
    [InlineData("kind", "\"oci-layout\"")]
    [InlineData("reference", "42")]
    [InlineData("extra", "true")]
    public void Should_be_refused_by_the_schema_when_a_field_is_wrong(string field, string value)
    {
        var (code, stdout, stderr) = FootprintProcess.Run(_home.Path, null, "measure", "--download-only", "-f", "json", $"{registry.Host}/debian:minbase");
        Assert.True(code == 0, stderr);
        var document = JsonNode.Parse(stdout)!;
        document["artifacts"]![0]![field] = JsonNode.Parse(value);
        Assert.NotEmpty(Schemas.Errors(Schemas.DownloadOnly, document.ToJsonString()));
    }
}
