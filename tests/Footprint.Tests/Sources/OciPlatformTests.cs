using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Footprint.Formats;
using Footprint.Pipeline;
using Footprint.Reports;
using Footprint.Sources;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Sources;

/// <summary>
/// A multi-platform OCI layout made from the corpus's real Alpine x86_64 and aarch64 minirootfs
/// tarballs (a gzip tar is a valid layer blob), with an attestation entry that must never be picked.
/// </summary>
public sealed class OciPlatformTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Should_pick_the_platform_asked_for(bool nested)
    {
        var layout = BuildLayout(nested);
        var arm = ReportAssembler.Measure("oci:" + layout, new MeasureOptions { Platform = Platform.Parse("linux/arm64") });
        Assert.Equal("arm64/v8", arm.Identity.Architecture!.Value);
        Assert.Contains(arm.Identity.Architecture.Evidence, e => e.Detail.Contains("for arm64", StringComparison.Ordinal));
        var amd = ReportAssembler.Measure("oci:" + layout, new MeasureOptions { Platform = Platform.Parse("linux/amd64") });
        Assert.Equal("amd64", amd.Identity.Architecture!.Value);
        Assert.Contains(amd.Identity.Architecture.Evidence, e => e.Detail.Contains("for amd64", StringComparison.Ordinal));
        Assert.NotEqual(arm.Installed.ApparentBytes, amd.Installed.ApparentBytes);
    }

    [Fact]
    public void Should_pick_the_host_platform_by_default()
    {
        var report = ReportAssembler.Measure("oci:" + BuildLayout(false), new MeasureOptions());
        var host = Footprint.Sources.Oci.OciImageReader.HostPlatform();
        Assert.StartsWith(host.Architecture, report.Identity.Architecture!.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_list_what_is_offered_when_the_platform_is_absent()
    {
        var layout = BuildLayout(false);
        var e = Assert.Throws<FootprintFormatException>(() => ReportAssembler.Measure("oci:" + layout, new MeasureOptions { Platform = Platform.Parse("linux/s390x") }));
        Assert.Contains("linux/amd64", e.Message, StringComparison.Ordinal);
        Assert.Contains("linux/arm64/v8", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("unknown", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("linux/arm64", "linux", "arm64", null)]
    [InlineData("linux/arm/v7", "linux", "arm", "v7")]
    public void Should_parse_platforms(string text, string os, string arch, string? variant)
        => Assert.Equal(new Platform(os, arch, variant), Platform.Parse(text));

    [Theory]
    [InlineData("linux")]
    [InlineData("linux//v7")]
    [InlineData("a/b/c/d")]
    public void Should_reject_malformed_platforms(string text) => Assert.Throws<ArgumentException>(() => Platform.Parse(text));

    private string BuildLayout(bool nested)
    {
        var root = _dir.File(nested ? "nested" : "flat");
        Directory.CreateDirectory(Path.Combine(root, "blobs", "sha256"));
        File.WriteAllText(Path.Combine(root, "oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        var amd = Manifest(root, "alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz", "amd64", null);
        var arm = Manifest(root, "alpine/alpine-minirootfs-3.20.3-aarch64.tar.gz", "arm64", "v8");
        var entries = new object[]
        {
            Descriptor("application/vnd.oci.image.manifest.v1+json", amd, new { os = "linux", architecture = "amd64" }),
            Descriptor("application/vnd.oci.image.manifest.v1+json", arm, new { os = "linux", architecture = "arm64", variant = "v8" }),
            Descriptor("application/vnd.oci.image.manifest.v1+json", amd, new { os = "unknown", architecture = "unknown" }),
        };
        var index = JsonSerializer.SerializeToUtf8Bytes(new { schemaVersion = 2, mediaType = "application/vnd.oci.image.index.v1+json", manifests = entries });
        if (nested)
        {
            var inner = Blob(root, index);
            index = JsonSerializer.SerializeToUtf8Bytes(new { schemaVersion = 2, manifests = new[] { Descriptor("application/vnd.oci.image.index.v1+json", inner, null) } });
        }

        File.WriteAllBytes(Path.Combine(root, "index.json"), index);
        return root;
    }

    private static (string Digest, long Size) Manifest(string root, string corpusTarball, string arch, string? variant)
    {
        var layer = File.ReadAllBytes(Repo.CorpusFile(corpusTarball));
        using var gz = new GZipStream(new MemoryStream(layer), CompressionMode.Decompress);
        var diffId = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(gz));
        var layerBlob = Blob(root, layer);
        var config = Blob(root, JsonSerializer.SerializeToUtf8Bytes(new { architecture = arch, variant, os = "linux", rootfs = new { type = "layers", diff_ids = new[] { diffId } } }));
        return Blob(root, JsonSerializer.SerializeToUtf8Bytes(new
        {
            schemaVersion = 2,
            mediaType = "application/vnd.oci.image.manifest.v1+json",
            config = new { mediaType = "application/vnd.oci.image.config.v1+json", digest = config.Digest, size = config.Size },
            layers = new[] { new { mediaType = "application/vnd.oci.image.layer.v1.tar+gzip", digest = layerBlob.Digest, size = layerBlob.Size } },
        }));
    }

    private static object Descriptor(string mediaType, (string Digest, long Size) blob, object? platform)
        => platform is null ? new { mediaType, digest = blob.Digest, size = blob.Size } : new { mediaType, digest = blob.Digest, size = blob.Size, platform };

    private static (string Digest, long Size) Blob(string root, byte[] bytes)
    {
        var hex = Convert.ToHexStringLower(SHA256.HashData(bytes));
        File.WriteAllBytes(Path.Combine(root, "blobs", "sha256", hex), bytes);
        return ("sha256:" + hex, bytes.Length);
    }
}
