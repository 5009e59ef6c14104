using System.Collections.Concurrent;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Footprint.Reports;

namespace Footprint.Tests.TestSupport;

/// <summary>
/// One registry storage for the registry tests, filled once with `skopeo copy` from the fixtures: debian:minbase and
/// debian:two (tests/fixtures/out/debian/oci) and alpine:3.20, a two-platform index (amd64, arm64/v8) built from the
/// corpus's Alpine minirootfs tarballs. An anonymous docker-registry serves it; tests start more (Basic or token
/// authentication) on the same storage.
/// </summary>
public sealed class RegistryFixture : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly LocalRegistry _registry;
    private readonly ConcurrentDictionary<string, Lazy<ArtifactReport>> _layoutReports = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<string>> _manifestDigests = new(StringComparer.Ordinal);

    public RegistryFixture()
    {
        Storage = _dir.File("storage");
        Directory.CreateDirectory(Storage);
        _registry = new LocalRegistry(Storage);
        var layout = Repo.Fixture("debian/oci");
        Push($"oci:{layout}:minbase", "debian:minbase");
        Push($"oci:{layout}:two", "debian:two");
        AlpineLayout = BuildAlpineLayout(_dir.File("alpine"));
        Push($"oci:{AlpineLayout}", "alpine:3.20", all: true);
    }

    /// <summary>host:port of the anonymous registry.</summary>
    public string Host => _registry.Host;

    public int Port => _registry.Port;

    public string Storage { get; }

    /// <summary>The OCI layout alpine:3.20 was pushed from.</summary>
    public string AlpineLayout { get; }

    internal string Scratch(string name) => _dir.File(name);

    /// <summary>
    /// Footprint's report on tests/fixtures/out/debian/oci:<paramref name="tag"/>, the layout debian:TAG was pushed from:
    /// the expected figures of a pull, measured once for all registry tests (the fixture does not change while they run;
    /// each measure of the 60 MiB layer took 2-4 s).
    /// </summary>
    public ArtifactReport LayoutReport(string tag)
        => _layoutReports.GetOrAdd(tag, t => new Lazy<ArtifactReport>(() => Load.Measure($"oci:{Repo.Fixture("debian/oci")}:{t}"))).Value;

    /// <summary>
    /// The manifest digest Footprint reads for <paramref name="name"/> (e.g. "debian:two") on this registry, which does
    /// not change while the tests run: measured once instead of by every scan test that posts it (a whole pull and
    /// measure of the 60 MiB layer each time).
    /// </summary>
    public string ManifestDigest(string name)
        => _manifestDigests.GetOrAdd(name, n => new Lazy<string>(() => Load.Measure($"{Host}/{n}").ManifestDigest!)).Value;

    public void Dispose()
    {
        _registry.Dispose();
        _dir.Dispose();
    }

    private void Push(string source, string name, bool all = false)
    {
        var args = new List<string> { "copy", "--quiet", "--dest-tls-verify=false" };
        if (all)
        {
            args.Add("--all");
        }

        args.AddRange([source, $"docker://{Host}/{name}"]);
        Tool.Output("skopeo", [.. args]);
    }

    private static string BuildAlpineLayout(string root)
    {
        Directory.CreateDirectory(Path.Combine(root, "blobs", "sha256"));
        File.WriteAllText(Path.Combine(root, "oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        var amd = Manifest(root, "alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz", "amd64", null);
        var arm = Manifest(root, "alpine/alpine-minirootfs-3.20.3-aarch64.tar.gz", "arm64", "v8");
        var index = Blob(root, JsonSerializer.SerializeToUtf8Bytes(new
        {
            schemaVersion = 2,
            mediaType = "application/vnd.oci.image.index.v1+json",
            manifests = new object[]
            {
                new { mediaType = "application/vnd.oci.image.manifest.v1+json", digest = amd.Digest, size = amd.Size, platform = new { os = "linux", architecture = "amd64" } },
                new { mediaType = "application/vnd.oci.image.manifest.v1+json", digest = arm.Digest, size = arm.Size, platform = new { os = "linux", architecture = "arm64", variant = "v8" } },
            },
        }));
        File.WriteAllBytes(Path.Combine(root, "index.json"), JsonSerializer.SerializeToUtf8Bytes(new
        {
            schemaVersion = 2,
            manifests = new[] { new { mediaType = "application/vnd.oci.image.index.v1+json", digest = index.Digest, size = index.Size } },
        }));
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

    private static (string Digest, long Size) Blob(string root, byte[] bytes)
    {
        var hex = Convert.ToHexStringLower(SHA256.HashData(bytes));
        File.WriteAllBytes(Path.Combine(root, "blobs", "sha256", hex), bytes);
        return ("sha256:" + hex, bytes.Length);
    }
}
