using Footprint.FileSystem;
using Footprint.Store;
using Footprint.Tests.TestSupport;
using Microsoft.Data.Sqlite;

namespace Footprint.Tests.Store;

/// <summary>
/// A cache hit trusts a blob without hashing it only when the file it is read from carries the very stamp (device,
/// inode, size, mtime, ctime) it had when a read verified it (docs/cache.md); any change to the file, a replacement by
/// an identical copy, a file changed too recently, or `--rehash` makes the hit hash the blob again.
/// </summary>
public sealed class BlobStampTests : IDisposable
{
    /// <summary>Short enough for a test, long enough that a change after the sleep below gets a later ctime.</summary>
    private const long TestMarginNanoseconds = 100_000_000;

    private readonly TempDir _dir = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    [Fact]
    public void Should_trust_an_unchanged_blob_without_hashing_it_and_refuse_one_changed_in_place()
    {
        var layout = SettledLayout();
        using var cache = Open();
        var expected = CachedRun.Json(layout, null);

        Assert.Equal(expected, CachedRun.Json(layout, cache));
        Assert.Equal((0L, 2L, 2L), (cache.Hits, cache.Misses, Stamps(cache)));
        Assert.Equal(expected, CachedRun.Json(layout, cache));
        Assert.Equal((2L, 2L), (cache.Hits, cache.UnchangedBlobs));

        // The gzip header's MTIME lies outside its CRC: the blob still expands to the cached diffID, only its digest
        // differs. Written in place with the old mtime put back: only ctime (set by the kernel) tells.
        var blob = LargestBlob(layout);
        var mtime = File.GetLastWriteTimeUtc(blob);
        using (var file = new FileStream(blob, FileMode.Open, FileAccess.ReadWrite))
        {
            file.Position = 4;
            var b = file.ReadByte();
            file.Position = 4;
            file.WriteByte((byte)(b ^ 0x5a));
        }

        File.SetLastWriteTimeUtc(blob, mtime);

        var uncached = Assert.Throws<Footprint.Formats.FootprintFormatException>(() => CachedRun.Json(layout, null));
        var cached = Assert.Throws<Footprint.Formats.FootprintFormatException>(() => CachedRun.Json(layout, cache));
        Assert.Equal(uncached.Message, cached.Message);
        Assert.Contains("content digest is", cached.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_hash_a_blob_replaced_by_an_identical_copy_and_trust_the_copy_once_verified()
    {
        var layout = SettledLayout();
        using var cache = Open();
        var expected = CachedRun.Json(layout, cache);
        CachedRun.Json(layout, cache);
        Assert.Equal(2L, cache.UnchangedBlobs);

        // Same bytes, another inode: the stamp no longer matches, so the blob is hashed (and found good).
        var blob = LargestBlob(layout);
        File.Copy(blob, blob + ".new");
        File.Move(blob + ".new", blob, overwrite: true);
        Thread.Sleep(TimeSpan.FromMilliseconds(3 * TestMarginNanoseconds / 1_000_000));
        Assert.Equal(expected, CachedRun.Json(layout, cache));
        Assert.Equal((4L, 3L), (cache.Hits, cache.UnchangedBlobs));

        // That hash recorded the copy's stamp: the next run trusts both blobs again.
        Assert.Equal(expected, CachedRun.Json(layout, cache));
        Assert.Equal((6L, 5L), (cache.Hits, cache.UnchangedBlobs));
    }

    [Fact]
    public void Should_not_keep_the_stamp_of_a_file_changed_within_the_margin_before_it_was_read()
    {
        var layout = SettledLayout();
        using var cache = Open();
        cache.RacyMarginNanoseconds = long.MaxValue / 4;
        CachedRun.Json(layout, cache);
        CachedRun.Json(layout, cache);
        Assert.Equal((2L, 0L, 0L), (cache.Hits, cache.UnchangedBlobs, Stamps(cache)));
    }

    [Fact]
    public void Should_hash_every_blob_again_with_rehash()
    {
        var layout = SettledLayout();
        using var cache = Open();
        CachedRun.Json(layout, cache);
        cache.TrustUnchangedBlobs = false;
        CachedRun.Json(layout, cache);
        Assert.Equal((2L, 0L, 2L), (cache.Hits, cache.UnchangedBlobs, Stamps(cache)));
    }

    [Fact]
    public void Should_stamp_a_docker_archive_member_at_its_offset()
    {
        var archive = Repo.Fixture("debian/minbase.docker.tar");
        using var cache = Open();
        var expected = CachedRun.Json($"docker-archive:{archive}", cache);
        Assert.Equal(expected, CachedRun.Json($"docker-archive:{archive}", cache));
        Assert.Equal(1L, cache.UnchangedBlobs);

        using var connection = new SqliteConnection($"Data Source={cache.FilePath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT file, offset FROM stamps";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(Path.GetFullPath(archive), reader.GetString(0));
        var offset = reader.GetInt64(1);
        Assert.True(offset > 0 && offset % 512 == 0, $"member offset {offset}");
        Assert.False(reader.Read());
    }

    [Fact]
    public void Should_drop_a_damaged_stamp_and_hash_the_blob_instead()
    {
        var layout = SettledLayout();
        using var cache = Open();
        var expected = CachedRun.Json(layout, cache);
        using (var connection = new SqliteConnection($"Data Source={cache.FilePath}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE stamps SET payload = substr(payload, 1, 40) || x'ff' || substr(payload, 42)";
            Assert.Equal(2, command.ExecuteNonQuery());
        }

        Assert.Equal(expected, CachedRun.WithoutCacheWarnings(layout, cache, out var warnings));
        Assert.NotEmpty(warnings);
        Assert.Equal((2L, 0L), (cache.Hits, cache.UnchangedBlobs));
    }

    /// <summary>Alpine 3.20 plus one extra layer, written here and left to settle past the test margin.</summary>
    private string SettledLayout()
    {
        var layout = _dir.File("layout");
        var alpine = File.ReadAllBytes(Repo.CorpusFile("alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz"));
        TestImages.Layout(layout, ("latest", [alpine, TestImages.ExtraLayer(_dir)]));
        Thread.Sleep(TimeSpan.FromMilliseconds(3 * TestMarginNanoseconds / 1_000_000));
        return layout;
    }

    private LayerCache Open()
    {
        var cache = LayerCache.Open(_dir.File("cache"));
        cache.RacyMarginNanoseconds = TestMarginNanoseconds;
        return cache;
    }

    private static string LargestBlob(string layout)
        => Directory.GetFiles(Path.Combine(layout, "blobs", "sha256")).OrderByDescending(f => new FileInfo(f).Length).First();

    private static long Stamps(LayerCache cache)
    {
        using var connection = new SqliteConnection($"Data Source={cache.FilePath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM stamps";
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>The stamp is the open handle's file, not whatever the path names later.</summary>
    [Fact]
    public void Should_stamp_the_open_file_not_whatever_its_path_names_later()
    {
        var path = _dir.File("f");
        File.WriteAllText(path, "one");
        using var handle = File.OpenHandle(path);
        var before = FileStamp.Of(handle, path, 0, 3)!;
        File.Delete(path);
        File.WriteAllText(path, "two");
        var after = FileStamp.Of(handle, path, 0, 3)!;
        using var other = File.OpenHandle(path);
        var replacement = FileStamp.Of(other, path, 0, 3)!;

        // The unlink changed the old inode's ctime (its link count), so even the handle's stamp no longer matches.
        Assert.Equal(before.Inode, after.Inode);
        Assert.False(before.SameFileAs(after));
        Assert.NotEqual(before.Inode, replacement.Inode);
    }
}
