using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Measures;

/// <summary>
/// Which layer brought each package: an image whose base layer is the Alpine 3.19.4 minirootfs and
/// whose second layer is the 3.20.3 one (an in-place upgrade, as `apk upgrade` in a Dockerfile makes).
/// Expected values come from the two databases read straight out of the tarballs.
/// </summary>
public sealed class PackageLayersTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Should_name_the_layer_that_introduced_and_that_changed_each_package()
    {
        var lower = Repo.CorpusFile("alpine/alpine-minirootfs-3.19.4-x86_64.tar.gz");
        var upper = Repo.CorpusFile("alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz");
        var layout = BuildLayout(lower, upper);
        var before = Versions(lower);
        var after = Versions(upper);

        var report = Load.Measure("oci:" + layout);
        var packages = report.Inventory!.Packages.Where(p => p.FoundBy is null).ToList(); // database packages, not files-only finds
        Assert.Equal(after.Count, packages.Count);
        foreach (var p in packages)
        {
            var existed = before.TryGetValue(p.Name, out var oldVersion);
            Assert.Equal(existed ? 0 : 1, p.IntroducedInLayer);
            Assert.Equal(existed && oldVersion != p.Version ? [1] : Array.Empty<int>(), p.ChangedInLayers);
        }

        Assert.Contains(packages, p => p.ChangedInLayers is [1]);
        Assert.Empty(Schemas.Errors(Schemas.Report, Footprint.Reports.Json.JsonReportWriter.ToJson(new Footprint.Reports.Report { Tool = new("footprint", "test"), Artifacts = [report] })));
    }

    private static Dictionary<string, string> Versions(string tarball)
    {
        var text = Tool.Output("tar", "-xOzf", tarball, "--wildcards", "*lib/apk/db/installed");
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        string? name = null;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("P:", StringComparison.Ordinal))
            {
                name = line[2..];
            }
            else if (line.StartsWith("V:", StringComparison.Ordinal) && name is not null)
            {
                result[name] = line[2..];
            }
        }

        return result;
    }

    private string BuildLayout(params string[] layers)
    {
        var root = _dir.File("layout");
        Directory.CreateDirectory(Path.Combine(root, "blobs", "sha256"));
        File.WriteAllText(Path.Combine(root, "oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        var diffIds = new List<string>();
        var descriptors = new List<object>();
        foreach (var layer in layers)
        {
            var bytes = File.ReadAllBytes(layer);
            using var gz = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            diffIds.Add("sha256:" + Convert.ToHexStringLower(SHA256.HashData(gz)));
            var blob = Blob(root, bytes);
            descriptors.Add(new { mediaType = "application/vnd.oci.image.layer.v1.tar+gzip", digest = blob.Digest, size = blob.Size });
        }

        var config = Blob(root, JsonSerializer.SerializeToUtf8Bytes(new { architecture = "amd64", os = "linux", rootfs = new { type = "layers", diff_ids = diffIds } }));
        var manifest = Blob(root, JsonSerializer.SerializeToUtf8Bytes(new
        {
            schemaVersion = 2,
            mediaType = "application/vnd.oci.image.manifest.v1+json",
            config = new { mediaType = "application/vnd.oci.image.config.v1+json", digest = config.Digest, size = config.Size },
            layers = descriptors,
        }));
        File.WriteAllBytes(Path.Combine(root, "index.json"), JsonSerializer.SerializeToUtf8Bytes(new
        {
            schemaVersion = 2,
            manifests = new[] { new { mediaType = "application/vnd.oci.image.manifest.v1+json", digest = manifest.Digest, size = manifest.Size } },
        }));
        return root;
    }

    private static (string Digest, long Size) Blob(string root, byte[] bytes)
    {
        var hex = Convert.ToHexStringLower(SHA256.HashData(bytes));
        File.WriteAllBytes(Path.Combine(root, "blobs", "sha256", hex), bytes);
        return ("sha256:" + hex, bytes.Length);
    }
}
