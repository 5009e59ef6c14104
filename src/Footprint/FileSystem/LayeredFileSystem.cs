using Footprint.Formats;

namespace Footprint.FileSystem;

/// <summary>
/// The layers of an artifact stacked into one view with OCI whiteout semantics. Layer trees stay
/// intact (the all-layers view); <see cref="Squashed"/> is what a container sees.
/// </summary>
public sealed class LayeredFileSystem : IFileSystemView
{
    /// <summary>Linux follows at most 40 symlinks in one lookup (MAXSYMLINKS); so do we, then call it a loop.</summary>
    public const int MaxSymlinkHops = 40;

    private readonly List<FileTree> _layers = [];
    private readonly List<LayerChange> _changes = [];

    private bool _squashedIsLayerZero;

    public LayeredFileSystem()
    {
        Squashed = new FsNode(string.Empty, FileKind.Directory) { Mode = 0b111_101_101, Children = new(StringComparer.Ordinal) };
    }

    /// <summary>The view a container sees (all layers applied).</summary>
    public FsNode Squashed { get; private set; }

    /// <summary>The all-layers view: each layer's own tree.</summary>
    public IReadOnlyList<FileTree> Layers => _layers;

    public IReadOnlyList<LayerChange> Changes => _changes;

    FsNode IFileSystemView.Root => Squashed;

    IEnumerable<(string Path, FsNode Node)> IFileSystemView.Enumerate() => Enumerate(Squashed);

    FsNode? IFileSystemView.Resolve(string path, bool followFinal, out string resolvedPath) => Resolve(Squashed, path, followFinal, out resolvedPath);

    /// <summary>Lookup in the squashed view so far (used for hard links into lower layers).</summary>
    public FsNode? FindSquashed(string path) => FileTree.FindIn(Squashed, path);

    /// <summary>Applies a layer on top: whiteouts and opaque markers first (they only act on lower layers), then its entries.</summary>
    public void Apply(FileTree layer)
    {
        var change = new LayerChange { LayerIndex = layer.LayerIndex };
        if (_layers.Count == 0 && layer.Whiteouts.Count == 0 && layer.OpaqueDirectories.Count == 0)
        {
            // One layer (a rootfs, a directory, the host): the squashed view is that layer's tree.
            // It is only copied if a second layer comes, so a big single tree is never held twice.
            Squashed = layer.Root;
            _squashedIsLayerZero = true;
            foreach (var d in UniqueData(layer.Root))
            {
                change.StoredBytes += d.SizeBytes;
                change.StoredFiles++;
                change.AddedBytes += d.SizeBytes;
                change.AddedFiles++;
            }

            _layers.Add(layer);
            _changes.Add(change);
            return;
        }

        if (_squashedIsLayerZero)
        {
            Squashed = DeepClone(Squashed);
            _squashedIsLayerZero = false;
        }

        var removedSeen = new HashSet<FileData>(ReferenceEqualityComparer.Instance);
        foreach (var dir in layer.OpaqueDirectories)
        {
            if (FileTree.FindIn(Squashed, dir) is { Kind: FileKind.Directory, Children: { } children } node)
            {
                foreach (var child in children.Values)
                {
                    CountRemoved(child, change, removedSeen);
                }

                children.Clear();
            }
        }

        foreach (var path in layer.Whiteouts)
        {
            var parent = FileTree.FindIn(Squashed, ImagePath.Parent(path));
            var name = ImagePath.FileName(path);
            if (parent?.Children is { } siblings && siblings.Remove(name, out var victim))
            {
                CountRemoved(victim, change, removedSeen);
            }
        }

        var storedSeen = new HashSet<FileData>(ReferenceEqualityComparer.Instance);
        if (!layer.RootIsImplicit)
        {
            CopyMetadata(layer.Root, Squashed);
        }

        Merge(layer.Root, Squashed, change, storedSeen);
        _layers.Add(layer);
        _changes.Add(change);
    }

    /// <summary>
    /// Computes waste once every layer is applied: a layer's file is wasted when the final view
    /// no longer shows that very copy (overwritten above, or deleted).
    /// </summary>
    public void Complete()
    {
        var kept = new HashSet<FileData>(ReferenceEqualityComparer.Instance);
        foreach (var (_, node) in Enumerate(Squashed))
        {
            if (node.Data is { } d)
            {
                kept.Add(d);
            }
        }

        for (var i = 0; i < _layers.Count; i++)
        {
            var change = _changes[i];
            change.WastedBytes = 0;
            change.WastedFiles = 0;
            var seen = new HashSet<FileData>(ReferenceEqualityComparer.Instance);
            foreach (var (_, node) in Enumerate(_layers[i].Root))
            {
                if (node.Data is { } d && d.LayerIndex == _layers[i].LayerIndex && seen.Add(d) && !kept.Contains(d))
                {
                    change.WastedBytes += d.SizeBytes;
                    change.WastedFiles++;
                }
            }
        }
    }

    /// <summary>Depth-first walk of a tree, children in ordinal order, yielding image-relative paths.</summary>
    public static IEnumerable<(string Path, FsNode Node)> Enumerate(FsNode root)
    {
        var stack = new Stack<(string, FsNode)>();
        stack.Push((string.Empty, root));
        while (stack.Count > 0)
        {
            var (path, node) = stack.Pop();
            if (path.Length > 0)
            {
                yield return (path, node);
            }

            if (node.Children is { Count: > 0 } children)
            {
                var names = new string[children.Count];
                children.Keys.CopyTo(names, 0);
                Array.Sort(names, StringComparer.Ordinal);
                for (var i = names.Length - 1; i >= 0; i--)
                {
                    stack.Push((ImagePath.Combine(path, names[i]), children[names[i]]));
                }
            }
        }
    }

