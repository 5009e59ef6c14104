using System.Text.Json;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Acceptance;

/// <summary>The two-layer fixture (deletes, overwrites, an opaque directory, hard links) against umoci and skopeo.</summary>
public sealed class LayeredImageTests
{
    [Theory]
    [InlineData("oci:{0}/debian/oci:two")]
    [InlineData("{0}/debian/two.docker.tar")]
    [InlineData("{0}/debian/two.oci.tar")]
    [InlineData("docker-archive:{0}/debian/two.docker.tar")]
    [InlineData("oci-archive:{0}/debian/two.oci.tar:two")]
    public void Should_list_exactly_what_umoci_unpack_produces(string reference)
    {
        var expected = GroundTruth.Listing(Repo.Fixture("debian/two.unpacked/rootfs"));
        var (fs, warnings) = Load.FileSystem(Format(reference));
        var actual = Load.Listing(fs);
        Assert.Empty(warnings);
        Assert.Equal(Array.Empty<string>(), expected.Except(actual).ToArray());
        Assert.Equal(Array.Empty<string>(), actual.Except(expected).ToArray());
    }

    [Fact]
    public void Should_apply_whiteouts_and_the_opaque_directory()
    {
        var (fs, _) = Load.FileSystem(Format("oci:{0}/debian/oci:two"));
        Assert.Null(fs.FindSquashed("usr/share/locale"));
        Assert.Null(fs.FindSquashed("etc/motd"));
        Assert.Null(fs.FindSquashed("etc/apt/apt.conf.d/70debconf"));
        Assert.NotNull(fs.FindSquashed("etc/apt/apt.conf.d/99footprint"));
        Assert.NotNull(fs.Layers[0].Find("usr/share/locale"));
        Assert.Equal("etc/apt/apt.conf.d", Assert.Single(fs.Layers[1].OpaqueDirectories));
        var link = fs.FindSquashed("opt/footprint/blob.bin")!;
        var target = fs.FindSquashed("opt/footprint/blob-hardlink.bin")!;
        Assert.Same(link.Data, target.Data);
    }

