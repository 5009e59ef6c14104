using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Footprint.Pipeline;
using Footprint.Reports;
using Footprint.Reports.Json;
using Footprint.Sources;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Sources.Registry;

/// <summary>
/// Images read from a real registry (Debian's docker-registry, filled by skopeo from the fixtures): the same numbers as
/// from the OCI layout they were pushed from, the download from the manifest alone, a dropped connection resumed, a
/// tampered blob refused.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class RegistrySourceTests(RegistryFixture registry) : IDisposable
{
    private const long CutAfterBytes = 1 << 20;
    private readonly TempDir _home = new();

    public void Dispose() => _home.Dispose();

    [Theory]
    [InlineData("debian:minbase", "minbase")]
    [InlineData("debian:two", "two")]
    public void Should_measure_exactly_what_the_layout_gives(string name, string tag)
    {
        var pulled = Load.Measure($"{registry.Host}/{name}");
        var local = registry.LayoutReport(tag);
        Assert.Equal("registry", pulled.Kind);
        Assert.True(pulled.LayersVerified);
        Assert.True(pulled.Installed.ApparentBytes > 0);
        Assert.Equal(Comparable(local), Comparable(pulled));
    }

    [Theory]
    [InlineData("linux/amd64", "amd64")]
    [InlineData("linux/arm64", "arm64/v8")]
    public void Should_pick_the_platform_from_an_index(string platform, string architecture)
    {
        var options = new MeasureOptions { Platform = Platform.Parse(platform) };
        var pulled = ReportAssembler.Measure($"docker://{registry.Host}/alpine:3.20", options);
        Assert.Equal(architecture, pulled.Identity.Architecture!.Value);
        Assert.Equal(Comparable(ReportAssembler.Measure($"oci:{registry.AlpineLayout}", options)), Comparable(pulled));
    }

    [Fact]
    public void Should_list_the_platforms_offered_when_the_one_asked_for_is_absent()
    {
        var e = Assert.Throws<Footprint.Formats.FootprintFormatException>(() =>
            ReportAssembler.Measure($"{registry.Host}/alpine:3.20", new MeasureOptions { Platform = Platform.Parse("linux/s390x") }));
        Assert.Contains("linux/amd64", e.Message, StringComparison.Ordinal);
        Assert.Contains("linux/arm64/v8", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_give_the_download_from_the_manifest_and_config_without_any_layer_blob()
    {
        using var proxy = new HttpFront(c => HttpFront.Forward(c, registry.Port));
        var (code, stdout, stderr) = FootprintProcess.Run(_home.Path, null, "measure", "--download-only", "-f", "json", $"127.0.0.1:{proxy.Port}/debian:two");
        Assert.True(code == 0, stderr);
        var (manifestBytes, config, layers) = LayoutManifest("two");
        var download = JsonNode.Parse(stdout)!["artifacts"]![0]!["download"]!;
        Assert.Equal(manifestBytes + config.Size + layers.Sum(l => l.Size), (long)download["totalBytes"]!);
        Assert.Equal(manifestBytes, (long)download["manifestBytes"]!);
        Assert.Equal(config.Size, (long)download["configBytes"]!);
        Assert.Equal(layers.Select(l => l.Size), download["layers"]!.AsArray().Select(l => (long)l!["downloadBytes"]!));
        Assert.Equal(["GET /v2/debian/manifests/two", $"GET /v2/debian/blobs/{config.Digest}"], proxy.Requests.ToArray());
    }

    [Fact]
    public void Should_fetch_every_blob_once_when_measuring_with_a_cold_cache()
    {
        // The loader opens each layer twice with a cache (a peek at its compression, then the read): still one GET.
        using var proxy = new HttpFront(c => HttpFront.Forward(c, registry.Port));
        var (code, stdout, stderr) = FootprintProcess.Run(_home.Path, null, "measure", "-q", "-f", "json", $"127.0.0.1:{proxy.Port}/debian:two");
        Assert.True(code == 0, stderr);
        Assert.Empty(Schemas.Errors(Schemas.Report, stdout));
        var (_, config, layers) = LayoutManifest("two");
        var expected = layers.Prepend(config).Select(d => $"GET /v2/debian/blobs/{d.Digest}").Append("GET /v2/debian/manifests/two").Order(StringComparer.Ordinal);
        Assert.Equal(expected, proxy.Requests.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Should_fetch_only_the_own_layer_when_the_base_layer_is_cached_and_nothing_when_all_are()
    {
        using var proxy = new HttpFront(c => HttpFront.Forward(c, registry.Port));
        var cache = Path.Combine(_home.Path, "layer-cache");
        string[] Measure(string tag)
        {
            proxy.Requests.Clear();
            var (code, stdout, stderr) = FootprintProcess.Run(_home.Path, null, "measure", "-q", "-f", "json", "--cache-dir", cache, $"127.0.0.1:{proxy.Port}/debian:{tag}");
            Assert.True(code == 0, stderr);
            Assert.Equal(Comparable(registry.LayoutReport(tag)), Comparable(JsonReportWriter.Read(System.Text.Encoding.UTF8.GetBytes(stdout))!.Artifacts[0]));
            return [.. proxy.Requests.Where(r => r.Contains("/blobs/", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
        }

        var (_, baseConfig, baseLayers) = LayoutManifest("minbase");
        var (_, config, layers) = LayoutManifest("two");
        Assert.Equal(baseLayers.Prepend(baseConfig).Select(d => $"GET /v2/debian/blobs/{d.Digest}").Order(StringComparer.Ordinal), Measure("minbase"));

        // The shared base layer is a verified (digest, diffID) pair in the cache: only the config and the own layer are fetched.
        var own = layers.Where(l => !baseLayers.Contains(l)).ToList();
        Assert.Equal(own.Prepend(config).Select(d => $"GET /v2/debian/blobs/{d.Digest}").Order(StringComparer.Ordinal), Measure("two"));

        // Every layer cached (and the whole report): the config alone, which names the diffIDs.
        Assert.Equal([$"GET /v2/debian/blobs/{config.Digest}"], Measure("two"));
    }

    [Fact]
    public void Should_keep_blobs_only_when_asked_and_read_them_back_verified()
    {
        using var proxy = new HttpFront(c => HttpFront.Forward(c, registry.Port));
        var cache = Path.Combine(_home.Path, "keep-cache");
        var blobs = Path.Combine(cache, "blobs", "sha256");
        var reference = $"127.0.0.1:{proxy.Port}/debian:minbase";
        var expected = Comparable(registry.LayoutReport("minbase"));
        (int Code, string Stderr, string[] BlobGets) Measure(params string[] extra)
        {
            proxy.Requests.Clear();
            var (code, stdout, stderr) = FootprintProcess.Run(_home.Path, null, ["measure", "-q", "-f", "json", "--no-cache", "--cache-dir", cache, .. extra, reference]);
            if (code == 0)
            {
                Assert.Equal(expected, Comparable(JsonReportWriter.Read(System.Text.Encoding.UTF8.GetBytes(stdout))!.Artifacts[0]));
            }

            return (code, stderr, [.. proxy.Requests.Where(r => r.Contains("/blobs/", StringComparison.Ordinal)).Order(StringComparer.Ordinal)]);
        }

        var (_, config, layers) = LayoutManifest("minbase");
        var all = layers.Prepend(config).ToList();
        var fetchAll = all.Select(d => $"GET /v2/debian/blobs/{d.Digest}").Order(StringComparer.Ordinal).ToArray();

        // Not asked: nothing is written.
        Assert.Equal(fetchAll, Measure().BlobGets);
        Assert.False(Directory.Exists(Path.Combine(cache, "blobs")));

        // Asked: every blob fetched is kept under its digest, and nothing half-written is left.
        Assert.Equal(fetchAll, Measure("--keep-blobs").BlobGets);
        foreach (var d in all)
        {
            var file = Path.Combine(blobs, d.Digest["sha256:".Length..]);
            Assert.Equal(d.Size, new FileInfo(file).Length);
            Assert.Equal(d.Digest, "sha256:" + Tool.Output("sha256sum", file).Split(' ')[0]);
        }

        Assert.Equal(all.Count, Directory.GetFiles(blobs).Length);

        // Kept: no blob is fetched again.
        Assert.Empty(Measure("--keep-blobs").BlobGets);

        // A kept blob changed on disk is caught by its digest before use: that blob alone is fetched and kept again.
        var layer = Path.Combine(blobs, layers[0].Digest["sha256:".Length..]);
        var bytes = File.ReadAllBytes(layer);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(layer, bytes);
        var (code, stderr, gets) = Measure("--keep-blobs");
        Assert.True(code == 0, stderr);
        Assert.Equal([$"GET /v2/debian/blobs/{layers[0].Digest}"], gets);
        Assert.Equal(layers[0].Digest, "sha256:" + Tool.Output("sha256sum", layer).Split(' ')[0]);
        Assert.Empty(Directory.GetFiles(blobs, "*.partial", SearchOption.AllDirectories));
    }

    [Fact]
    public void Should_draw_a_progress_bar_per_layer_with_bytes_and_rate_on_a_terminal()
    {
        // A registry slow at the start of every body (64 KiB every 10 ms for the first 8 MiB, at least 1.3 s of the
        // 60 MiB layer, over ten of the display's 100 ms refreshes) so the bars are drawn while the layers arrive, then
        // at full speed: throttling all 60 MiB took 19-55 s and drew nothing more that is checked. `script` gives a terminal.
        using var proxy = new HttpFront(c => HttpFront.Forward(c, registry.Port, async (context, response, body) =>
        {
            var chunk = new byte[64 << 10];
            int n;
            long sent = 0;
            while ((n = await body.ReadAsync(chunk)) > 0)
            {
                await context.Response.OutputStream.WriteAsync(chunk.AsMemory(0, n));
                sent += n;
                if (sent < 8 << 20)
                {
                    await Task.Delay(10);
                }
            }

            context.Response.Close();
        }));
        var (_, _, layers) = LayoutManifest("minbase");
        var capture = Path.Combine(_home.Path, "terminal.txt");
        var cli = Path.Combine(AppContext.BaseDirectory, "Footprint.Cli.dll");
        var command = $"HOME='{_home.Path}' XDG_CACHE_HOME='{_home.Path}/.cache' COLUMNS=160 dotnet '{cli}' measure --no-cache 127.0.0.1:{proxy.Port}/debian:minbase > /dev/null";
        Tool.Output("script", "-qfec", command, capture);

        var drawn = File.ReadAllText(capture);
        foreach (var layer in layers)
        {
            Assert.Contains(layer.Digest[..19], drawn, StringComparison.Ordinal);
        }

        var sizes = Regex.Matches(drawn, @"(\d+\.\d)/(\d+\.\d) MiB, (\d+\.\d) MiB/s");
        Assert.NotEmpty(sizes);
        var total = layers.Max(l => l.Size) / 1048576.0;
        Assert.Contains(sizes, m => double.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) == Math.Round(total, 1));
        Assert.Contains(sizes, m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) < Math.Round(total, 1)
            && double.Parse(m.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture) > 0);
    }

    [Fact]
    public void Should_give_the_bytes_still_to_pull_when_another_image_is_present()
    {
        using var proxy = new HttpFront(c => HttpFront.Forward(c, registry.Port));
        var (code, stdout, stderr) = FootprintProcess.Run(_home.Path, null, "measure", "--download-only", "-f", "json",
            "--have", $"127.0.0.1:{proxy.Port}/debian:minbase", $"127.0.0.1:{proxy.Port}/debian:two");
        Assert.True(code == 0, stderr);
        var (manifestBytes, config, layers) = LayoutManifest("two");
        var (_, _, baseLayers) = LayoutManifest("minbase");
        var have = JsonNode.Parse(stdout)!["artifacts"]![0]!["download"]!["have"]!;
        var missing = layers.Where(l => !baseLayers.Contains(l)).ToList();
        Assert.Single(missing);
        Assert.Equal(manifestBytes + config.Size + missing.Sum(l => l.Size), (long)have["bytesToPull"]!);
        Assert.Equal(layers.Count - missing.Count, (int)have["sharedLayers"]!);
        Assert.DoesNotContain(proxy.Requests, r => layers.Any(l => r.Contains(l.Digest, StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Should_resume_a_blob_after_the_connection_drops(bool serverHonoursRange)
    {
        var cut = 0;
        using var proxy = new HttpFront(c =>
        {
            var isLayer = c.Request.Url!.AbsolutePath.Contains("/blobs/", StringComparison.Ordinal);
            return HttpFront.Forward(c, registry.Port, async (context, response, body) =>
            {
                if (isLayer && response.Content.Headers.ContentLength > 2 * CutAfterBytes && Interlocked.CompareExchange(ref cut, 1, 0) == 0)
                {
                    // The first big blob: part of it, then the connection is gone.
                    var buffer = new byte[CutAfterBytes];
                    await body.ReadExactlyAsync(buffer);
                    await context.Response.OutputStream.WriteAsync(buffer);
                    await context.Response.OutputStream.FlushAsync();
                    context.Response.Abort();
                    return;
                }

                await body.CopyToAsync(context.Response.OutputStream);
                context.Response.Close();
            }, forwardRange: serverHonoursRange);
        });
        var pulled = Load.Measure($"127.0.0.1:{proxy.Port}/debian:minbase");
        Assert.Equal(1, cut);
        Assert.Equal(Comparable(registry.LayoutReport("minbase")), Comparable(pulled));
        // The client asks for the rest either way; a server that ignores the range sends it all again (200, skipped).
        Assert.Single(proxy.Requests, r => r.EndsWith(" range", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("config")]
    [InlineData("layer")]
    public void Should_refuse_a_tampered_blob(string which)
    {
        var (_, config, layers) = LayoutManifest("minbase");
        var target = which == "config" ? config.Digest : layers[0].Digest;
        using var proxy = new HttpFront(c => HttpFront.Forward(c, registry.Port, async (context, response, body) =>
        {
            var bytes = new MemoryStream();
            await body.CopyToAsync(bytes);
            var data = bytes.ToArray();
            if (context.Request.Url!.AbsolutePath.EndsWith(target, StringComparison.Ordinal))
            {
                data[data.Length / 2] ^= 0x01;
            }

            await context.Response.OutputStream.WriteAsync(data);
            context.Response.Close();
        }));
        var reference = $"127.0.0.1:{proxy.Port}/debian:minbase";
        var (code, stdout, stderr) = FootprintProcess.Run(_home.Path, null, "measure", "-q", "--no-cache", "-f", "json", reference);
        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("footprint: error: ", line, StringComparison.Ordinal);
        Assert.Contains(reference, line, StringComparison.Ordinal);
        Assert.Contains(target, line, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_still_say_no_such_file_for_path_like_arguments()
    {
        foreach (var path in new[] { "./nothing:1", "/nothing/here.tar", "nothing.tar" })
        {
            var (code, _, stderr) = FootprintProcess.Run(_home.Path, null, "measure", "-q", path);
            Assert.Equal(2, code);
            Assert.Contains("no such file", stderr, StringComparison.Ordinal);
        }
    }

    /// <summary>The report as JSON without what names the source (input, kind, locations of blobs).</summary>
    private static string Comparable(ArtifactReport report)
    {
        var node = JsonNode.Parse(JsonReportWriter.ToJson(new Report { Tool = new ToolInfo("footprint", "test"), Artifacts = [report with { Input = "x", Kind = "x" }] }))!;
        return node.ToJsonString();
    }

    private static (long ManifestBytes, (string Digest, long Size) Config, List<(string Digest, long Size)> Layers) LayoutManifest(string tag)
    {
        var layout = Repo.Fixture("debian/oci");
        var index = JsonNode.Parse(File.ReadAllText(Path.Combine(layout, "index.json")))!;
        var entry = index["manifests"]!.AsArray().Single(m => (string?)m!["annotations"]!["org.opencontainers.image.ref.name"] == tag)!;
        var path = Path.Combine(layout, "blobs", "sha256", ((string)entry["digest"]!)["sha256:".Length..]);
        var manifest = JsonNode.Parse(File.ReadAllText(path))!;
        (string, long) Descriptor(JsonNode d) => ((string)d["digest"]!, (long)d["size"]!);
        return (new FileInfo(path).Length, Descriptor(manifest["config"]!), manifest["layers"]!.AsArray().Select(l => Descriptor(l!)).ToList());
    }
}
