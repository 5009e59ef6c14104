using Footprint.FileSystem;
using Footprint.Formats;

namespace Footprint.Store;

/// <summary>
/// A layer's <see cref="FileTree"/> as bytes and back: every node as the read built it (name, kind, mode, ids, time
/// with its offset, link target, extended attributes, implicit directories, children in insertion order, which the
/// layer merge depends on), the file data shared by hard links (sizes, tar offset, link count), the whiteouts and
/// opaque directories, and the layer's warnings. The layer index and the blob's location are not stored: the same
/// layer sits at another index, under another name, in another image; they are put back from the request.
/// </summary>
internal static class TreeCodec
{
    /// <summary>Bump when the encoding, or what a read puts in a tree, changes: old rows are then ignored.</summary>
    public const int FormatVersion = 4;

    /// <summary>Stands for the blob's location in stored warnings (a NUL cannot occur in a path or message read from a tar).</summary>
    private const string LocationToken = "\0layer\0";

    private const byte FlagImplicit = 1;
    private const byte FlagLinkTarget = 2;
    private const byte FlagXattrs = 4;
    private const byte FlagData = 8;

    /// <summary>Writes the tree; <paramref name="dataIds"/> receives each reachable file data's id (its position in the data table).</summary>
    public static void Encode(PayloadWriter w, FileTree tree, IReadOnlyList<FsWarning> warnings, string location, Dictionary<FileData, int> dataIds)
    {
        // File data first, in the order the pre-order walk below meets it, so a node refers to it by position.
        var datas = new List<FileData>();
        var stack = new Stack<FsNode>();
        stack.Push(tree.Root);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            if (node.Data is { } data && dataIds.TryAdd(data, datas.Count))
            {
                datas.Add(data);
            }

            if (node.Children is { } children)
            {
                // Reversed onto the stack, popped in insertion order.
                foreach (var child in children.Reverse())
                {
                    stack.Push(child);
                }
            }
        }

        w.Count(tree.EntryCount);
        w.Bool(tree.RootIsImplicit);
        w.Strings(tree.Whiteouts);
        w.Strings(tree.OpaqueDirectories);
        w.Count(warnings.Count);
        foreach (var warning in warnings)
        {
            w.String(warning.Code);
            w.String(Hide(warning.Message, location));
            w.String(Hide(warning.Source, location));
            w.OptionalString(warning.Path is null ? null : Hide(warning.Path, location));
            w.Bool(warning.Offset is not null);
            w.Signed(warning.Offset ?? 0);
        }

        w.Count(datas.Count);
        foreach (var data in datas)
        {
            w.Count(data.SizeBytes);
            w.Count(data.DataBytes);
            w.Signed(data.Offset);
            w.Signed(data.LinkCount);
        }

        stack.Push(tree.Root);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            var isRoot = ReferenceEquals(node, tree.Root);
            if (!isRoot)
            {
                w.String(node.Name);
                w.Byte((byte)node.Kind);
            }

