using Footprint.Sources.Registry;
using Footprint.Tests.TestSupport;

namespace Footprint.Tests.Sources.Registry;

/// <summary>`--keep-blobs` writing: a blob is kept only when committed, and temporary files of dead processes are swept.</summary>
public sealed class BlobKeeperTests : IDisposable
{
    private const string Digest = "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Should_keep_a_blob_only_once_committed()
    {
        var keep = _dir.File("blobs");
        using (var keeper = BlobKeeper.Start(keep, Digest)!)
        {
            keeper.Write("hel"u8);
            keeper.Write("lo"u8);
            Assert.False(File.Exists(BlobKeeper.PathOf(keep, Digest)));
            Assert.Single(Directory.GetFiles(Path.Combine(keep, "sha256"), "*.partial"));
            keeper.Commit();
        }

        Assert.Equal("hello", File.ReadAllText(BlobKeeper.PathOf(keep, Digest)));
        Assert.Empty(Directory.GetFiles(Path.Combine(keep, "sha256"), "*.partial"));

        // Not committed (cut, mismatched): nothing is kept and nothing is left.
        var other = "sha256:" + new string('a', 64);
        using (var keeper = BlobKeeper.Start(keep, other)!)
        {
            keeper.Write("hel"u8);
        }

        Assert.False(File.Exists(BlobKeeper.PathOf(keep, other)));
        Assert.Empty(Directory.GetFiles(Path.Combine(keep, "sha256"), "*.partial"));
    }

    [Fact]
    public void Should_sweep_the_temporary_files_of_processes_that_are_gone_and_only_those()
    {
        var keep = _dir.File("blobs");
        var dir = Path.Combine(keep, "sha256");
        Directory.CreateDirectory(dir);
        // A pid above the kernel's maximum (4194304) is never running.
        var dead = Path.Combine(dir, $".{new string('b', 64)}.4194399.{Guid.NewGuid():N}.partial");
        var alive = Path.Combine(dir, $".{new string('c', 64)}.1.{Guid.NewGuid():N}.partial");
        var kept = Path.Combine(dir, new string('d', 64));
        foreach (var f in new[] { dead, alive, kept })
        {
            File.WriteAllText(f, "x");
        }

        BlobKeeper.SweepAbandoned(keep);

        Assert.False(File.Exists(dead));
        Assert.True(File.Exists(alive));
        Assert.True(File.Exists(kept));
    }

    [Fact]
    public void Should_not_use_a_kept_copy_that_does_not_hash_to_its_digest_and_delete_it()
    {
        var keep = _dir.File("blobs");
        var path = BlobKeeper.PathOf(keep, Digest);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "hellO");
        Assert.Null(KeptBlobStream.TryOpen(keep, Digest, 5));
        Assert.False(File.Exists(path));

        // Another size than the manifest gives is damage too (the digest fixes the content).
        File.WriteAllText(path, "hello");
        Assert.Null(KeptBlobStream.TryOpen(keep, Digest, 6));
        Assert.False(File.Exists(path));

        File.WriteAllText(path, "hello");
        using var stream = KeptBlobStream.TryOpen(keep, Digest, 5)!;
        using var reader = new StreamReader(stream);
        Assert.Equal("hello", reader.ReadToEnd());
    }
}