    /// <summary>
    /// Resolves a path in the squashed view following symlinks, confined to the root: ".." at the root
    /// stays at the root and absolute targets restart at the image root, as a chroot would see them.
    /// Returns null when the path does not exist; throws <see cref="SymlinkLoopException"/> past <see cref="MaxSymlinkHops"/>.
    /// </summary>
    public FsNode? Resolve(string path, bool followFinal = true) => Resolve(Squashed, path, followFinal, out _);

    public static FsNode? Resolve(FsNode root, string path, bool followFinal, out string resolvedPath)
        => Resolve(root, static (dir, name) => dir.GetChild(name), path, followFinal, out resolvedPath);

    /// <summary>Symlink resolution over any tree: <paramref name="child"/> looks one name up in a directory.</summary>
    internal static FsNode? Resolve(FsNode root, Func<FsNode, string, FsNode?> child, string path, bool followFinal, out string resolvedPath)
    {
        var hops = 0;
        var pending = new Stack<string>();
        PushParts(pending, path);
        var trail = new List<FsNode> { root };
        var names = new List<string>();
        resolvedPath = string.Empty;
        while (pending.Count > 0)
        {
            var part = pending.Pop();
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (trail.Count > 1)
                {
                    trail.RemoveAt(trail.Count - 1);
                    names.RemoveAt(names.Count - 1);
                }

                continue;
            }

            var current = trail[^1];
            if (current.Kind != FileKind.Directory)
            {
                return null;
            }

            var next = child(current, part);
            if (next is null)
            {
                return null;
            }

            var isFinal = pending.Count == 0 || AllTrivial(pending);
            if (next.Kind == FileKind.Symlink && (followFinal || !isFinal))
            {
                if (++hops > MaxSymlinkHops)
                {
                    throw new SymlinkLoopException(path, MaxSymlinkHops);
                }

                var target = next.LinkTarget ?? string.Empty;
                if (target.StartsWith('/'))
                {
                    trail.RemoveRange(1, trail.Count - 1);
                    names.Clear();
                }

                PushParts(pending, target);
                continue;
            }

            trail.Add(next);
            names.Add(part);
        }

        resolvedPath = string.Join('/', names);
        return trail[^1];
    }

    private static bool AllTrivial(Stack<string> pending)
    {
        foreach (var p in pending)
        {
            if (p.Length != 0 && p != ".")
            {
                return false;
            }
        }

        return true;
    }

    private static void PushParts(Stack<string> pending, string path)
    {
        var parts = path.Split('/');
        for (var i = parts.Length - 1; i >= 0; i--)
        {
            pending.Push(parts[i]);
        }
    }

    private static void Merge(FsNode upper, FsNode lower, LayerChange change, HashSet<FileData> storedSeen)
    {
        if (upper.Children is null)
        {
            return;
        }

        foreach (var (name, child) in upper.Children)
        {
            var existing = lower.GetChild(name);
            if (child.Kind == FileKind.Directory && existing is { Kind: FileKind.Directory })
            {
                if (!child.Implicit)
                {
                    CopyMetadata(child, existing);
                }

                Merge(child, existing, change, storedSeen);
                continue;
            }

            var clone = DeepClone(child);
            lower.Children![name] = clone;
            foreach (var (_, n) in Enumerate(clone).Prepend((name, clone)))
            {
                if (n.Data is { } d && storedSeen.Add(d))
                {
                    change.StoredBytes += d.SizeBytes;
                    change.StoredFiles++;
                    if (existing is not null && n == clone && existing.Data is not null)
                    {
                        change.ModifiedBytes += d.SizeBytes;
                        change.ModifiedFiles++;
                    }
                    else
                    {
                        change.AddedBytes += d.SizeBytes;
                        change.AddedFiles++;
                    }
                }
            }
        }
    }

    private static IEnumerable<FileData> UniqueData(FsNode root)
    {
        var seen = new HashSet<FileData>(ReferenceEqualityComparer.Instance);
        foreach (var (_, n) in Enumerate(root))
        {
            if (n.Data is { } d && seen.Add(d))
            {
                yield return d;
            }
        }
    }

    private static FsNode DeepClone(FsNode node)
    {
        var copy = node.CloneShallow();
        if (node.Children is { } children)
        {
            copy.Children = new Dictionary<string, FsNode>(children.Count, StringComparer.Ordinal);
            foreach (var (name, child) in children)
            {
                copy.Children[name] = DeepClone(child);
            }
        }

        return copy;
    }

    private static void CopyMetadata(FsNode from, FsNode to)
    {
        to.Mode = from.Mode;
        to.Uid = from.Uid;
        to.Gid = from.Gid;
        to.ModificationTime = from.ModificationTime;
        to.Xattrs = from.Xattrs;
        to.LayerIndex = from.LayerIndex;
    }

    private static void CountRemoved(FsNode victim, LayerChange change, HashSet<FileData> seen)
    {
        foreach (var (_, n) in Enumerate(victim).Prepend((victim.Name, victim)))
        {
            if (n.Data is { } d && seen.Add(d))
            {
                change.RemovedBytes += d.SizeBytes;
                change.RemovedFiles++;
            }
        }
    }
}
