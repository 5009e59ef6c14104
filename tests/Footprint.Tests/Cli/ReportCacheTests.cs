using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Footprint.Cli;
using Footprint.Advisories.Database;
using Footprint.Cli.Commands;
using Footprint.Pipeline;
using Footprint.Reports;
using Footprint.Reports.Json;
using Footprint.Store;
using Footprint.Tests.Store;
using Footprint.Tests.TestSupport;
using Microsoft.Data.Sqlite;

namespace Footprint.Tests.Cli;

/// <summary>`measure`'s whole-report cache: a re-measure is the stored report, byte for byte, and only for the very blobs a read verified.</summary>
public sealed class ReportCacheTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    [Fact]
    public void Should_serve_a_re_measure_from_the_stored_report()
    {
        var layout = Layout();
        using var cache = LayerCache.Open(_dir.File("cache"));
        var options = new MeasureOptions { LayerCache = cache };

        var cold = CachedRun.Json(ReportCache.Measure(layout, options));
        var warm = CachedRun.Json(ReportCache.Measure(layout, options));

        Assert.Equal((1L, 1L), (cache.ReportMisses, cache.ReportHits));
        Assert.Equal(0, cache.Hits);
        Assert.Equal(CachedRun.Json(layout, null), cold);
        Assert.Equal(cold, warm);

        // Other options are another report.
        var listed = CachedRun.Json(ReportCache.Measure(layout, options with { LargestFiles = 3 }));
        Assert.Equal(2L, cache.ReportMisses);
        Assert.Equal(CachedRun.Json(layout, null, new MeasureOptions { LargestFiles = 3 }), listed);
    }

    [Fact]
    public void Should_hand_a_hit_back_as_the_json_document_measure_writes()
    {
        var layout = Layout();
        using var cache = LayerCache.Open(_dir.File("cache"));
        var options = new MeasureOptions { LayerCache = cache };

        var cold = ReportCache.MeasureOrStoredJson(layout, options);
        var warm = ReportCache.MeasureOrStoredJson(layout, options);

        Assert.Null(warm.Report);
        Assert.Equal((1L, 1L), (cache.ReportMisses, cache.ReportHits));
        var written = JsonReportWriter.ToJson(new Report { Tool = Program.Tool, Artifacts = [cold.Report!] });
        Assert.Equal(written, Encoding.UTF8.GetString(warm.Json!));

        // The miss rendered the document once, for its output and the store: the same bytes the hit hands back.
        Assert.Equal(warm.Json, cold.Json);
        Assert.Equal(CachedRun.Json(layout, null), CachedRun.Json(JsonReportWriter.Read(warm.Json)!.Artifacts.Single()));

        // A blob changed since is measured (and fails) as without the cache: never the stored bytes.
        var blob = Directory.GetFiles(Path.Combine(layout, "blobs", "sha256")).OrderByDescending(f => new FileInfo(f).Length).First();
        var bytes = File.ReadAllBytes(blob);
        bytes[4] ^= 0x5a;
        File.WriteAllBytes(blob, bytes);
        Assert.Throws<Footprint.Formats.FootprintFormatException>(() => ReportCache.MeasureOrStoredJson(layout, options));
        Assert.Equal(1L, cache.ReportHits);
    }

    [Theory]
    [InlineData("\u009b31m", "a C1 control (CSI)")]
    [InlineData("\u202e", "a bidirectional override")]
    [InlineData("\u001b[31m", "an escape, raw: not JSON at all")]
    public void Should_measure_again_rather_than_write_a_forged_stored_report(string injected, string what)
    {
        // A forger who can write the cache file can recompute a row's seal: the stored bytes are checked before they
        // are written out as they are, and a report read back must read back to its very JSON.
        var layout = Layout();
        using var cache = LayerCache.Open(_dir.File("cache"));
        var options = new MeasureOptions { LayerCache = cache };
        var cold = ReportCache.MeasureOrStoredJson(layout, options);
        cache.Flush();
        var key = StoredReportKey(cache);
        var honest = JsonReportWriter.ToJson(new Report { Tool = Program.Tool, Artifacts = [cold.Report!] });
        var forged = honest.Replace("\"footprint\"", "\"footprint" + injected + "\"", StringComparison.Ordinal);
        Assert.NotEqual(honest, forged);
        cache.PutReport(key, Encoding.UTF8.GetBytes(forged));

        var again = ReportCache.MeasureOrStoredJson(layout, options);

        // Measured again: what is written is the honest rendering, never the forged bytes.
        Assert.True(honest == Encoding.UTF8.GetString(again.Json!), $"{what}: the forged stored bytes were written");
        Assert.Equal(honest, JsonReportWriter.ToJson(new Report { Tool = Program.Tool, Artifacts = [again.Report!] }));
        Assert.Equal(0, cache.ReportHits);
    }

    [Fact]
    public void Should_measure_again_when_a_stored_report_does_not_read_back_to_its_json()
    {
        // Well-formed and harmless, but not what the writer writes (a leading space): written as it is for `-f json`,
        // never read back into a report for another output.
        var layout = Layout();
        using var cache = LayerCache.Open(_dir.File("cache"));
        var options = new MeasureOptions { LayerCache = cache };
        var cold = ReportCache.Measure(layout, options);
        cache.Flush();
        var honest = JsonReportWriter.ToJson(new Report { Tool = Program.Tool, Artifacts = [cold] });
        cache.PutReport(StoredReportKey(cache), Encoding.UTF8.GetBytes(" " + honest));

        var raw = ReportCache.MeasureOrStoredJson(layout, options);
        var again = ReportCache.Measure(layout, options);

        Assert.Equal(" " + honest, Encoding.UTF8.GetString(raw.Json!));
        Assert.Equal(CachedRun.Json(cold), CachedRun.Json(again));
        Assert.Equal((2L, 1L), (cache.ReportMisses, cache.ReportHits));
    }

    [Fact]
    public void Should_not_serve_a_stored_report_for_a_tampered_blob()
    {
        var layout = Layout();
        using var cache = LayerCache.Open(_dir.File("cache"));
        var options = new MeasureOptions { LayerCache = cache };
        ReportCache.Measure(layout, options);
        var blob = Directory.GetFiles(Path.Combine(layout, "blobs", "sha256")).OrderByDescending(f => new FileInfo(f).Length).First();
        var bytes = File.ReadAllBytes(blob);
        bytes[4] ^= 0x5a;
        File.WriteAllBytes(blob, bytes);

        var uncached = Assert.Throws<Footprint.Formats.FootprintFormatException>(() => Load.Measure(layout));
        var cached = Assert.Throws<Footprint.Formats.FootprintFormatException>(() => ReportCache.Measure(layout, options));

        Assert.Equal(uncached.Message, cached.Message);
        Assert.Equal(0, cache.ReportHits);
    }

    [Fact]
    public void Should_serve_a_docker_archive_re_measure_and_key_it_by_its_manifest_and_config()
    {
        // A docker archive has no manifest digest: the digest of its manifest.json and config names it instead.
        var archive = DockerArchive("a", "\"Cmd\":[\"/bin/sh\"]");
        using var cache = LayerCache.Open(_dir.File("cache"));
        var options = new MeasureOptions { LayerCache = cache };

        var cold = CachedRun.Json(ReportCache.Measure(archive, options));
        var warm = CachedRun.Json(ReportCache.Measure(archive, options));
        Assert.Equal((1L, 1L), (cache.ReportMisses, cache.ReportHits));
        Assert.Equal(CachedRun.Json(archive, null), cold);
        Assert.Equal(cold, warm);

        // The same layer under another config (another entrypoint and user) is another image.
        var other = DockerArchive("b", "\"Cmd\":[\"/bin/true\"],\"User\":\"nobody\"");
        var otherReport = CachedRun.Json(ReportCache.Measure(other, options));
        Assert.Equal((2L, 1L), (cache.ReportMisses, cache.ReportHits));
        Assert.Equal(CachedRun.Json(other, null), otherReport);
        Assert.NotEqual(cold, otherReport);
    }

    [Fact]
    public void Should_serve_findings_from_the_stored_report_only_for_the_same_advisory_feeds()
    {
        var alpine = File.ReadAllBytes(Repo.CorpusFile("alpine/alpine-minirootfs-3.7.3-x86_64.tar.gz"));
        var layout = TestImages.Layout(_dir.File("oci-3.7"), ("latest", [alpine]));
        var db = _dir.File("advisories.db");
        using (var database = AdvisoryDatabase.Open(db))
        {
            database.ImportFiles([Repo.CorpusFile("vulndata/alpine-secdb/v3.7/main.yaml")]);
        }

        using var cache = LayerCache.Open(_dir.File("cache"));
        var options = new MeasureOptions { LayerCache = cache, AdvisoryDatabase = db, Reachability = true };
        var cold = CachedRun.Json(ReportCache.Measure(layout, options));
        var warm = CachedRun.Json(ReportCache.Measure(layout, options));
        Assert.Equal((1L, 1L), (cache.ReportMisses, cache.ReportHits));
        Assert.Equal(cold, warm);
        Assert.Equal(CachedRun.Json(layout, null, options with { LayerCache = null }), cold);
        Assert.Contains("CVE-2019-14697", cold, StringComparison.Ordinal);

        // Without the database, or without reachability, it is another report.
        Assert.DoesNotContain("CVE-2019-14697", CachedRun.Json(ReportCache.Measure(layout, options with { AdvisoryDatabase = null, Reachability = false })), StringComparison.Ordinal);
        ReportCache.Measure(layout, options with { Reachability = false });
        Assert.Equal((3L, 1L), (cache.ReportMisses, cache.ReportHits));

        // Another import changes the feeds the findings came from: measured again.
        using (var database = AdvisoryDatabase.Open(db))
        {
            database.ImportFiles([Repo.CorpusFile("vulndata/alpine-secdb/v3.10/main.yaml")]);
        }

        ReportCache.Measure(layout, options);
        Assert.Equal((4L, 1L), (cache.ReportMisses, cache.ReportHits));
    }

    private static string StoredReportKey(LayerCache cache)
    {
        using var connection = new SqliteConnection($"Data Source={cache.FilePath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT key FROM reports";
        return (string)command.ExecuteScalar()!;
    }

    /// <summary>A `docker save`-shaped archive of the Alpine minirootfs (one uncompressed layer) with the given config fields.</summary>
    private string DockerArchive(string name, string configFields)
    {
        var dir = _dir.File("docker-" + name);
        Directory.CreateDirectory(dir);
        var layer = Path.Combine(dir, "layer.tar");
        using (var gz = new GZipStream(File.OpenRead(Repo.CorpusFile("alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz")), CompressionMode.Decompress))
        using (var output = File.Create(layer))
        {
            gz.CopyTo(output);
        }

        var diffId = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(layer)));
        File.WriteAllText(Path.Combine(dir, "config.json"),
            "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{" + configFields + "},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + diffId + "\"]}}");
        File.WriteAllText(Path.Combine(dir, "manifest.json"), "[{\"Config\":\"config.json\",\"RepoTags\":[\"test:latest\"],\"Layers\":[\"layer.tar\"]}]");
        var archive = _dir.File(name + ".docker.tar");
        Tool.Shell($"tar -C '{dir}' -cf '{archive}' manifest.json config.json layer.tar");
        return "docker-archive:" + archive;
    }

    private string Layout()
    {
        var alpine = File.ReadAllBytes(Repo.CorpusFile("alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz"));
        return TestImages.Layout(_dir.File("oci"), ("latest", [alpine, TestImages.ExtraLayer(_dir)]));
    }
}
