using Footprint.FileSystem;
using Footprint.Formats;

namespace Footprint.Sources.Directory;

/// <summary>
/// A directory on disk (a rootfs, or the running machine) as the squashed view, read while the walk
/// goes: nodes are made from statx(2) when visited and dropped after, so memory does not grow with
/// the number of files. Symlinks are never followed while walking, mounts in the exclusion set are
/// skipped, and hard links share one <see cref="FileData"/> per (device, inode).
/// </summary>
internal sealed class DiskView : IFileSystemView
{
    private const int FileTypeMask = 0xF000;

    private readonly string _root;
    private readonly Func<string, bool> _exclude;
    private readonly List<FsWarning> _warnings;
    private const int MaxCachedDirectories = 200_000;

    // Lookups after the walk may come from several threads at once (package file lists are resolved in parallel):
    // the node cache is concurrent and the hard-link table is locked.
    private readonly Dictionary<(uint, uint, ulong), FileData> _inodes = [];

    /// <summary>
    /// Nodes handed back by full disk path instead of made again: directories and symlinks met by lookups (at most
    /// <see cref="MaxCachedDirectories"/>) and regular files whose ELF facts the walk read (see <see cref="RememberInspected"/>).
    /// One table, so a lookup that misses hashes its path once.
    /// </summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, FsNode> _known = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (FsNode? Node, string Resolved)> _parents = new(StringComparer.Ordinal);
    private int _cachedDirectories;
    private int _cachedParents;

    public DiskView(string root, Func<string, bool> exclude, List<FsWarning> warnings)
    {
        _root = root.Length > 1 ? root.TrimEnd('/') : root;
        _exclude = exclude;
        _warnings = warnings;
        var stat = NativeStat.Stat(_root) ?? throw new FootprintFormatException(_root, null, "cannot stat the directory");
        Root = MakeNode(string.Empty, _root, stat);
        Root.DirentBytes = List(_root).Sum(n => (long)DiskUsageModel.DirentBytes(Path.GetFileName(n)));
    }

    public FsNode Root { get; }

    public IEnumerable<(string Path, FsNode Node)> Enumerate()
    {
        // One frame per open directory: its sorted, stat'ed listing and how far the walk got. Only the listings of
        // the current directory's ancestors are held (plus a bounded read-ahead), never a queue of every pending path.
        // The walk itself stays on this thread, in sorted order, so the result does not depend on the threads.
        using var prefetch = new DirectoryPrefetcher(Load);
        var frames = new Stack<(DirectoryEntryInfo[] Entries, int Next, string Relative)>();
        var root = prefetch.Get(_root);
        Report(root, _root);
        prefetch.Schedule(Subdirectories(root));
        frames.Push((root.Entries, 0, string.Empty));
        while (frames.Count > 0)
        {
            var (entries, next, dir) = frames.Pop();
            if (next >= entries.Length)
            {
                continue;
            }

            frames.Push((entries, next + 1, dir));
            var entry = entries[next];
            if (entry.Excluded)
            {
                continue;
            }

            var relative = ImagePath.Combine(dir, entry.Name);
            if (entry.Stat is null)
            {
                _warnings.Add(new FsWarning("unreadable", "cannot stat (vanished or no permission)", entry.Full, "/" + relative, null));
                continue;
            }

            var node = entry.Node ?? MakeNode(entry);
            if (node.Kind == FileKind.Directory)
            {
                var listing = prefetch.Get(entry.Full);
                Report(listing, entry.Full);
                prefetch.Schedule(Subdirectories(listing));
                long dirents = 0;
                foreach (var c in listing.Entries)
                {
                    dirents += DiskUsageModel.DirentBytes(c.Name);
                }

                node.DirentBytes = dirents;
                yield return (relative, node);
                frames.Push((listing.Entries, 0, relative));
                continue;
            }

            yield return (relative, node);
            RememberInspected(node);
        }
    }

    /// <summary>
    /// Keeps a regular file whose ELF facts an analyzer asked for during the walk, so lookups after it (the loader's
    /// library search, package file lists, BusyBox applet links) get the same node back: no second statx, no second
    /// read of its headers, and the same <see cref="FileData"/>, so results keyed by it (a BusyBox binary found in the
    /// walk) are found again rather than counted twice. Costs a dictionary entry per ELF file; their nodes and
    /// summaries are held by the analyzers anyway.
    /// </summary>
    private void RememberInspected(FsNode node)
    {
        if (node is { Kind: FileKind.Regular, Data: { Inspected: true } data, DiskPath: { } full } && data.GetElf() is not null)
        {
            _known[full] = node;
        }
    }