            WriteNode(w, node, dataIds);
            if (node.Children is { } children)
            {
                w.Count(children.Count);
                foreach (var child in children.Reverse())
                {
                    stack.Push(child);
                }
            }
        }
    }

    /// <summary>Rebuilds the tree at <paramref name="layerIndex"/>; <paramref name="datas"/> are its file data by id.</summary>
    public static FileTree Decode(ref PayloadReader r, int layerIndex, string location, bool interpretWhiteouts, List<FsWarning> warnings, out FileData[] datas)
    {
        var entryCount = r.Length();
        var rootIsImplicit = r.Bool();
        var whiteouts = r.Strings();
        var opaque = r.Strings();
        var warningCount = r.Count(minItemBytes: 5);
        for (var i = 0; i < warningCount; i++)
        {
            var code = r.String();
            var message = Show(r.String(), location);
            var source = Show(r.String(), location);
            var path = r.OptionalString() is { } p ? Show(p, location) : null;
            var hasOffset = r.Bool();
            var offset = r.Signed();
            warnings.Add(new FsWarning(code, message, source, path, hasOffset ? offset : null));
        }

        var tree = new FileTree(layerIndex, location, interpretWhiteouts, warnings);
        tree.Restore(entryCount, rootIsImplicit, whiteouts, opaque);
        datas = new FileData[r.Count(minItemBytes: 4)];
        for (var i = 0; i < datas.Length; i++)
        {
            var size = r.Length();
            var dataBytes = r.Length();
            var offset = r.Signed();
            var linkCount = r.Signed();
            datas[i] = new FileData(size, dataBytes, layerIndex, offset) { LinkCount = PayloadReader.Int32(linkCount, "link count") };
        }

        // Pre-order with an explicit stack of (directory, children still to read): no recursion, whatever the depth.
        ReadNode(ref r, tree.Root, datas, layerIndex);
        var open = new Stack<(FsNode Directory, int Left)>();
        if (tree.Root.Kind != FileKind.Directory)
        {
            throw new CacheCorruptException("the root is not a directory");
        }

        open.Push((tree.Root, r.Count()));
        while (open.Count > 0)
        {
            var (directory, left) = open.Pop();
            if (left == 0)
            {
                continue;
            }

            open.Push((directory, left - 1));
            var name = r.String();
            var kind = (FileKind)r.Byte();
            if (!Enum.IsDefined(kind) || kind == FileKind.HardLink || name.Length == 0)
            {
                throw new CacheCorruptException($"node '{name}' has kind {(int)kind}");
            }

            var node = new FsNode(name, kind);
            ReadNode(ref r, node, datas, layerIndex);
            directory.AddChild(node);
            if (kind == FileKind.Directory)
            {
                open.Push((node, r.Count()));
            }
        }

        if (r.Remaining != 0)
        {
            throw new CacheCorruptException($"{r.Remaining} bytes after the tree");
        }

        return tree;
    }

    private static void WriteNode(PayloadWriter w, FsNode node, Dictionary<FileData, int> dataIds)
    {
        var flags = (byte)((node.Implicit ? FlagImplicit : 0) | (node.LinkTarget is not null ? FlagLinkTarget : 0)
            | (node.Xattrs.Count > 0 ? FlagXattrs : 0) | (node.Data is not null ? FlagData : 0));
        w.Byte(flags);
        w.Signed(node.Mode);
        w.Signed(node.Uid);
        w.Signed(node.Gid);
        var time = node.ModificationTime;
        w.Int64(time.UtcTicks);
        w.Signed((long)time.Offset.TotalMinutes);
        if (node.LinkTarget is { } target)
        {
            w.String(target);
        }

        if (node.Xattrs.Count > 0)
        {
            w.Count(node.Xattrs.Count);
            foreach (var (key, value) in node.Xattrs)
            {
                w.String(key);
                w.Bytes(value);
            }
        }

        if (node.Data is { } data)
        {
            w.Count(dataIds[data]);
        }
    }

    private static void ReadNode(ref PayloadReader r, FsNode node, FileData[] datas, int layerIndex)
    {
        var flags = r.Byte();
        if ((flags & ~(FlagImplicit | FlagLinkTarget | FlagXattrs | FlagData)) != 0)
        {
            throw new CacheCorruptException($"node '{node.Name}' has flags {flags}");
        }

        node.Mode = r.SignedInt32("mode");
        node.Uid = r.Signed();
        node.Gid = r.Signed();
        var ticks = r.Int64();
        var offsetMinutes = r.Signed();
        // The local time (UTC plus the offset) must be representable too, or ToOffset throws.
        if (ticks is < 0 || ticks > DateTimeOffset.MaxValue.UtcTicks || offsetMinutes is < -14 * 60 or > 14 * 60
            || ticks + (offsetMinutes * TimeSpan.TicksPerMinute) < 0 || ticks + (offsetMinutes * TimeSpan.TicksPerMinute) > DateTime.MaxValue.Ticks)
        {
            throw new CacheCorruptException($"node '{node.Name}' has time {ticks} {offsetMinutes}");
        }

        node.ModificationTime = new DateTimeOffset(ticks, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(offsetMinutes));
        node.LayerIndex = layerIndex;
        node.Implicit = (flags & FlagImplicit) != 0;
        if ((flags & FlagLinkTarget) != 0)
        {
            node.LinkTarget = r.String();
        }

        if ((flags & FlagXattrs) != 0)
        {
            var count = r.Count(minItemBytes: 2);
            var xattrs = new Dictionary<string, byte[]>(count, StringComparer.Ordinal);
            for (var i = 0; i < count; i++)
            {
                if (!xattrs.TryAdd(r.String(), r.Bytes().ToArray()))
                {
                    throw new CacheCorruptException($"node '{node.Name}' repeats an extended attribute");
                }
            }

            node.Xattrs = xattrs;
        }

        if ((flags & FlagData) != 0)
        {
            if (node.Kind == FileKind.Directory)
            {
                throw new CacheCorruptException($"directory '{node.Name}' has file data");
            }

            node.Data = datas[r.Index(datas.Length)];
        }
        else if (node.Kind == FileKind.Directory && node.Children is null)
        {
            node.MakeDirectory();
        }
    }

    private static string Hide(string text, string location)
        => location.Length == 0 ? text : text.Replace(location, LocationToken, StringComparison.Ordinal);

    private static string Show(string text, string location) => text.Replace(LocationToken, location, StringComparison.Ordinal);
}
