using Footprint.Formats;

namespace Footprint.FileSystem;

/// <summary>
/// The files of one layer, as a tree, with the layer's whiteouts kept apart (they act on the layers
/// below, see the OCI image spec, "layer.md", section Whiteouts).
/// </summary>
public sealed class FileTree
{
    /// <summary>Marker file name prefix that deletes the name after it from lower layers.</summary>
    public const string WhiteoutPrefix = ".wh.";

    /// <summary>Marker file that hides everything a lower layer had in this directory.</summary>
    public const string OpaqueMarker = ".wh..wh..opq";

    private readonly List<string> _whiteouts = [];
    private readonly List<string> _opaqueDirectories = [];
    private readonly List<FsWarning> _warnings;
    private readonly bool _interpretWhiteouts;
    private readonly Func<string, FsNode?>? _lowerLookup;

    /// <param name="layerIndex">Position of the layer in its image (0 = base).</param>
    /// <param name="source">Name of the blob or file the entries come from, for warnings.</param>
    /// <param name="interpretWhiteouts">True for image layers; a plain rootfs tarball keeps <c>.wh.</c> names as files.</param>
    /// <param name="warnings">Where problems found while building the tree are recorded.</param>
    /// <param name="lowerLookup">Resolves hard-link targets that live in lower layers (the squashed view so far).</param>
    public FileTree(int layerIndex, string source, bool interpretWhiteouts, List<FsWarning> warnings, Func<string, FsNode?>? lowerLookup = null)
    {
        LayerIndex = layerIndex;
        Source = source;
        _interpretWhiteouts = interpretWhiteouts;
        _warnings = warnings;
        _lowerLookup = lowerLookup;
        Root = new FsNode(string.Empty, FileKind.Directory) { Mode = 0b111_101_101, LayerIndex = layerIndex };
        Root.MakeDirectory();
        RootIsImplicit = true;
    }

    public int LayerIndex { get; }

    public string Source { get; }

    public FsNode Root { get; }

    internal bool RootIsImplicit { get; private set; }

    /// <summary>Paths this layer deletes from the layers below.</summary>
    public IReadOnlyList<string> Whiteouts => _whiteouts;

    /// <summary>Directories whose lower content this layer hides.</summary>
    public IReadOnlyList<string> OpaqueDirectories => _opaqueDirectories;

    /// <summary>Number of entries read into this tree (including markers).</summary>
    public long EntryCount { get; private set; }