    /// <remarks>
    /// Package file lists ask for 140k paths on a host, a few hundred per directory: a plain path (no empty, "." or
    /// ".." component) has its directory resolved once and remembered, and only its last name is looked up. What the
    /// general resolution would do differently (a final symlink to follow, a loop) is left to it.
    /// </remarks>
    public FsNode? Resolve(string path, bool followFinal, out string resolvedPath)
    {
        var slash = path.LastIndexOf('/');
        if (!IsPlain(path) || ParentOf(path.AsSpan(0, Math.Max(0, slash))) is not { } parent)
        {
            return LayeredFileSystem.Resolve(Root, Lookup, path, followFinal, out resolvedPath);
        }

        resolvedPath = string.Empty;
        if (parent.Node is not { Kind: FileKind.Directory } dir)
        {
            return null;
        }

        var name = path[(slash + 1)..];
        var node = Lookup(dir, name);
        if (node is null)
        {
            return null;
        }

        if (node.Kind == FileKind.Symlink && followFinal)
        {
            return LayeredFileSystem.Resolve(Root, Lookup, path, followFinal, out resolvedPath);
        }

        resolvedPath = ResolvedChild(path, slash, parent.Resolved);
        return node;
    }

    /// <summary>
    /// The directory <paramref name="parent"/> resolved with every symlink followed, as the general resolution leaves
    /// it before a path's last name; null when that resolution throws (a loop: the caller resolves the whole path, so
    /// the exception names it) or too many are remembered.
    /// </summary>
    private (FsNode? Node, string Resolved)? ParentOf(ReadOnlySpan<char> parent)
    {
        if (parent.IsEmpty)
        {
            return (Root, string.Empty);
        }

        var lookup = _parents.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(parent, out var known))
        {
            return known;
        }

        if (Volatile.Read(ref _cachedParents) >= MaxCachedDirectories)
        {
            return null;
        }