    [Theory]
    [InlineData("two")]
    [InlineData("minbase")]
    public void Should_count_download_bytes_as_skopeo_inspect_lists_them(string tag)
    {
        var raw = File.ReadAllBytes(Repo.Fixture($"debian/{tag}.inspect-raw.json"));
        using var manifest = JsonDocument.Parse(raw);
        var layerSizes = manifest.RootElement.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("size").GetInt64()).ToList();
        var configSize = manifest.RootElement.GetProperty("config").GetProperty("size").GetInt64();
        var report = Load.Measure(Format($"oci:{{0}}/debian/oci:{tag}"));
        Assert.Equal("registry-blobs", report.Download.Method);
        Assert.Equal(layerSizes, report.Download.Layers.Select(l => l.DownloadBytes).ToList());
        Assert.Equal(configSize, report.Download.ConfigBytes);
        Assert.Equal(raw.Length, report.Download.ManifestBytes);
        Assert.Equal(layerSizes.Sum() + configSize + raw.Length, report.Download.TotalBytes);
    }

    [Fact]
    public void Should_recompress_docker_archive_layers_to_find_the_push_size()
    {
        var report = Load.Measure(Format("{0}/debian/two.docker.tar"), new Footprint.Pipeline.MeasureOptions { ExactPushSize = true });
        Assert.Equal("recompressed", report.Download.Method);
        Assert.True(report.Download.ManifestEstimated);
        using var dir = new TempDir();
        var members = Tool.Output("tar", "-tf", Repo.Fixture("debian/two.docker.tar")).Split('\n');
        var layerTars = members.Where(m => m.EndsWith(".tar", StringComparison.Ordinal) && !m.Contains('/', StringComparison.Ordinal)).ToList();
        Assert.Equal(2, report.Download.Layers.Count);
        foreach (var layer in report.Download.Layers)
        {
            Assert.Equal("recompressed", layer.Method);
            Assert.Equal("none", layer.Compression);
            var name = layer.DiffId!["sha256:".Length..] + ".tar";
            Assert.Contains(name, layerTars);

            // Independent: GNU gzip -6 of the same layer bytes. .NET compresses with zlib-ng, whose level 6 makes
            // a stream about 2% larger than GNU gzip's (and a pushing client's Go flate differs again), so within 3%.
            var gzip = long.Parse(Tool.Shell($"tar -xOf '{Repo.Fixture("debian/two.docker.tar")}' '{name}' | gzip -6n | wc -c").Trim(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(Math.Abs(gzip - layer.DownloadBytes) <= gzip * 3 / 100, $"layer {layer.Index}: recompressed {layer.DownloadBytes}, gzip -6 says {gzip}");
            Assert.StartsWith("sha256:", layer.PushDigest, StringComparison.Ordinal);
        }

        Assert.Equal(report.Download.ManifestBytes + report.Download.ConfigBytes + report.Download.Layers.Sum(l => l.DownloadBytes), report.Download.TotalBytes);
    }

    [Fact]
    public void Should_estimate_the_push_size_of_a_large_uncompressed_layer_from_samples_by_default()
    {
        var archive = Format("{0}/debian/two.docker.tar");
        var report = Load.Measure(archive);
        Assert.Equal("recompressed", report.Download.Method);
        var (large, small) = (report.Download.Layers[0], report.Download.Layers[1]);

        // 170 MB: estimated, with a bound that holds against GNU gzip -6 of every byte (independent ground truth).
        var name = large.DiffId!["sha256:".Length..] + ".tar";
        var gzip = long.Parse(Tool.Shell($"tar -xOf '{archive}' '{name}' | gzip -6n | wc -c").Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(large.PushBytesEstimated);
        Assert.Null(large.PushDigest);
        Assert.True(Math.Abs(gzip - large.DownloadBytes) <= large.PushBytesErrorBound, $"estimate {large.DownloadBytes} ± {large.PushBytesErrorBound}, gzip -6 says {gzip}");
        Assert.True(large.PushSampledBytes < large.StoredBytes / 10);

        // 3.4 MB: under the 16 MiB threshold, compressed whole as before.
        Assert.Null(small.PushBytesEstimated);
        Assert.Null(small.PushBytesErrorBound);
        Assert.StartsWith("sha256:", small.PushDigest, StringComparison.Ordinal);
        Assert.Equal(large.PushBytesErrorBound, report.Download.TotalBytesErrorBound);
        Assert.Equal(report.Download.ManifestBytes + report.Download.ConfigBytes + large.DownloadBytes + small.DownloadBytes, report.Download.TotalBytes);
    }

    [Fact]
    public void Should_count_only_unshared_layers_with_have()
    {
        var report = Load.Measure(Format("oci:{0}/debian/oci:two"), new Footprint.Pipeline.MeasureOptions { Have = Format("oci:{0}/debian/oci:minbase") });
        var have = report.Download.Have!;
        Assert.Equal(1, have.SharedLayers);
        Assert.Equal([1], have.LayersToPull);
        Assert.Equal(report.Download.Layers[1].DownloadBytes + report.Download.ManifestBytes + report.Download.ConfigBytes, have.BytesToPull);
    }

    [Fact]
    public void Should_report_waste_per_layer_as_copies_minus_the_kept_one()
    {
        var report = Load.Measure(Format("oci:{0}/debian/oci:two"));
        var (fs, _) = Load.FileSystem(Format("oci:{0}/debian/oci:two"));

        // Independent of LayerChange: every layer-0 file whose path the final view no longer shows with layer-0 bytes.
        long expectedWaste = 0;
        foreach (var (path, node) in Footprint.FileSystem.LayeredFileSystem.Enumerate(fs.Layers[0].Root))
        {
            if (node.Data is { } d && fs.FindSquashed(path)?.Data != d)
            {
                expectedWaste += d.SizeBytes;
            }
        }

        Assert.True(expectedWaste > 30_000_000, "the fixture deletes usr/share/locale and changelogs");
        Assert.Equal(expectedWaste, report.Installed.Layers[0].WastedBytes);
        Assert.Equal(0, report.Installed.Layers[1].WastedBytes);
        Assert.Equal(expectedWaste, report.Installed.WastedBytes);
        var stored = report.Installed.Layers.Sum(l => l.StoredBytes);
        Assert.Equal(Math.Round((double)(stored - expectedWaste) / stored, 6), report.Installed.Efficiency);
    }

    [Fact]
    public void Should_identify_debian_and_read_the_config()
    {
        var report = Load.Measure(Format("oci:{0}/debian/oci:two"));
        Assert.Equal("debian", report.Identity.Os!.Id);
        Assert.Equal("12", report.Identity.Os.VersionId);
        Assert.Equal(File.ReadAllText(Path.Combine(Repo.Fixture("debian/two.unpacked/rootfs"), "etc/debian_version")).Trim(), report.Identity.Os.DistroVersion);
        Assert.Equal("amd64", report.Identity.Architecture!.Value);
        Assert.Equal("65534:65534", report.Config!.User);
        Assert.NotEmpty(report.Config.Entrypoint!);
    }

    private static string Format(string reference) => string.Format(System.Globalization.CultureInfo.InvariantCulture, reference, Repo.Fixtures);
}
