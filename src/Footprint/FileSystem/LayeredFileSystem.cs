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
        Squashed = new FsNode(string.Empty, FileKind.Directory) { Mode = 0b111_101_101 };
        Squashed.MakeDirectory();
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
                foreach (var child in children)
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
                CountRemoved(victim!, change, removedSeen);
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
        if (_squashedIsLayerZero)
        {
            // One layer and it is the view: every file it stores is shown, nothing is wasted. (Skipping the two
            // sets below matters on a big tree: they held an entry per file, over 100 MB for a million files.)
            _changes[0].WastedBytes = 0;
            _changes[0].WastedFiles = 0;
            return;
        }

        var kept = new HashSet<FileData>(ReferenceEqualityComparer.Instance);
        foreach (var node in Nodes(Squashed))
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
            foreach (var node in Nodes(_layers[i].Root))
            {
                if (node.Data is { } d && d.LayerIndex == _layers[i].LayerIndex && seen.Add(d) && !kept.Contains(d))
                {
                    change.WastedBytes += d.SizeBytes;
                    change.WastedFiles++;
                }
            }
        }
    }

    /// <summary>
    /// Lets go of the bytes captured while the layers streamed past (file heads, whole config and database files: on a
    /// Debian image about 8 MB, kept by the tree for the rest of the run), except those of the files at
    /// <paramref name="keep"/> in every layer, which the per-layer package attribution reads after the walk. Call it once
    /// the walk offered every file to its analyzers. A captured file that was complete and never inspected is inspected
    /// first, so <see cref="FileData.GetElf"/> answers after as it would have before.
    /// </summary>
    public void ReleaseCapturedContent(IEnumerable<string> keep)
    {
        var kept = new HashSet<FileData>(ReferenceEqualityComparer.Instance);
        foreach (var path in keep)
        {
            foreach (var layer in _layers)
            {
                if (layer.Find(path)?.Data is { } data)
                {
                    kept.Add(data);
                }
            }
        }

        // The squashed view shares its file data with the layers; a layer's overwritten or deleted files are only there.
        foreach (var root in _layers.Select(l => l.Root).Prepend(Squashed))
        {
            foreach (var node in Nodes(root))
            {
                if (node.Data is { } data && !kept.Contains(data))
                {
                    data.ReleaseCapturedContent();
                }
            }
        }
    }

    /// <summary>
    /// Depth-first walk of a tree, children in ordinal order, yielding image-relative paths. Each path is built once
    /// from its parent's; the cost is the total length of the paths, which <see cref="ImagePath.MaxComponents"/> and
    /// <see cref="ImagePath.MaxPathBytes"/> bound per entry.
    /// </summary>
    public static IEnumerable<(string Path, FsNode Node)> Enumerate(FsNode root)
    {
        // One frame per directory on the current path (not one per pending child): a child's path is made only when
        // it is visited, so a directory of a million files does not hold a million path strings at once.
        var frames = new Stack<WalkFrame>();
        if (root.Children is { Count: > 0 } rootChildren)
        {
            frames.Push(new WalkFrame(string.Empty, rootChildren.Sorted()));
        }

        while (frames.Count > 0)
        {
            var frame = frames.Peek();
            if (frame.Next == frame.Children.Length)
            {
                frames.Pop();
                continue;
            }

            var node = frame.Children[frame.Next++];
            if (frame.Next == frame.Children.Length)
            {
                // Done with this directory before its last child's subtree: a chain "a/a/.../a" then holds one
                // frame, not one (with its path) per level.
                frames.Pop();
            }

            var path = ImagePath.Combine(frame.Path, node.Name);
            yield return (path, node);
            if (node.Children is { Count: > 0 } children)
            {
                frames.Push(new WalkFrame(path, children.Sorted()));
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
    {
        if (TryResolvePlain(root, path, followFinal, out var plain))
        {
            resolvedPath = plain is null ? string.Empty : path;
            return plain;
        }

        return Resolve(root, static (dir, name) => dir.GetChild(name), path, followFinal, out resolvedPath);
    }

    /// <summary>
    /// The common case of <see cref="Resolve(FsNode, string, bool, out string)"/> without its stacks and strings (the
    /// inventory looks up every path a package lists): a normal path that meets no symlink it must follow. False when
    /// it does, or the path is not normal; then the general walk answers. True with null: the path does not exist.
    /// </summary>
    private static bool TryResolvePlain(FsNode root, string path, bool followFinal, out FsNode? node)
    {
        node = null;
        if (!ImagePath.IsNormal(path))
        {
            return false;
        }

        var current = root;
        var rest = path.AsSpan();
        while (!rest.IsEmpty)
        {
            var slash = rest.IndexOf('/');
            var next = current.Kind == FileKind.Directory ? current.GetChild(slash < 0 ? rest : rest[..slash]) : null;
            if (next is null)
            {
                return true;
            }

            if (next.Kind == FileKind.Symlink && (followFinal || slash >= 0))
            {
                return false;
            }

            current = next;
            rest = slash < 0 ? [] : rest[(slash + 1)..];
        }

        node = current;
        return true;
    }

    /// <summary>Symlink resolution over any tree: <paramref name="child"/> looks one name up in a directory.</summary>
    internal static FsNode? Resolve(FsNode root, Func<FsNode, string, FsNode?> child, string path, bool followFinal, out string resolvedPath)
    {
        var hops = 0;
        var pending = new Stack<string>();

        // Parts still pending other than "" and "." (so "is this the final component?" costs nothing per step:
        // scanning the stack each time made resolving a long path quadratic).
        var significant = PushParts(pending, path);
        var trail = new List<FsNode> { root };
        var names = new List<string>();
        resolvedPath = string.Empty;
        while (pending.Count > 0)
        {
            var part = pending.Pop();
            if (IsTrivial(part))
            {
                continue;
            }

            significant--;

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

            var isFinal = significant == 0;
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

                significant += PushParts(pending, target);
                continue;
            }

            trail.Add(next);
            names.Add(part);
        }

        resolvedPath = string.Join('/', names);
        return trail[^1];
    }

    private static bool IsTrivial(string part) => part.Length == 0 || part == ".";

    /// <summary>Pushes a path's parts so the first pops first; returns how many are not trivial.</summary>
    private static int PushParts(Stack<string> pending, string path)
    {
        var parts = path.Split('/');
        var significant = 0;
        for (var i = parts.Length - 1; i >= 0; i--)
        {
            pending.Push(parts[i]);
            if (!IsTrivial(parts[i]))
            {
                significant++;
            }
        }

        return significant;
    }

    /// <summary>
    /// Lays a layer's tree over the squashed view. Iterative (an explicit stack of directories being merged, visited
    /// in the same depth-first, insertion order as a recursion would): a deep tree must not overflow the thread's stack.
    /// </summary>
    private static void Merge(FsNode upperRoot, FsNode lowerRoot, LayerChange change, HashSet<FileData> storedSeen)
    {
        if (upperRoot.Children is null)
        {
            return;
        }

        var stack = new Stack<(IEnumerator<FsNode> Upper, FsNode Lower)>();
        stack.Push((upperRoot.Children.GetEnumerator(), lowerRoot));
        while (stack.Count > 0)
        {
            var (upper, lower) = stack.Peek();
            if (!upper.MoveNext())
            {
                upper.Dispose();
                stack.Pop();
                continue;
            }

            var child = upper.Current;
            var name = child.Name;
            var existing = lower.GetChild(name);
            if (child.Kind == FileKind.Directory && existing is { Kind: FileKind.Directory })
            {
                if (!child.Implicit)
                {
                    CopyMetadata(child, existing);
                }

                if (child.Children is { } grandChildren)
                {
                    stack.Push((grandChildren.GetEnumerator(), existing));
                }

                continue;
            }

            var clone = DeepClone(child);
            lower.AddChild(clone);
            foreach (var n in Nodes(clone))
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

    /// <summary>
    /// Each file's data once. Only data with several names can be met twice (<see cref="FileData.LinkCount"/> counts
    /// the names, never fewer), so only those are remembered: the set stays small on a tree of a million files.
    /// </summary>
    private static IEnumerable<FileData> UniqueData(FsNode root)
    {
        var seen = new HashSet<FileData>(ReferenceEqualityComparer.Instance);
        foreach (var n in Nodes(root))
        {
            if (n.Data is { } d && (d.LinkCount <= 1 || seen.Add(d)))
            {
                yield return d;
            }
        }
    }

    /// <summary>
    /// A node and every node below it, in no particular order: for sums, where the walk's sorting and path
    /// strings would only cost time and memory.
    /// </summary>
    private static IEnumerable<FsNode> Nodes(FsNode root)
    {
        var stack = new Stack<FsNode>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            yield return node;
            if (node.Children is { } children)
            {
                foreach (var child in children)
                {
                    stack.Push(child);
                }
            }
        }
    }

    /// <summary>Copies a subtree (file data is shared, not copied). Iterative, for the same reason as <see cref="Merge"/>.</summary>
    private static FsNode DeepClone(FsNode node)
    {
        var root = node.CloneShallow();
        var stack = new Stack<(FsNode From, FsNode To)>();
        stack.Push((node, root));
        while (stack.Count > 0)
        {
            var (from, to) = stack.Pop();
            if (from.Children is not { } children)
            {
                continue;
            }

            var copies = to.MakeDirectory(children.Count);
            foreach (var child in children)
            {
                var copy = child.CloneShallow();
                copies.Set(copy);
                stack.Push((child, copy));
            }
        }

        return root;
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
        foreach (var n in Nodes(victim))
        {
            if (n.Data is { } d && seen.Add(d))
            {
                change.RemovedBytes += d.SizeBytes;
                change.RemovedFiles++;
            }
        }
    }

    /// <summary>A directory being walked: its path, its children in order, and the next one to visit.</summary>
    private sealed class WalkFrame(string path, FsNode[] children)
    {
        public string Path { get; } = path;

        public FsNode[] Children { get; } = children;

        public int Next { get; set; }
    }
}
