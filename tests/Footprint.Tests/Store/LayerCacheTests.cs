using Footprint.FileSystem;
using Footprint.Pipeline;
using Footprint.Sources;
using Footprint.Store;
using Footprint.Tests.TestSupport;
using Footprint.Walk;
using Microsoft.Data.Sqlite;

namespace Footprint.Tests.Store;

/// <summary>
/// The per-layer cache end to end: reports with a cache equal the uncached ones, a shared base is read once, an
/// analyzer version bump invalidates only its entries, two processes share the file, damage is detected and rebuilt.
/// </summary>
public sealed class LayerCacheTests : IDisposable
{
    private static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "Footprint.Cli.dll");
    private readonly TempDir _dir = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    [Fact]
    public void Should_read_a_shared_base_layer_once_and_only_the_second_image_own_layer()
    {
        var layout = Repo.Fixture("debian/oci");
        using var cache = LayerCache.Open(_dir.File("cache"));

        var first = CachedRun.Json($"oci:{layout}:minbase", cache);
        Assert.Equal((0, 1, 1), (cache.Hits, cache.Misses, cache.Stores));

        // "two" is minbase's layer plus one of its own: the base comes from the cache, only the top layer is read.
        var second = CachedRun.Json($"oci:{layout}:two", cache);
        Assert.Equal((1, 2, 2), (cache.Hits, cache.Misses, cache.Stores));

        var again = CachedRun.Json($"oci:{layout}:two", cache);
        Assert.Equal((3, 2, 2), (cache.Hits, cache.Misses, cache.Stores));
        Assert.Equal(CachedRun.Json($"oci:{layout}:minbase", null), first);
        var uncached = CachedRun.Json($"oci:{layout}:two", null);
        Assert.Equal(uncached, second);
        Assert.Equal(uncached, again);
    }

    public static TheoryData<string> Fixtures() => new()
    {
        "oci:debian/oci:minbase",
        "docker-archive:debian/minbase.docker.tar",
        "scratch-busybox/oci",
        "corpus-busybox/latest/glibc",
        "built:alpine+extra",
    };

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Should_give_the_uncached_report_cold_and_warm(string fixture)
    {
        var reference = Reference(fixture);
        var uncached = CachedRun.Json(reference, null);
        using var cache = LayerCache.Open(_dir.File("cache"));
        var cold = CachedRun.Json(reference, cache);
        var stored = cache.Stores;
        var warm = CachedRun.Json(reference, cache);

        Assert.True(stored > 0);
        Assert.Equal(stored, cache.Hits);
        Assert.Equal(uncached, cold);
        Assert.Equal(uncached, warm);
    }

    [Fact]
    public void Should_give_the_uncached_file_list_and_digests_when_files_are_listed()
    {
        var reference = Reference("built:alpine+extra");
        var options = new MeasureOptions { ListFiles = true };
        using var cache = LayerCache.Open(_dir.File("cache"));

        // Stored without digests first: a run that lists files misses, reads, and adds them.
        CachedRun.Json(reference, cache);
        var cold = CachedRun.Json(reference, cache, options);
        Assert.Equal((0, 4, 4), (cache.Hits, cache.Misses, cache.Stores));
        var warm = CachedRun.Json(reference, cache, options);
        Assert.Equal(2, cache.Hits);
        var uncached = CachedRun.Json(reference, null, options);
        Assert.Equal(uncached, cold);
        Assert.Equal(uncached, warm);
        Assert.Contains("\"sha256\"", warm, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_not_cache_without_verification_or_without_a_diff_id()
    {
        using var cache = LayerCache.Open(_dir.File("cache"));
        CachedRun.Json(Reference("built:alpine+extra"), cache, new MeasureOptions { Verify = false });
        CachedRun.Json(Repo.CorpusFile("alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz"), cache);
        Assert.Equal((0L, 0L, 0L), (cache.Hits, cache.Misses, cache.Stores));
    }

    [Fact]
    public void Should_read_a_tampered_blob_of_a_cached_layer_and_fail_as_without_a_cache()
    {
        var layout = Reference("built:alpine+extra");
        using var cache = LayerCache.Open(_dir.File("cache"));
        CachedRun.Json(layout, cache);
        var blob = Directory.GetFiles(Path.Combine(layout, "blobs", "sha256")).OrderByDescending(f => new FileInfo(f).Length).First();
        var bytes = File.ReadAllBytes(blob);

        // The gzip header's MTIME is outside its CRC: the blob still expands to the cached diffID; only its digest differs.
        bytes[4] ^= 0x5a;
        File.WriteAllBytes(blob, bytes);

        var uncached = Assert.Throws<Footprint.Formats.FootprintFormatException>(() => CachedRun.Json(layout, null));
        var cached = Assert.Throws<Footprint.Formats.FootprintFormatException>(() => CachedRun.Json(layout, cache));
        Assert.Contains("content digest is", uncached.Message, StringComparison.Ordinal);
        Assert.Equal(uncached.Message, cached.Message);
    }

    [Fact]
    public void Should_not_give_a_cached_diff_id_to_another_blob()
    {
        // An image whose config names the extra layer's diffID for Alpine's blob: the uncached read refuses it, so must a cached one.
        var layout = Reference("built:alpine+extra");
        using var cache = LayerCache.Open(_dir.File("cache"));
        CachedRun.Json(layout, cache);
        var alpine = File.ReadAllBytes(Repo.CorpusFile("alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz"));
        var forged = TestImages.Layout(_dir.File("forged"), ("latest", [alpine]));
        var config = Directory.GetFiles(Path.Combine(forged, "blobs", "sha256")).Single(f => File.ReadAllText(f).Contains("diff_ids", StringComparison.Ordinal));
        var extraDiffId = Directory.GetFiles(Path.Combine(layout, "blobs", "sha256")).Select(File.ReadAllText)
            .Single(t => t.Contains("diff_ids", StringComparison.Ordinal)).Split('"').Where(x => x.StartsWith("sha256:", StringComparison.Ordinal)).Last();
        var text = System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(config), "sha256:[0-9a-f]{64}", extraDiffId);
        var rewritten = TestImages.Layout(_dir.File("forged2"), ("latest", [alpine]), configText: text);

        var uncached = Assert.Throws<Footprint.Formats.FootprintFormatException>(() => CachedRun.Json(rewritten, null));
        var cached = Assert.Throws<Footprint.Formats.FootprintFormatException>(() => CachedRun.Json(rewritten, cache));
        Assert.Contains("uncompressed content digest is", uncached.Message, StringComparison.Ordinal);
        Assert.Equal(uncached.Message, cached.Message);
    }

    [Fact]
    public void Should_invalidate_only_the_entries_of_an_analyzer_whose_version_changed()
    {
        var reference = Reference("built:alpine+extra");
        using var cache = LayerCache.Open(_dir.File("cache"));
        var etc = new PrefixAnalyzer("test-etc", 1, "etc/", ContentNeed.Whole);
        var bin = new PrefixAnalyzer("test-bin", 1, "usr/", ContentNeed.Inspect);
        var fresh = Trees(reference, null, etc, bin);

        var cold = Trees(reference, cache, etc, bin);
        Assert.Equal((0, 2, 2), (cache.Hits, cache.Misses, cache.Stores));
        var bumped = new PrefixAnalyzer("test-bin", 2, "usr/", ContentNeed.Head);
        var afterBump = Trees(reference, cache, etc, bumped);
        Assert.Equal((0, 4, 4), (cache.Hits, cache.Misses, cache.Stores));
        var warmBumped = Trees(reference, cache, etc, bumped);
        var warmOld = Trees(reference, cache, etc, bin);
        Assert.Equal((4, 4, 4), (cache.Hits, cache.Misses, cache.Stores));

        // The bump added test-bin v2's entries next to v1's; test-etc's and the trees were written once.
        Assert.Equal([("test-bin", 1, 2L), ("test-bin", 2, 2L), ("test-etc", 1, 2L)], Rows(cache, "SELECT analyzer, version, count(*) FROM needs GROUP BY analyzer, version ORDER BY analyzer, version"));
        Assert.Equal(2L, Scalar(cache, "SELECT count(*) FROM trees"));
        Assert.Equal(fresh, cold);
        Assert.Equal(fresh, warmOld);
        Assert.Equal(Trees(reference, null, etc, bumped), afterBump);
        Assert.Equal(afterBump, warmBumped);
    }

    [Fact]
    public async Task Should_let_two_processes_write_the_same_cache_at_once()
    {
        var reference = Reference("built:alpine+extra");
        var cacheDir = _dir.File("shared-cache");
        var outputs = new[] { _dir.File("a.json"), _dir.File("b.json"), _dir.File("c.json"), _dir.File("n.json") };
        var runs = outputs[..2].Select(o => Task.Run(() => Tool.Run("dotnet", Cli, "measure", "-q", "-f", "json", "--cache-dir", cacheDir, "-o", o, reference))).ToArray();
        var results = await Task.WhenAll(runs);
        var warm = Tool.Run("dotnet", Cli, "measure", "-q", "-f", "json", "--cache-dir", cacheDir, "-o", outputs[2], reference);
        var uncached = Tool.Run("dotnet", Cli, "measure", "-q", "-f", "json", "--no-cache", "-o", outputs[3], reference);

        Assert.All(results.Append(warm).Append(uncached), r => Assert.Equal((0, string.Empty), (r.ExitCode, r.Stderr)));
        var expected = File.ReadAllText(outputs[3]);
        Assert.All(outputs[..3], o => Assert.Equal(expected, File.ReadAllText(o)));
        using var cache = LayerCache.Open(cacheDir);
        Assert.Equal(2L, Scalar(cache, "SELECT count(*) FROM trees"));
        Assert.Equal("ok", Rows(cache, "PRAGMA integrity_check").Single().Item1);
    }

    [Fact]
    public void Should_rebuild_a_cache_file_that_is_not_a_database()
    {
        var reference = Reference("built:alpine+extra");
        var cacheDir = _dir.File("cache");
        Directory.CreateDirectory(cacheDir);
        File.WriteAllBytes(Path.Combine(cacheDir, LayerCache.FileName), [.. Enumerable.Range(0, 50_000).Select(i => (byte)(i * 7919 >> 3))]);

        using var cache = LayerCache.Open(cacheDir);
        var report = CachedRun.WithoutCacheWarnings(reference, cache, out var warnings);

        Assert.Contains(warnings, w => w.Contains(cache.FilePath, StringComparison.Ordinal) && w.Contains("not an SQLite database", StringComparison.Ordinal));
        Assert.Equal(CachedRun.Json(reference, null), report);
        Assert.Equal(CachedRun.Json(reference, null), CachedRun.Json(reference, cache));
        Assert.Equal(2, cache.Hits);
    }

    [Fact]
    public void Should_rebuild_a_truncated_cache_file()
    {
        var reference = Reference("oci:debian/oci:minbase");
        var cacheDir = _dir.File("cache");
        using (var cache = LayerCache.Open(cacheDir))
        {
            CachedRun.Json(reference, cache);
        }

        SqliteConnection.ClearAllPools();
        var file = Path.Combine(cacheDir, LayerCache.FileName);
        using (var stream = new FileStream(file, FileMode.Open))
        {
            stream.SetLength(stream.Length / 2);
        }

        using var reopened = LayerCache.Open(cacheDir);
        var report = CachedRun.WithoutCacheWarnings(reference, reopened, out var warnings);

        Assert.Contains(warnings, w => w.Contains(reopened.FilePath, StringComparison.Ordinal) && w.Contains("truncated", StringComparison.Ordinal));
        Assert.Equal(CachedRun.Json(reference, null), report);
        Assert.Equal("ok", Rows(reopened, "PRAGMA integrity_check").Single().Item1);
    }

    [Theory]
    [InlineData("trees", "payload")]
    [InlineData("captures", "payload")]
    [InlineData("needs", "payload")]
    [InlineData("contents", "bytes")]
    public void Should_drop_an_entry_with_a_flipped_byte_and_store_it_again(string table, string column)
    {
        var reference = Reference("built:alpine+extra");
        using var cache = LayerCache.Open(_dir.File("cache"));
        var expected = CachedRun.Json(reference, cache);
        using (var connection = new SqliteConnection($"Data Source={cache.FilePath}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            // One byte in the middle of every row's blob: whichever row the run reads is damaged.
            command.CommandText = $"SELECT rowid, {column} FROM {table}";
            var rows = new List<(long, byte[])>();
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    rows.Add((reader.GetInt64(0), reader.GetFieldValue<byte[]>(1)));
                }
            }

            foreach (var (rowid, bytes) in rows)
            {
                bytes[bytes.Length / 2] ^= 0x10;
                using var update = connection.CreateCommand();
                update.CommandText = $"UPDATE {table} SET {column} = $b WHERE rowid = $r";
                update.Parameters.AddWithValue("$b", bytes);
                update.Parameters.AddWithValue("$r", rowid);
                update.ExecuteNonQuery();
            }
        }

        var damaged = CachedRun.WithoutCacheWarnings(reference, cache, out var warnings);
        Assert.Equal(expected, damaged);
        Assert.NotEmpty(warnings);
        Assert.All(warnings, w => Assert.Contains(cache.FilePath, w, StringComparison.Ordinal));
        var hits = cache.Hits;

        // Dropped and stored again: the next run hits every layer with no warning.
        Assert.Equal(expected, CachedRun.Json(reference, cache));
        Assert.Equal(hits + 2, cache.Hits);
    }

    /// <summary>A fixture reference; "built:alpine+extra" is an OCI layout made here: Alpine 3.20 plus <see cref="TestImages.ExtraLayer"/>.</summary>
    private string Reference(string fixture)
    {
        if (fixture == "built:alpine+extra")
        {
            var layout = _dir.File("built");
            if (!Directory.Exists(layout))
            {
                var alpine = File.ReadAllBytes(Repo.CorpusFile("alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz"));
                TestImages.Layout(layout, ("latest", [alpine, TestImages.ExtraLayer(_dir)]));
            }

            return layout;
        }

        var colon = fixture.IndexOf(':');
        var prefix = colon > 0 && !fixture.StartsWith("debian/", StringComparison.Ordinal) ? fixture[..(colon + 1)] : string.Empty;
        var rest = fixture[prefix.Length..];
        var tag = rest.IndexOf(':') is var t and > 0 ? rest[t..] : string.Empty;
        return prefix + Repo.Fixture(rest[..(rest.Length - tag.Length)]) + tag;
    }

    /// <summary>Every layer tree of a load, rendered with <see cref="TreeDump"/>.</summary>
    private static List<string> Trees(string reference, ILayerCache? cache, params IAnalyzer[] analyzers)
    {
        var warnings = new List<FsWarning>();
        using var source = ArtifactOpener.Open(reference, null, warnings);
        var fs = new ArtifactLoader(analyzers, new LayerReadOptions()) { Cache = cache }.Load(source, warnings);
        return [.. fs.Layers.Select(TreeDump.Of), .. warnings.Select(w => w.ToString())];
    }

    private static long Scalar(LayerCache cache, string sql) => long.Parse(Rows(cache, sql).Single().Item1, System.Globalization.CultureInfo.InvariantCulture);

    private static List<(string, long, long)> Rows(LayerCache cache, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={cache.FilePath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<(string, long, long)>();
        while (reader.Read())
        {
            rows.Add((reader.GetValue(0).ToString()!, reader.FieldCount > 1 ? reader.GetInt64(1) : 0, reader.FieldCount > 2 ? reader.GetInt64(2) : 0));
        }

        return rows;
    }

    /// <summary>Asks for one need of every regular file under a path prefix.</summary>
    private sealed class PrefixAnalyzer(string id, int version, string prefix, ContentNeed need) : IAnalyzer
    {
        public string Id => id;

        public int Version => version;

        public ContentNeed Required(string path, FsNode node)
            => node.Kind == Footprint.Formats.FileKind.Regular && path.StartsWith(prefix, StringComparison.Ordinal) ? need : ContentNeed.None;

        public void Observe(string path, FsNode node, IFileContent? content)
        {
        }
    }
}