    /// <summary>Adds one archive entry. Returns the node created (or null when the entry was a marker or rejected).</summary>
    public FsNode? Add(FileEntry entry)
    {
        EntryCount++;
        var path = ImagePath.Normalize(entry.Name);
        if (path is null)
        {
            Warn("path-traversal", $"entry name '{entry.Name}' climbs out of the root; ignored", entry.Name, entry.Offset);
            return null;
        }

        if (ImagePath.ExceedsLimits(path) is { } tooLong)
        {
            // Skipped with a warning, like a name that climbs out of the root: one hostile or broken entry does not
            // make the rest of the archive unreadable, and the warning says which entry is missing from the figures.
            Warn("path-too-long", $"entry name '{ImagePath.Abbreviate(entry.Name)}' is {tooLong} (Linux PATH_MAX is 4096 bytes); ignored", ImagePath.Abbreviate(entry.Name), entry.Offset);
            return null;
        }

        if (entry.Kind == FileKind.Symlink && entry.LinkTarget is { } linkTarget && ImagePath.IsTooLongLinkTarget(linkTarget))
        {
            Warn("symlink-target-too-long", $"symlink '{ImagePath.Abbreviate(entry.Name)}' has a target of {linkTarget.Length} characters, longer than symlink(2) allows ({ImagePath.MaxLinkTargetBytes} bytes); ignored", ImagePath.Abbreviate(entry.Name), entry.Offset);
            return null;
        }

        if (ImagePath.IsAbsolute(entry.Name))
        {
            Warn("absolute-path", $"entry name '{entry.Name}' is absolute; read as '/{path}' inside the image", entry.Name, entry.Offset);
        }

        if (path.Length == 0)
        {
            if (entry.Kind == FileKind.Directory)
            {
                CopyMetadata(Root, entry);
                RootIsImplicit = false;
            }

            return Root;
        }

        var slash = path.LastIndexOf('/');
        var name = slash < 0 ? path : path[(slash + 1)..];
        var parentPath = slash < 0 ? ReadOnlySpan<char>.Empty : path.AsSpan(0, slash);
        if (_interpretWhiteouts && name.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
        {
            if (name == OpaqueMarker)
            {
                _opaqueDirectories.Add(parentPath.ToString());
                EnsureDirectory(parentPath, entry);
            }
            else
            {
                var hidden = name[WhiteoutPrefix.Length..];
                if (hidden.Length == 0 || hidden == "." || hidden == "..")
                {
                    Warn("bad-whiteout", $"whiteout '{entry.Name}' names nothing", entry.Name, entry.Offset);
                }
                else
                {
                    _whiteouts.Add(ImagePath.Combine(parentPath.ToString(), hidden));
                    EnsureDirectory(parentPath, entry);
                }
            }

            return null;
        }

        var parent = EnsureDirectory(parentPath, entry);
        if (parent is null)
        {
            return null;
        }

        var existing = parent.GetChild(name);
        if (entry.Kind == FileKind.Directory && existing is { Kind: FileKind.Directory })
        {
            // A directory listed twice (or after its children): later metadata wins, children stay.
            CopyMetadata(existing, entry);
            existing.Implicit = false;
            return existing;
        }

        FsNode node;
        if (entry.Kind == FileKind.HardLink)
        {
            var target = ResolveHardLinkTarget(entry);
            if (target is null)
            {
                return null;
            }

            node = new FsNode(name, target.Kind) { Data = target.Data, LinkTarget = target.LinkTarget };
            CopyMetadata(node, entry);
            node.Kind = target.Kind;
            node.LinkTarget = target.LinkTarget;
            node.Mode = target.Mode;
            if (target.Data is { } shared)
            {
                shared.LinkCount++;
            }
        }
        else
        {
            node = new FsNode(name, entry.Kind);
            CopyMetadata(node, entry);
            node.LinkTarget = entry.LinkTarget;
            if (entry.Kind == FileKind.Regular)
            {
                node.Data = new FileData(entry.SizeBytes, entry.DataBytes ?? entry.SizeBytes, LayerIndex, entry.Offset);
            }
            else if (entry.Kind == FileKind.Directory)
            {
                node.MakeDirectory();
            }
        }

        if (existing?.Data is { } replaced)
        {
            replaced.LinkCount--;
        }

        parent.AddChild(node);
        return node;
    }

    /// <summary>
    /// Sets what only reading the entries builds, for a tree rebuilt from the layer cache (Store/TreeCodec): the
    /// nodes are added there directly, this restores the rest so the tree equals the one the read built.
    /// </summary>
    internal void Restore(long entryCount, bool rootIsImplicit, IEnumerable<string> whiteouts, IEnumerable<string> opaqueDirectories)
    {
        EntryCount = entryCount;
        RootIsImplicit = rootIsImplicit;
        _whiteouts.AddRange(whiteouts);
        _opaqueDirectories.AddRange(opaqueDirectories);
    }

    /// <summary>Finds a node by normalized path without following symlinks.</summary>
    public FsNode? Find(string path) => FindIn(Root, path);

    internal static FsNode? FindIn(FsNode root, string path)
    {
        if (path.Length == 0)
        {
            return root;
        }

        var node = root;
        var rest = path.AsSpan();
        while (true)
        {
            var slash = rest.IndexOf('/');
            node = node.GetChild(slash < 0 ? rest : rest[..slash]);
            if (node is null || slash < 0)
            {
                return node;
            }

            rest = rest[(slash + 1)..];
        }
    }

    private FsNode? ResolveHardLinkTarget(FileEntry entry)
    {
        var targetPath = entry.LinkTarget is { } t ? ImagePath.Normalize(t) : null;
        if (targetPath is null)
        {
            Warn("hardlink-outside", $"hard link '{entry.Name}' points outside the root ('{entry.LinkTarget}'); ignored", entry.Name, entry.Offset);
            return null;
        }

        var target = Find(targetPath) ?? _lowerLookup?.Invoke(targetPath);
        if (target is null)
        {
            Warn("hardlink-missing", $"hard link '{entry.Name}' points at '{entry.LinkTarget}', which the archive does not contain; ignored", entry.Name, entry.Offset);
            return null;
        }

        if (target.Kind == FileKind.Directory)
        {
            Warn("hardlink-directory", $"hard link '{entry.Name}' points at directory '{entry.LinkTarget}'; ignored", entry.Name, entry.Offset);
            return null;
        }

        return target;
    }

    /// <summary>
    /// Walks down a normalized directory path, creating missing directories as implicit ones. One pass over the path,
    /// looking each component up by span: no substring is made for a directory that already exists.
    /// </summary>
    private FsNode? EnsureDirectory(ReadOnlySpan<char> path, FileEntry cause)
    {
        var node = Root;
        var rest = path;
        while (rest.Length > 0)
        {
            var slash = rest.IndexOf('/');
            var part = slash < 0 ? rest : rest[..slash];
            rest = slash < 0 ? ReadOnlySpan<char>.Empty : rest[(slash + 1)..];
            var child = node.GetChild(part);
            if (child is null)
            {
                child = new FsNode(part.ToString(), FileKind.Directory)
                {
                    Mode = 0b111_101_101,
                    LayerIndex = LayerIndex,
                    Implicit = true,
                };
                child.MakeDirectory();
                node.AddChild(child);
            }
            else if (child.Kind != FileKind.Directory)
            {
                Warn("not-a-directory", $"'{ImagePath.Abbreviate(cause.Name)}' needs '{ImagePath.Abbreviate(path.ToString())}' to be a directory, but an earlier entry made '{ImagePath.Abbreviate(part.ToString())}' a {child.Kind}; ignored", cause.Name, cause.Offset);
                return null;
            }

            node = child;
        }

        return node;
    }

    private void CopyMetadata(FsNode node, FileEntry entry)
    {
        node.Mode = entry.Mode;
        node.Uid = entry.Uid;
        node.Gid = entry.Gid;
        node.ModificationTime = entry.ModificationTime;
        node.Xattrs = entry.Xattrs;
        node.LayerIndex = LayerIndex;
    }

    private void Warn(string code, string message, string path, long offset)
        => _warnings.Add(new FsWarning(code, message, Source, path, offset));
}
