using Footprint.Formats;

namespace Footprint.FileSystem;

/// <summary>One path of a file tree (a layer's tree or the squashed view).</summary>
public sealed class FsNode
{
    internal FsNode(string name, FileKind kind)
    {
        Name = name;
        Kind = kind;
    }

    public string Name { get; }

    /// <summary>Kind as seen through the tree: hard links become <see cref="FileKind.Regular"/> sharing <see cref="Data"/>.</summary>
    public FileKind Kind { get; internal set; }

    public int Mode { get; internal set; }

    public long Uid { get; internal set; }

    public long Gid { get; internal set; }

    public string? LinkTarget { get; internal set; }

    public DateTimeOffset ModificationTime { get; internal set; }

    public IReadOnlyDictionary<string, byte[]> Xattrs { get; internal set; } = FileEntry.EmptyXattrs;

    /// <summary>Regular files only: the inode data, shared among hard links.</summary>
    public FileData? Data { get; internal set; }

    /// <summary>The layer whose entry produced this node's metadata.</summary>
    public int LayerIndex { get; internal set; }

    /// <summary>A directory created only because a deeper entry needed it (no entry of its own in this layer).</summary>
    public bool Implicit { get; internal set; }

    /// <summary>For a node read from disk: its full path there (content and lookups go to the disk).</summary>
    internal string? DiskPath { get; set; }

    /// <summary>For a directory read from disk (no <see cref="Children"/> kept): bytes its entries take, ext4 dirent sizing.</summary>
    internal long? DirentBytes { get; set; }

    /// <summary>Directories only: children by name (ordinal).</summary>
    internal Dictionary<string, FsNode>? Children { get; set; }

    public IEnumerable<FsNode> ChildNodes => Children?.Values ?? Enumerable.Empty<FsNode>();

    public int ChildCount => Children?.Count ?? 0;

    /// <summary>Regular file size (0 for anything else).</summary>
    public long SizeBytes => Data?.SizeBytes ?? 0;

    internal FsNode CloneShallow()
    {
        var copy = new FsNode(Name, Kind)
        {
            Mode = Mode,
            Uid = Uid,
            Gid = Gid,
            LinkTarget = LinkTarget,
            ModificationTime = ModificationTime,
            Xattrs = Xattrs,
            Data = Data,
            LayerIndex = LayerIndex,
            Implicit = Implicit,
        };
        return copy;
    }

    internal FsNode? GetChild(string name) => Children is { } c && c.TryGetValue(name, out var n) ? n : null;
}
