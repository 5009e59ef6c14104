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

    private readonly Dictionary<(uint, uint, ulong), FileData> _inodes = [];
    private readonly Dictionary<string, FsNode> _directories = new(StringComparer.Ordinal);

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
        // One frame per open directory: its sorted listing and how far the walk got. Only the listings of
        // the current directory's ancestors are held, never a queue of every pending path.
        var frames = new Stack<(string[] Entries, int Next, string Relative)>();
        frames.Push((List(_root), 0, string.Empty));
        while (frames.Count > 0)
        {
            var (entries, next, dir) = frames.Pop();
            if (next >= entries.Length)
            {
                continue;
            }

            frames.Push((entries, next + 1, dir));
            var full = entries[next];
            if (_exclude(full))
            {
                continue;
            }

            var name = Path.GetFileName(full);
            var relative = ImagePath.Combine(dir, name);
            var stat = NativeStat.Stat(full);
            if (stat is null)
            {
                _warnings.Add(new FsWarning("unreadable", "cannot stat (vanished or no permission)", full, "/" + relative, null));
                continue;
            }

            var node = MakeNode(name, full, stat.Value);
            if (node.Kind == FileKind.Directory)
            {
                var children = List(full);
                long dirents = 0;
                foreach (var c in children)
                {
                    dirents += DiskUsageModel.DirentBytes(Path.GetFileName(c));
                }

                node.DirentBytes = dirents;
                yield return (relative, node);
                frames.Push((children, 0, relative));
                continue;
            }

            yield return (relative, node);
        }
    }

    public FsNode? Resolve(string path, bool followFinal, out string resolvedPath)
        => LayeredFileSystem.Resolve(Root, Lookup, path, followFinal, out resolvedPath);

    private FsNode? Lookup(FsNode dir, string name)
    {
        var full = dir.DiskPath == "/" ? "/" + name : dir.DiskPath + "/" + name;
        if (_directories.TryGetValue(full, out var known))
        {
            return known;
        }

        if (_exclude(full) || NativeStat.Stat(full) is not { } stat)
        {
            return null;
        }

        var node = MakeNode(name, full, stat, readXattrs: false);
        if (node.Kind == FileKind.Directory && _directories.Count < MaxCachedDirectories)
        {
            // Lookups after the walk (package file lists: tens of thousands of paths) revisit the same few
            // thousand directories; remember them instead of a statx per path component.
            _directories[full] = node;
        }

        return node;
    }

    private string[] List(string dir)
    {
        try
        {
            var names = System.IO.Directory.GetFileSystemEntries(dir);
            Array.Sort(names, StringComparer.Ordinal);
            return names;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            _warnings.Add(new FsWarning("unreadable", $"cannot list directory: {e.Message}", dir, null, null));
            return [];
        }
    }

    private FsNode MakeNode(string name, string full, NativeStat.Info s, bool readXattrs = true)
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
                if (readXattrs && (s.Mode & 0b001_001_001) != 0 && NativeStat.GetXattr(full, "security.capability") is { } cap)
                {
                    node.Xattrs = new Dictionary<string, byte[]> { ["security.capability"] = cap };
                }

                break;
            case FileKind.Symlink:
                try
                {
                    node.LinkTarget = new FileInfo(full).LinkTarget;
                }
                catch (IOException)
                {
                    node.LinkTarget = null;
                }

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
        if (_inodes.TryGetValue(key, out var shared))
        {
            return shared;
        }

        data.LinkCount = (int)Math.Min(s.LinkCount, int.MaxValue);
        _inodes[key] = data;
        return data;
    }
}
