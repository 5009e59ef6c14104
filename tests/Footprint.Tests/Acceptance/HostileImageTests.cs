using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Footprint.Formats;
using Footprint.Pipeline;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Acceptance;

/// <summary>
/// Tampered and malformed images, built at test time from the real scratch-busybox fixtures (an OCI layout with one
/// gzip layer, a docker save archive with one uncompressed layer): every layer is checked against its digests in
/// the pass that reads it, and every JSON field is type-checked, each failure naming the file and the JSON path or
/// the expected and actual digests. The digests asserted are computed here, independently of Footprint.
/// </summary>
/// <remarks>
/// Not in the serial memory collection: its one memory check counts what its own thread allocated
/// (GC.GetAllocatedBytesForCurrentThread), which other classes running beside it do not change.
/// </remarks>
public sealed class HostileImageTests : IDisposable
{
    private static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "Footprint.Cli.dll");

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Should_verify_the_real_fixtures()
    {
        Assert.True(Load.Measure("oci:" + Repo.Fixture("scratch-busybox/oci")).LayersVerified);
        Assert.True(Load.Measure(Repo.Fixture("scratch-busybox/docker.tar")).LayersVerified);
        Assert.Null(Load.Measure(Repo.Fixture("debian/rootfs.tar")).LayersVerified);
    }

    [Fact]
    public void Should_refuse_a_layer_replaced_under_its_digest()
    {
        var layout = CopyLayout();
        var blob = LayerBlob(layout);
        var length = new FileInfo(blob).Length;
        File.WriteAllBytes(blob, Gzip(new byte[10240]));
        var e = Assert.Throws<FootprintFormatException>(() => Load.Measure("oci:" + layout));
        Assert.Equal($"{blob}: manifest says layer 0 is {length} bytes, the blob is {new FileInfo(blob).Length}", e.Message);
    }

    [Fact]
    public void Should_refuse_a_layer_replaced_keeping_its_size()
    {
        // The gzip header's MTIME (bytes 4-7) is not covered by its CRC: the layer still decompresses to the same
        // tar, so only the blob digest can notice.
        var layout = CopyLayout();
        var blob = LayerBlob(layout);
        var expected = "sha256:" + Path.GetFileName(blob);
        var bytes = File.ReadAllBytes(blob);
        bytes[4] ^= 0x5a;
        File.WriteAllBytes(blob, bytes);
        var actual = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

        var e = Assert.Throws<FootprintFormatException>(() => Load.Measure("oci:" + layout));
        Assert.Equal($"{Path.Combine(layout, "blobs", "sha256")}/{expected[7..]}: layer 0: content digest is {actual}, expected {expected} (the digest the manifest names)", e.Message);
    }

    [Fact]
    public void Should_refuse_a_wrong_diff_id()
    {
        var layout = CopyLayout();
        var real = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Gunzip(File.ReadAllBytes(LayerBlob(layout)))));
        var wrong = "sha256:" + new string('0', 64);
        var config = Config(layout);
        Assert.Equal(real, (string)config["rootfs"]!["diff_ids"]![0]!);
        config["rootfs"]!["diff_ids"]![0] = wrong;
        WriteConfig(layout, config);

        var e = Assert.Throws<FootprintFormatException>(() => Load.Measure("oci:" + layout));
        Assert.EndsWith($": layer 0: uncompressed content digest is {real}, expected {wrong} (rootfs.diff_ids[0] in the image config)", e.Message, StringComparison.Ordinal);
        Assert.StartsWith(LayerBlob(layout), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_refuse_a_docker_layer_changed_in_place()
    {
        var dir = ExtractDocker();
        var layer = Path.Combine(dir, (string)DockerManifest(dir)[0]!["Layers"]![0]!);
        var expected = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(layer)));
        using (var file = new FileStream(layer, FileMode.Open, FileAccess.ReadWrite))
        {
            // One byte of the first non-empty file's data: the tar stays valid and the same size.
            using var tar = new System.Formats.Tar.TarReader(file, leaveOpen: true);
            var entry = EnumerateEntries(tar).First(x => x.EntryType == System.Formats.Tar.TarEntryType.RegularFile && x.Length > 0);
            file.Position = entry.DataOffset;
            var b = file.ReadByte();
            file.Position = entry.DataOffset;
            file.WriteByte((byte)(b ^ 0xff));
        }

        var actual = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(layer)));
        var e = Assert.Throws<FootprintFormatException>(() => Load.Measure(dir));
        Assert.Equal($"{layer}: layer 0: uncompressed content digest is {actual}, expected {expected} (rootfs.diff_ids[0] in the image config)", e.Message);
    }

    [Fact]
    public void Should_measure_a_tampered_layer_with_no_verify_and_say_so()
    {
        var layout = CopyLayout();
        var blob = LayerBlob(layout);
        var bytes = File.ReadAllBytes(blob);
        bytes[4] ^= 0x5a;
        File.WriteAllBytes(blob, bytes);

        var report = Load.Measure("oci:" + layout, new MeasureOptions { Verify = false });
        Assert.False(report.LayersVerified);
        Assert.Contains(report.Warnings, w => w.Code == "layers-not-verified" && w.Message.Contains("--no-verify", StringComparison.Ordinal));
        Assert.Equal(Load.Measure("oci:" + Repo.Fixture("scratch-busybox/oci")).Installed.ApparentBytes, report.Installed.ApparentBytes);
    }

    [Fact]
    public void Should_report_a_legacy_archive_as_not_verified()
    {
        var dir = ExtractDocker();
        File.Delete(Path.Combine(dir, "manifest.json"));
        var legacy = _dir.File("legacy.tar");
        Tool.Output("tar", "-cf", legacy, "-C", dir, ".");
        var report = Load.Measure(legacy);
        Assert.False(report.LayersVerified);
        Assert.Contains(report.Warnings, w => w.Code == "layers-not-verified" && w.Message.Contains("legacy", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("[]", "an array")]
    [InlineData("null", "null")]
    [InlineData("42", "a number")]
    [InlineData("\"text\"", "a string")]
    public void Should_refuse_an_index_or_manifest_that_is_not_an_object(string root, string found)
    {
        var layout = CopyLayout();
        File.WriteAllText(Path.Combine(layout, "index.json"), root);
        var e = Assert.Throws<FootprintFormatException>(() => Load.Measure("oci:" + layout));
        Assert.Equal($"{Path.Combine(layout, "index.json")}: $: expected an object, found {found}", e.Message);

        layout = CopyLayout("second");
        var manifest = WriteManifest(layout, root);
        e = Assert.Throws<FootprintFormatException>(() => Load.Measure("oci:" + layout));
        Assert.Equal($"{manifest}: $: expected an object, found {found}", e.Message);
    }

    [Theory]
    [InlineData("\"349\"", "$.manifests[0].size: expected a number, found a string")]
    [InlineData("1.5e300", "$.manifests[0].size: must be a non-negative integer of at most 63 bits")]
    [InlineData("-1", "$.manifests[0].size: must be a non-negative integer of at most 63 bits")]
    public void Should_refuse_an_index_size_of_the_wrong_shape(string size, string message)
    {
        var layout = CopyLayout();
        var index = Path.Combine(layout, "index.json");
        var json = JsonNode.Parse(File.ReadAllText(index))!;
        json["manifests"]![0]!["size"] = JsonNode.Parse(size);
        File.WriteAllText(index, json.ToJsonString());
        var e = Assert.Throws<FootprintFormatException>(() => Load.Measure("oci:" + layout));
        Assert.Equal($"{index}: {message}", e.Message);
    }

    [Theory]
    [InlineData("layers", null, "$.layers: required field is missing or null")]
    [InlineData("layers", "null", "$.layers: required field is missing or null")]
    [InlineData("layers", "{}", "$.layers: expected an array, found an object")]
    [InlineData("layers", "\"text\"", "$.layers: expected an array, found a string")]
    [InlineData("config", "[]", "$.config: expected an object, found an array")]
    [InlineData("layers[0].size", "\"1084003\"", "$.layers[0].size: expected a number, found a string")]
    [InlineData("layers[0].size", "1.5e300", "$.layers[0].size: must be a non-negative integer of at most 63 bits")]
    [InlineData("layers[0].mediaType", "5", "$.layers[0].mediaType: expected a string, found a number")]
    [InlineData("layers[0].digest", "\"sha256:../../../etc/passwd\"", "$.layers[0].digest: not a digest (expected sha256: and 64 lowercase hex digits)")]
    public void Should_refuse_a_manifest_field_of_the_wrong_shape(string field, string? value, string message)
    {
        var layout = CopyLayout();
        var manifest = Manifest(layout);
        var (parent, name) = field.StartsWith("layers[0].", StringComparison.Ordinal)
            ? (manifest["layers"]![0]!.AsObject(), field["layers[0].".Length..])
            : (manifest.AsObject(), field);
        if (value is null)
        {
            parent.Remove(name);
        }
        else
        {
            parent[name] = JsonNode.Parse(value);
        }

        var path = WriteManifest(layout, manifest.ToJsonString());
        var e = Assert.Throws<FootprintFormatException>(() => Load.Measure("oci:" + layout));
        Assert.Equal($"{path}: {message}", e.Message);
    }

    [Theory]
    [InlineData("config.Entrypoint", "\"/bin/sh\"", "$.config.Entrypoint: expected an array, found a string")]
    [InlineData("config.Cmd", "[1]", "$.config.Cmd[0]: expected a string, found a number")]
    [InlineData("architecture", "{}", "$.architecture: expected a string, found an object")]
    [InlineData("rootfs.diff_ids", "\"x\"", "$.rootfs.diff_ids: expected an array, found a string")]
    public void Should_refuse_a_config_field_of_the_wrong_shape(string field, string value, string message)
    {
        var layout = CopyLayout();
        var config = Config(layout);
        var parts = field.Split('.');
        var parent = parts.Length == 1 ? config.AsObject() : (config[parts[0]] ??= new JsonObject()).AsObject();
        parent[parts[^1]] = JsonNode.Parse(value);
        var path = WriteConfig(layout, config);
        var e = Assert.Throws<FootprintFormatException>(() => Load.Measure("oci:" + layout));
        Assert.Equal($"{path}: {message}", e.Message);
    }

    [Fact]
    public void Should_accept_null_optional_config_fields()
    {
        var layout = CopyLayout();
        var config = Config(layout);
        (config["config"] ??= new JsonObject())["Entrypoint"] = null;
        config["config"]!["ExposedPorts"] = null;
        WriteConfig(layout, config);
        Assert.True(Load.Measure("oci:" + layout).LayersVerified);
    }

    [Fact]
    public void Should_refuse_a_diff_id_count_that_differs_from_the_layers()
    {
        var layout = CopyLayout();
        var config = Config(layout);
        config["rootfs"]!["diff_ids"]!.AsArray().Add("sha256:" + new string('1', 64));
        var configPath = WriteConfig(layout, config);
        var e = Assert.Throws<FootprintFormatException>(() => Load.Measure("oci:" + layout));
        Assert.Equal($"{ManifestPath(layout)}: $.layers lists 1 layers but the config ({configPath}) has 2 rootfs.diff_ids", e.Message);
    }

    [Fact]
    public void Should_accept_an_empty_layer_list_and_say_so()
    {
        var layout = CopyLayout();
        var config = Config(layout);
        config["rootfs"]!["diff_ids"] = new JsonArray();
        WriteConfig(layout, config);
        var manifest = Manifest(layout);
        manifest["layers"] = new JsonArray();
        WriteManifest(layout, manifest.ToJsonString());
        var report = Load.Measure("oci:" + layout);
        Assert.Equal(0, report.Installed.ApparentBytes);
        Assert.Contains(report.Warnings, w => w.Code == "image-has-no-layers");
    }

    [Theory]
    [InlineData("{}", "$: expected an array, found an object")]
    [InlineData("[]", "$: expected a non-empty array of images, found an empty one")]
    [InlineData("[{\"Config\":\"C\",\"Layers\":\"text\"}]", "$[0].Layers: expected an array, found a string")]
    [InlineData("[{\"Config\":\"C\",\"Layers\":null}]", "$[0].Layers: required field is missing or null")]
    [InlineData("[{\"Config\":\"C\"}]", "$[0].Layers: required field is missing or null")]
    [InlineData("[{\"Config\":5,\"Layers\":[]}]", "$[0].Config: expected a string, found a number")]
    [InlineData("[{\"Config\":\"C\",\"RepoTags\":\"a\",\"Layers\":[]}]", "$[0].RepoTags: expected an array, found a string")]
    public void Should_refuse_a_docker_manifest_of_the_wrong_shape(string json, string message)
    {
        var dir = ExtractDocker();
        var configName = (string)DockerManifest(dir)[0]!["Config"]!;
        File.WriteAllText(Path.Combine(dir, "manifest.json"), json.Replace("\"C\"", $"\"{configName}\"", StringComparison.Ordinal));
        var e = Assert.Throws<FootprintFormatException>(() => Load.Measure(dir));
        Assert.Equal($"{Path.Combine(dir, "manifest.json")}: {message}", e.Message);
    }

    [Fact]
    public void Should_refuse_100000_layers_fast_and_in_little_memory()
    {
        var layout = CopyLayout();
        var manifest = Manifest(layout);
        var layer = manifest["layers"]![0]!;
        var layers = new JsonArray();
        for (var i = 0; i < 100_000; i++)
        {
            layers.Add(new JsonObject { ["digest"] = layer["digest"]!.DeepClone(), ["size"] = layer["size"]!.DeepClone() });
        }

        manifest["layers"] = layers;
        var path = WriteManifest(layout, manifest.ToJsonString());
        var before = GC.GetAllocatedBytesForCurrentThread();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var e = Assert.Throws<FootprintFormatException>(() => Load.Measure("oci:" + layout));
        clock.Stop();
        Assert.Equal($"{path}: $.layers: lists 100000 items, more than the 500 accepted", e.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 128L << 20, $"allocated {allocated} bytes");
    }

    [Fact]
    public void Should_ask_for_a_tag_when_a_layout_holds_several()
    {
        var layout = CopyLayout();
        var index = Path.Combine(layout, "index.json");
        var json = JsonNode.Parse(File.ReadAllText(index))!;
        var second = json["manifests"]![0]!.DeepClone();
        second["annotations"]!["org.opencontainers.image.ref.name"] = "other";
        json["manifests"]!.AsArray().Add(second);
        File.WriteAllText(index, json.ToJsonString());

        var e = Assert.Throws<FootprintFormatException>(() => Load.Measure("oci:" + layout));
        Assert.Equal($"{index}: the layout holds 2 tagged images; use PATH:TAG to choose one of: latest, other", e.Message);
        e = Assert.Throws<FootprintFormatException>(() => Load.Measure("oci:" + layout + ":nope"));
        Assert.Equal($"{index}: no manifest is tagged 'nope'; tags: latest, other", e.Message);
        Assert.True(Load.Measure("oci:" + layout + ":other").LayersVerified);
    }

    [Fact]
    public void Should_list_the_repo_tags_of_a_docker_archive_for_an_unknown_tag()
    {
        var archive = Repo.Fixture("scratch-busybox/docker.tar");
        var e = Assert.Throws<FootprintFormatException>(() => Load.Measure(archive + ":nope"));
        Assert.Equal($"{archive}!manifest.json: no image is tagged 'nope'; tags: docker.io/footprint/scratch-busybox:latest", e.Message);
    }

    [Theory]
    [InlineData("tampered")]
    [InlineData("shape")]
    [InlineData("layers")]
    public void Should_fail_through_the_cli_with_one_line_and_exit_2(string damage)
    {
        var layout = CopyLayout();
        string expected;
        switch (damage)
        {
            case "tampered":
                var blob = LayerBlob(layout);
                var bytes = File.ReadAllBytes(blob);
                bytes[4] ^= 0x5a;
                File.WriteAllBytes(blob, bytes);
                expected = "layer 0: content digest is sha256:";
                break;
            case "shape":
                File.WriteAllText(Path.Combine(layout, "index.json"), "[1]");
                expected = "index.json: $: expected an object, found an array";
                break;
            default:
                var manifest = Manifest(layout);
                manifest["layers"] = new JsonObject();
                WriteManifest(layout, manifest.ToJsonString());
                expected = "$.layers: expected an array, found an object";
                break;
        }

        var (code, _, stderr) = Tool.Run("dotnet", Cli, "measure", "-q", "oci:" + layout);
        Assert.Equal(2, code);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("footprint: error: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(expected, lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_say_an_unreachable_registry_cannot_be_reached()
    {
        // An image reference is read from its registry (Sources/Registry); nothing listens on port 1.
        var (code, _, stderr) = Tool.Run("dotnet", Cli, "measure", "-q", "127.0.0.1:1/alpine:3.20");
        Assert.Equal(2, code);
        Assert.StartsWith("footprint: error: 127.0.0.1:1/alpine:3.20: manifest 3.20: cannot reach 127.0.0.1:1", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("alpine:3.20", true)]
    [InlineData("docker.io/library/alpine:3.20", true)]
    [InlineData("ghcr.io/owner/repo@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", true)]
    [InlineData("localhost:5000/app:v1", true)]
    [InlineData("alpine", false)]
    [InlineData("./alpine:3.20", false)]
    [InlineData("/tmp/x.tar", false)]
    [InlineData("images/alpine.tar", false)]
    public void Should_recognise_image_references(string text, bool expected)
        => Assert.Equal(expected, Footprint.Sources.ArtifactOpener.LooksLikeImageReference(text));

    private string CopyLayout(string name = "layout")
    {
        var layout = _dir.File(name);
        Tool.Output("cp", "-r", Repo.Fixture("scratch-busybox/oci"), layout);
        return layout;
    }

    private string ExtractDocker()
    {
        var dir = _dir.File("docker");
        Directory.CreateDirectory(dir);
        Tool.Output("tar", "-xf", Repo.Fixture("scratch-busybox/docker.tar"), "-C", dir);
        Tool.Output("chmod", "-R", "u+w", dir);
        return dir;
    }

    private static JsonNode DockerManifest(string dir) => JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json")))!;

    private static string BlobPath(string layout, string digest) => Path.Combine(layout, "blobs", "sha256", digest["sha256:".Length..]);

    private static string ManifestPath(string layout)
        => BlobPath(layout, (string)JsonNode.Parse(File.ReadAllText(Path.Combine(layout, "index.json")))!["manifests"]![0]!["digest"]!);

    private static JsonNode Manifest(string layout) => JsonNode.Parse(File.ReadAllText(ManifestPath(layout)))!;

    private static string LayerBlob(string layout) => BlobPath(layout, (string)Manifest(layout)["layers"]![0]!["digest"]!);

    private static JsonNode Config(string layout) => JsonNode.Parse(File.ReadAllText(BlobPath(layout, (string)Manifest(layout)["config"]!["digest"]!)))!;

    /// <summary>Writes a blob, returning its digest.</summary>
    private static string WriteBlob(string layout, byte[] bytes)
    {
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
        File.WriteAllBytes(BlobPath(layout, digest), bytes);
        return digest;
    }

    /// <summary>Stores the manifest text as a blob and points index.json at it (digest and size); returns its path.</summary>
    private static string WriteManifest(string layout, string text)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        var digest = WriteBlob(layout, bytes);
        var indexPath = Path.Combine(layout, "index.json");
        var index = JsonNode.Parse(File.ReadAllText(indexPath))!;
        index["manifests"]![0]!["digest"] = digest;
        index["manifests"]![0]!["size"] = bytes.Length;
        File.WriteAllText(indexPath, index.ToJsonString());
        return BlobPath(layout, digest);
    }

    /// <summary>Stores the config as a blob and points the manifest (then the index) at it; returns its path.</summary>
    private static string WriteConfig(string layout, JsonNode config)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(config.ToJsonString());
        var digest = WriteBlob(layout, bytes);
        var manifest = Manifest(layout);
        manifest["config"]!["digest"] = digest;
        manifest["config"]!["size"] = bytes.Length;
        WriteManifest(layout, manifest.ToJsonString());
        return BlobPath(layout, digest);
    }

    private static IEnumerable<System.Formats.Tar.TarEntry> EnumerateEntries(System.Formats.Tar.TarReader tar)
    {
        while (tar.GetNextEntry() is { } entry)
        {
            yield return entry;
        }
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Optimal))
        {
            gz.Write(data);
        }

        return output.ToArray();
    }

    private static byte[] Gunzip(byte[] data)
    {
        using var gz = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
        using var output = new MemoryStream();
        gz.CopyTo(output);
        return output.ToArray();
    }
}
