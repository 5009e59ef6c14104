using Footprint.Formats;

namespace Footprint.FileSystem;

/// <summary>
/// One path of a file tree (a layer's tree or the squashed view). A tree holds one node per path, millions on a
/// big image, so the node is kept small (72 bytes on 64-bit): what only some nodes have (a symlink target,
/// extended attributes, disk facts, ids beyond 32 bits) lives in a side object, a file's data and a directory's
/// children share one field, and the time is kept as ticks.
/// </summary>
public sealed class FsNode
{
    /// <summary>Marks a uid or gid that does not fit 32 bits and is kept in <see cref="NodeExtras"/>.</summary>
    private const uint IdInExtras = uint.MaxValue;

    /// <summary>A regular file's <see cref="FileData"/>, or a directory's <see cref="ChildTable"/>; never both.</summary>
    private object? _payload;
    private NodeExtras? _extras;
    private long _mtimeUtcTicks;
    private uint _uid;
    private uint _gid;
    private int _mode;
    private int _layerIndex;
    private short _mtimeOffsetMinutes;
    private byte _kind;
    private bool _implicit;

    internal FsNode(string name, FileKind kind)
    {
        Name = name;
        Kind = kind;
    }

    public string Name { get; }

    /// <summary>Kind as seen through the tree: hard links become <see cref="FileKind.Regular"/> sharing <see cref="Data"/>.</summary>
    public FileKind Kind
    {
        get => (FileKind)_kind;
        internal set => _kind = checked((byte)value);
    }

    public int Mode
    {
        get => _mode;
        internal set => _mode = value;
    }

    public long Uid
    {
        get => _uid == IdInExtras ? _extras!.Uid : _uid;
        internal set => _uid = StoreId(value, static (e, v) => e.Uid = v);
    }

    public long Gid
    {
        get => _gid == IdInExtras ? _extras!.Gid : _gid;
        internal set => _gid = StoreId(value, static (e, v) => e.Gid = v);
    }

    public string? LinkTarget
    {
        get => _extras?.LinkTarget;
        internal set
        {
            if (value is not null || _extras is not null)
            {
                Extras().LinkTarget = value;
            }
        }
    }

    public DateTimeOffset ModificationTime
    {
        get => new DateTimeOffset(_mtimeUtcTicks, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(_mtimeOffsetMinutes));
        internal set
        {
            _mtimeUtcTicks = value.UtcTicks;
            _mtimeOffsetMinutes = (short)value.Offset.TotalMinutes;
        }
    }

    public IReadOnlyDictionary<string, byte[]> Xattrs
    {
        get => _extras?.Xattrs ?? FileEntry.EmptyXattrs;
        internal set
        {
            if (value.Count > 0 || _extras is not null)
            {
                Extras().Xattrs = value.Count > 0 ? value : null;
            }
        }
    }

    /// <summary>Regular files only: the inode data, shared among hard links.</summary>
    public FileData? Data
    {
        get => _payload as FileData;
        internal set
        {
            if (value is null)
            {
                if (_payload is FileData)
                {
                    _payload = null;
                }

                return;
            }

            if (_payload is ChildTable)
            {
                throw new InvalidOperationException($"'{Name}' is a directory and cannot hold file data");
            }

            _payload = value;
        }
    }

    /// <summary>The layer whose entry produced this node's metadata.</summary>
    public int LayerIndex
    {
        get => _layerIndex;
        internal set => _layerIndex = value;
    }

    /// <summary>A directory created only because a deeper entry needed it (no entry of its own in this layer).</summary>
    public bool Implicit
    {
        get => _implicit;
        internal set => _implicit = value;
    }

    /// <summary>For a node read from disk: its full path there (content and lookups go to the disk).</summary>
    internal string? DiskPath
    {
        get => _extras?.DiskPath;
        set
        {
            if (value is not null || _extras is not null)
            {
                Extras().DiskPath = value;
            }
        }
    }

    /// <summary>For a directory read from disk (no <see cref="Children"/> kept): bytes its entries take, ext4 dirent sizing.</summary>
    internal long? DirentBytes
    {
        get => _extras?.DirentBytes;
        set
        {
            if (value is not null || _extras is not null)
            {
                Extras().DirentBytes = value;
            }
        }
    }

    /// <summary>Directories only: children by name (ordinal), in the order they were added.</summary>
    internal ChildTable? Children => _payload as ChildTable;

    public IEnumerable<FsNode> ChildNodes => Children ?? Enumerable.Empty<FsNode>();

    public int ChildCount => Children?.Count ?? 0;

    /// <summary>Regular file size (0 for anything else).</summary>
    public long SizeBytes => Data?.SizeBytes ?? 0;

    /// <summary>Gives this (directory) node an empty child table, replacing any it had.</summary>
    internal ChildTable MakeDirectory(int capacity = 0)
    {
        if (_payload is FileData)
        {
            throw new InvalidOperationException($"'{Name}' holds file data and cannot become a directory");
        }

        var table = new ChildTable(capacity);
        _payload = table;
        return table;
    }

    internal FsNode CloneShallow()
    {
        var copy = new FsNode(Name, Kind)
        {
            _mode = _mode,
            _uid = _uid,
            _gid = _gid,
            _mtimeUtcTicks = _mtimeUtcTicks,
            _mtimeOffsetMinutes = _mtimeOffsetMinutes,
            _extras = _extras?.Clone(),
            _payload = _payload as FileData,
            _layerIndex = _layerIndex,
            _implicit = _implicit,
        };
        return copy;
    }

    internal FsNode? GetChild(string name) => Children?.Get(name);

    internal FsNode? GetChild(ReadOnlySpan<char> name) => Children?.Get(name);

    /// <summary>Adds a child, or replaces the child of the same name.</summary>
    internal void AddChild(FsNode child) => Children!.Set(child);

    private NodeExtras Extras() => _extras ??= new NodeExtras();

    private uint StoreId(long value, Action<NodeExtras, long> keep)
    {
        if (value is >= 0 and < IdInExtras)
        {
            return (uint)value;
        }

        keep(Extras(), value);
        return IdInExtras;
    }

    /// <summary>What few nodes have: kept out of the node so the common one stays small.</summary>
    private sealed class NodeExtras
    {
        public string? LinkTarget { get; set; }

        public IReadOnlyDictionary<string, byte[]>? Xattrs { get; set; }

        public string? DiskPath { get; set; }

        public long? DirentBytes { get; set; }

        public long Uid { get; set; }

        public long Gid { get; set; }

        /// <summary>A copy for a cloned node: disk facts belong to the disk's own node and are not copied.</summary>
        public NodeExtras Clone()
        {
            var copy = (NodeExtras)MemberwiseClone();
            copy.DiskPath = null;
            copy.DirentBytes = null;
            return copy;
        }
    }
}
