using Footprint.FileSystem;
using Footprint.Pipeline;
using Footprint.Sources;
using Footprint.Store;
using Footprint.Tests.TestSupport;
using Footprint.Walk;
using Microsoft.Data.Sqlite;

namespace Footprint.Tests.Store;

/// <summary>A tree rebuilt from the cache is node for node the tree a fresh read builds.</summary>
public sealed class TreeCodecTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    [Fact]
    public void Should_rebuild_every_node_as_the_read_built_it()
    {
        var alpine = File.ReadAllBytes(Repo.CorpusFile("alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz"));
        var layout = TestImages.Layout(_dir.File("oci"), ("latest", [alpine, TestImages.ExtraLayer(_dir)]));
        IAnalyzer[] analyzers = [new Needs("bin", ContentNeed.Inspect), new Needs("etc", ContentNeed.Whole), new Needs("usr", ContentNeed.Head)];
        var options = new LayerReadOptions { HashFiles = true };
        var fresh = Dump(layout, null, analyzers, options);
        using var cache = LayerCache.Open(_dir.File("cache"));

        Dump(layout, cache, analyzers, options);
        var rebuilt = Dump(layout, cache, analyzers, options);

        Assert.Equal(2, cache.Hits);
        Assert.Equal(fresh, rebuilt);

        // The extra layer's hard link, symlink, whiteout and opaque directory are in the dump that matched.
        Assert.Contains("links=2", rebuilt[1], StringComparison.Ordinal);
        Assert.Contains("-> ../local/bin/true-copy", rebuilt[1], StringComparison.Ordinal);
        Assert.Contains("whiteouts bin/ls", rebuilt[1], StringComparison.Ordinal);
        Assert.Contains("opaque var/opaque", rebuilt[1], StringComparison.Ordinal);
        Assert.Contains(" elf {", rebuilt[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Should_derive_a_smaller_need_from_a_larger_capture()
    {
        var alpine = File.ReadAllBytes(Repo.CorpusFile("alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz"));
        var layout = TestImages.Layout(_dir.File("oci"), ("latest", [alpine]));
        using var cache = LayerCache.Open(_dir.File("cache"));
        IAnalyzer[] whole = [new Needs("lib", ContentNeed.Whole, "whole-reader"), new Needs("lib", ContentNeed.Head, "head-reader")];
        IAnalyzer[] head = [new Needs("lib", ContentNeed.Head, "head-reader")];

        Dump(layout, cache, whole, new LayerReadOptions());
        var fromCache = Dump(layout, cache, head, new LayerReadOptions());

        Assert.Equal(1, cache.Hits);
        Assert.Equal(Dump(layout, null, head, new LayerReadOptions()), fromCache);
    }

    private static List<string> Dump(string layout, ILayerCache? cache, IAnalyzer[] analyzers, LayerReadOptions options)
    {
        var warnings = new List<FsWarning>();
        using var source = ArtifactOpener.Open(layout, null, warnings);
        var fs = new ArtifactLoader(analyzers, options) { Cache = cache }.Load(source, warnings);
        return [.. fs.Layers.Select(TreeDump.Of), string.Join('\n', warnings)];
    }

    /// <summary>Wants <paramref name="need"/> of every regular file under a top-level directory.</summary>
    private sealed class Needs(string top, ContentNeed need, string? id = null) : IAnalyzer
    {
        public string Id => id ?? "needs-" + top;

        public int Version => 1;

        public ContentNeed Required(string path, FsNode node)
            => node.Kind == Footprint.Formats.FileKind.Regular && path.StartsWith(top + "/", StringComparison.Ordinal) ? need : ContentNeed.None;

        public void Observe(string path, FsNode node, IFileContent? content)
        {
        }
    }
}