        try
        {
            var key = parent.ToString();
            var (node, resolved) = Below(lookup, key) is { } below ? below : (LayeredFileSystem.Resolve(Root, Lookup, key, followFinal: true, out var general), general);
            if (_parents.TryAdd(key, (node, resolved)))
            {
                Interlocked.Increment(ref _cachedParents);
            }

            return (node, resolved);
        }
        catch (SymlinkLoopException)
        {
            return null;
        }
    }

    /// <summary>
    /// <paramref name="parent"/> (a plain path) resolved one step from its own parent when that is remembered as a
    /// directory and its last name is a directory too: where the general resolution would be after the same names,
    /// without walking them again from the root (it did, for each of the 14k directories a host's lists name). Null for
    /// anything else (a symlink to follow, a missing name), which the general resolution handles.
    /// </summary>
    private (FsNode? Node, string Resolved)? Below(System.Collections.Concurrent.ConcurrentDictionary<string, (FsNode? Node, string Resolved)>.AlternateLookup<ReadOnlySpan<char>> lookup, string parent)
    {
        var slash = parent.LastIndexOf('/');
        var above = slash < 0 ? ((FsNode?)Root, string.Empty) : lookup.TryGetValue(parent.AsSpan(0, slash), out var known) ? known : default;
        if (above.Item1 is not { Kind: FileKind.Directory } dir || Lookup(dir, parent[(slash + 1)..]) is not { Kind: FileKind.Directory } node)
        {
            return null;
        }

        return (node, ResolvedChild(parent, slash, above.Item2));
    }

    /// <summary>A relative path whose every component is a name: not empty, not "." or "..".</summary>
    private static bool IsPlain(string path) => path.Length > 0 && ImagePath.IsNormal(path);

    /// <summary>
    /// The resolution of <paramref name="path"/> whose directory (the part before <paramref name="slash"/>) resolved to
    /// <paramref name="parentResolved"/>: the path itself when that directory resolved to itself (no symlink on the
    /// way, the common case), without making a string.
    /// </summary>
    private static string ResolvedChild(string path, int slash, string parentResolved)
    {
        var parentLength = Math.Max(0, slash);
        if (parentResolved.Length == parentLength && path.AsSpan(0, parentLength).SequenceEqual(parentResolved))
        {
            return path;
        }

        // Only here is the name cut out: the common case above makes no string at all.
        var name = path[(slash + 1)..];
        return parentResolved.Length == 0 ? name : parentResolved + "/" + name;
    }

    private FsNode? Lookup(FsNode dir, string name)
    {
        var full = dir.DiskPath == "/" ? "/" + name : dir.DiskPath + "/" + name;
        if (_known.TryGetValue(full, out var known))
        {
            return known;
        }

        // As Probe without capabilities, minus its entry record: this runs once per path a package lists.
        if (_exclude(full) || NativeStat.Stat(full) is not { } stat)
        {
            return null;
        }

        var node = MakeNode(name, full, stat, (stat.Mode & FileTypeMask) == 0xA000 ? LinkTargetByPath(full) : null);
        if (node.Kind is FileKind.Directory or FileKind.Symlink && Volatile.Read(ref _cachedDirectories) < MaxCachedDirectories)
        {
            // Lookups after the walk (package file lists: tens of thousands of paths) revisit the same few
            // thousand directories, and the symlinks to them (/bin -> usr/bin on a merged /usr: every path listed
            // under /bin); remember them instead of a statx per path component. Two producers looking the same
            // directory up at once both get the node that was remembered, so a directory is one node to everyone.
            var first = _known.GetOrAdd(full, node);
            if (ReferenceEquals(first, node))
            {
                Interlocked.Increment(ref _cachedDirectories);
            }

            return first;
        }

        return node;
    }

    private string[] List(string dir)
    {
        var (names, error) = TryList(dir);
        if (error is not null)
        {
            _warnings.Add(new FsWarning("unreadable", error, dir, null, null));
        }

        return names;
    }

    private static (string[] Names, string? Error) TryList(string dir)
    {
        try
        {
            var names = System.IO.Directory.GetFileSystemEntries(dir);
            Array.Sort(names, StringComparer.Ordinal);
            return (names, null);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return ([], $"cannot list directory: {e.Message}");
        }
    }

    /// <summary>Lists and stats one directory; runs on the prefetch threads, so it only reads (warnings come later, in walk order).</summary>
    private DirectoryListing Load(string dir)
    {
        using var handle = NativeDirectory.OpenDirectory(dir);
        var names = handle is null ? null : NativeDirectory.ReadNames(handle);
        if (handle is null || names is null)
        {
            // Unreadable: listed the slower way, whose exception message is what the warning quotes.
            return LoadByPath(dir);
        }

        names.Sort(StringComparer.Ordinal);
        var prefix = dir == "/" ? dir : dir + "/";
        var entries = new DirectoryEntryInfo[names.Count];
        for (var i = 0; i < entries.Length; i++)
        {
            var name = names[i];
            var full = prefix + name;
            entries[i] = _exclude(full) ? new DirectoryEntryInfo(full, name, true, null, null, null) : Prepare(ProbeAt(handle, full, name));
        }

        return new DirectoryListing(entries, null);
    }

    /// <summary>
    /// Makes the entry's node on the listing thread, so the walk's own thread only hands nodes to analyzers. (Reading
    /// the ELF facts there too was tried: a listing then took as long as its slowest binaries, and the walk, waiting for
    /// it, lost more than the workers saved it.)
    /// </summary>
    private DirectoryEntryInfo Prepare(DirectoryEntryInfo entry)
    {
        if (entry.Stat is not null)
        {
            entry.Node = MakeNode(entry);
        }

        return entry;
    }

    /// <summary>As <see cref="Load"/>, by full paths through .NET's enumeration (for a directory that could not be opened).</summary>
    private DirectoryListing LoadByPath(string dir)
    {
        var (names, error) = TryList(dir);
        var entries = new DirectoryEntryInfo[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            var full = names[i];
            var name = Path.GetFileName(full);
            entries[i] = _exclude(full) ? new DirectoryEntryInfo(full, name, true, null, null, null) : Prepare(Probe(full, name, readXattrs: true));
        }

        return new DirectoryListing(entries, error);
    }

    /// <summary>As <see cref="Probe"/> for an entry of an open directory: stat'ed and its link read relative to it.</summary>
    private static DirectoryEntryInfo ProbeAt(Microsoft.Win32.SafeHandles.SafeFileHandle directory, string full, string name)
    {
        if (NativeStat.StatAt(directory, name) is not { } s)
        {
            return new DirectoryEntryInfo(full, name, false, null, null, null);
        }

        string? target = null;
        byte[]? capability = null;
        switch (s.Mode & FileTypeMask)
        {
            case 0x8000 when (s.Mode & 0b001_001_001) != 0:
                capability = NativeStat.GetXattr(full, "security.capability");
                break;
            case 0xA000:
                target = NativeDirectory.ReadLink(directory, name, out var tooLong);
                if (tooLong)
                {
                    target = LinkTargetByPath(full);
                }

                break;
        }

        return new DirectoryEntryInfo(full, name, false, s, target, capability);
    }

    private void Report(DirectoryListing listing, string dir)
    {
        if (listing.Error is { } error)
        {
            _warnings.Add(new FsWarning("unreadable", error, dir, null, null));
        }
    }

    private static List<string> Subdirectories(DirectoryListing listing)
    {
        var dirs = new List<string>();
        foreach (var e in listing.Entries)
        {
            if (e is { Excluded: false, Stat: { } s } && (s.Mode & FileTypeMask) == 0x4000)
            {
                dirs.Add(e.Full);
            }
        }

        return dirs;
    }

    /// <summary>statx, plus the link target of a symlink and (when asked) the capability of an executable regular file.</summary>
    private static DirectoryEntryInfo Probe(string full, string name, bool readXattrs)
    {
        if (NativeStat.Stat(full) is not { } s)
        {
            return new DirectoryEntryInfo(full, name, false, null, null, null);
        }

        string? target = null;
        byte[]? capability = null;
        switch (s.Mode & FileTypeMask)
        {
            case 0x8000 when readXattrs && (s.Mode & 0b001_001_001) != 0:
                capability = NativeStat.GetXattr(full, "security.capability");
                break;
            case 0xA000:
                target = LinkTargetByPath(full);
                break;
        }

        return new DirectoryEntryInfo(full, name, false, s, target, capability);
    }

    private static string? LinkTargetByPath(string full)
    {
        try
        {
            return new FileInfo(full).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private FsNode MakeNode(DirectoryEntryInfo entry)
        => MakeNode(entry.Name, entry.Full, entry.Stat!.Value, entry.LinkTarget, entry.Capability);

    private FsNode MakeNode(string name, string full, NativeStat.Info s, string? linkTarget = null, byte[]? capability = null)
    {
        var kind = (s.Mode & FileTypeMask) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0xA000 => FileKind.Symlink,
            0x2000 => FileKind.CharDevice,
            0x6000 => FileKind.BlockDevice,
            0x1000 => FileKind.Fifo,
            _ => FileKind.Socket,
        };
        var node = new FsNode(name, kind)
        {
            Mode = (int)(s.Mode & 0xFFF),
            Uid = s.Uid,
            Gid = s.Gid,
            ModificationTime = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(s.MtimeSeconds, -62135596800L, 253402300799L)),
            DiskPath = full,
        };
        switch (kind)
        {
            case FileKind.Regular:
                node.Data = DataFor(full, s);
                if (capability is not null)
                {
                    node.Xattrs = new Dictionary<string, byte[]> { ["security.capability"] = capability };
                }

                break;
            case FileKind.Symlink:
                node.LinkTarget = linkTarget;
                break;
        }

        return node;
    }

    private FileData DataFor(string full, NativeStat.Info s)
    {
        // Sparse files occupy fewer blocks than their size; st_blocks is in 512-byte units.
        var data = new FileData(s.Size, Math.Min(s.Size, s.Blocks * 512), 0, 0) { Content = new DiskContent(full) };
        if (s.LinkCount <= 1)
        {
            return data;
        }

        var key = (s.DevMajor, s.DevMinor, s.Inode);
        lock (_inodes)
        {
            if (_inodes.TryGetValue(key, out var shared))
            {
                return shared;
            }

            data.LinkCount = (int)Math.Min(s.LinkCount, int.MaxValue);
            _inodes[key] = data;
            return data;
        }
    }
}
