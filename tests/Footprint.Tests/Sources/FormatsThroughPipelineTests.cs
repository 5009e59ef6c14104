using System.Security.Cryptography;
using System.Text.Json;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Sources;

/// <summary>Formats that reach the pipeline less often: other compressions, compressed docker-save layers, file capabilities.</summary>
public sealed class FormatsThroughPipelineTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("zstd -q -c", "zstd")]
    [InlineData("bzip2 -c", "bzip2")]
    [InlineData("xz -c", "xz")]
    [InlineData("cat", "none")]
    public void Should_measure_a_rootfs_whatever_its_compression(string compressor, string expected)
    {
        var original = Repo.CorpusFile("alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz");
        var recompressed = _dir.File("rootfs." + expected);
        Tool.Shell($"gzip -dc '{original}' | {compressor} > '{recompressed}'");
        var baseline = Load.Measure(original);
        var report = Load.Measure(recompressed);
        Assert.Equal("rootfs-tar", report.Kind);
        Assert.Equal(expected, report.Download.Layers[0].Compression);
        Assert.Equal(new FileInfo(recompressed).Length, report.Download.TotalBytes);
        Assert.Equal(baseline.Installed.ApparentBytes, report.Installed.ApparentBytes);
        Assert.Equal(baseline.Installed.OnDiskBytes, report.Installed.OnDiskBytes);
        Assert.Equal(baseline.Identity.Os!.PrettyName, report.Identity.Os!.PrettyName);
    }

    [Fact]
    public void Should_take_compressed_layers_of_a_docker_archive_as_stored()
    {
        // The layout `docker save` writes since Docker 25: blobs/sha256/<hex> members named by manifest.json.
        var layout = Repo.Fixture("scratch-busybox/oci");
        using var index = JsonDocument.Parse(File.ReadAllText(Path.Combine(layout, "index.json")));
        var manifestDigest = index.RootElement.GetProperty("manifests")[0].GetProperty("digest").GetString()!;
        using var manifest = JsonDocument.Parse(File.ReadAllText(Blob(layout, manifestDigest)));
        var config = manifest.RootElement.GetProperty("config").GetProperty("digest").GetString()!;
        var layer = manifest.RootElement.GetProperty("layers")[0].GetProperty("digest").GetString()!;
        var root = _dir.File("save");
        Directory.CreateDirectory(Path.Combine(root, "blobs", "sha256"));
        foreach (var d in new[] { config, layer })
        {
            File.Copy(Blob(layout, d), Path.Combine(root, "blobs", "sha256", d[7..]));
        }

        File.WriteAllText(Path.Combine(root, "manifest.json"),
            $"[{{\"Config\":\"blobs/sha256/{config[7..]}\",\"RepoTags\":[\"busybox:test\"],\"Layers\":[\"blobs/sha256/{layer[7..]}\"]}}]");
        var archive = _dir.File("save.tar");
        Tool.Output("tar", "-cf", archive, "-C", root, "manifest.json", "blobs");

        var report = Load.Measure(archive);
        var fromOci = Load.Measure("oci:" + layout);
        Assert.Equal("docker-archive", report.Kind);
        var l = Assert.Single(report.Download.Layers);
        Assert.Equal("gzip", l.Compression);
        Assert.Equal("stored", l.Method);
        Assert.Equal(layer, l.Digest);
        Assert.Equal(new FileInfo(Blob(layout, layer)).Length, l.DownloadBytes);
        Assert.Equal("registry-blobs", report.Download.Method);
        Assert.Equal(fromOci.Installed.ApparentBytes, report.Installed.ApparentBytes);
    }

    [Fact]
    public void Should_keep_file_capabilities_from_a_layer()
    {
        var tree = _dir.File("tree");
        Directory.CreateDirectory(Path.Combine(tree, "usr", "bin"));
        var ping = Path.Combine(tree, "usr", "bin", "ping");
        File.WriteAllBytes(ping, RandomNumberGenerator.GetBytes(100));
        Tool.Output("chmod", "755", ping);
        Tool.Output("setcap", "cap_net_raw+ep", ping);
        var dump = Tool.Output("getfattr", "-n", "security.capability", "-e", "hex", "--absolute-names", ping);
        var expected = Convert.FromHexString(dump.Split('\n').Single(l => l.StartsWith("security.capability=0x", StringComparison.Ordinal))["security.capability=0x".Length..].Trim());
        var archive = _dir.File("caps.tar");
        Tool.Output("tar", "--xattrs", "--xattrs-include=security.capability", "--format=pax", "-cf", archive, "-C", tree, ".");
        var (fs, _) = Load.FileSystem(archive);
        var node = fs.FindSquashed("usr/bin/ping")!;
        Assert.True(node.Xattrs.TryGetValue("security.capability", out var cap));
        Assert.Equal(expected, cap);
        Assert.Equal(20, cap!.Length);
        Assert.Equal(2, cap[3]); // VFS_CAP_REVISION_2 in the magic_etc high byte (linux/capability.h)
    }

    private static string Blob(string layout, string digest) => Path.Combine(layout, "blobs", "sha256", digest["sha256:".Length..]);
}
