using Footprint.FileSystem;
using Footprint.Formats;

namespace Footprint.Sources.Directory;

/// <summary>
/// Walks a directory tree (a rootfs on disk, or the running machine) as a stream of entries, without
/// following symlinks or crossing into excluded mounts. Hard links are recognised by (device, inode).
/// Content stays on disk and is opened only when an analyzer asks.
/// </summary>
internal sealed class DirectoryLayerReader : ILayerReader
{
    private const int FileTypeMask = 0xF000;

    private readonly string _root;
    private readonly Func<string, bool> _exclude;
    private readonly List<FsWarning> _warnings;
    private readonly Stack<string> _pending = new();
    private readonly Dictionary<(uint, uint, ulong), string> _inodes = [];
    private IEnumerator<string>? _current;
    private string? _currentFull;

    public DirectoryLayerReader(string root, Func<string, bool> exclude, List<FsWarning> warnings)
    {
        _root = root.TrimEnd('/');
        _exclude = exclude;
        _warnings = warnings;
        _pending.Push(_root.Length == 0 ? "/" : _root);
        RootEntryPending = true;
    }

    public IFileContent? LazyContent => _currentFull is null ? null : new DiskContent(_currentFull);

    private bool RootEntryPending { get; set; }

    public FileEntry? GetNextEntry()
    {
        while (true)
        {
            if (RootEntryPending)
            {
                RootEntryPending = false;
                var root = _pending.Peek();
                if (NativeStat.Stat(root) is { } s)
                {
                    return ToEntry(root, s);
                }

                throw new FootprintFormatException(root, null, "cannot stat the directory");
            }

            if (_current is null || !_current.MoveNext())
            {
                if (_pending.Count == 0)
                {
                    return null;
                }

                var dir = _pending.Pop();
                try
                {
                    var names = System.IO.Directory.GetFileSystemEntries(dir);
                    Array.Sort(names, StringComparer.Ordinal);
                    _current = ((IEnumerable<string>)names).GetEnumerator();
                }
                catch (Exception e) when (e is UnauthorizedAccessException or IOException)
                {
                    _warnings.Add(new FsWarning("unreadable", $"cannot list directory: {e.Message}", dir, Relative(dir), null));
                    _current = null;
                }

                continue;
            }

            var full = _current.Current;
            if (_exclude(full))
            {
                continue;
            }

            var stat = NativeStat.Stat(full);
            if (stat is null)
            {
                _warnings.Add(new FsWarning("unreadable", "cannot stat (vanished or no permission)", full, Relative(full), null));
                continue;
            }

            var entry = ToEntry(full, stat.Value);
            if (entry.Kind == FileKind.Directory)
            {
                _pending.Push(full);
            }

            return entry;
        }
    }

    public Stream OpenData() => _currentFull is null ? Stream.Null : LazyContent!.Open();

    public void Finish()
    {
    }

    public void Dispose() => _current?.Dispose();

    private FileEntry ToEntry(string full, NativeStat.Info s)
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
        var name = Relative(full);
        string? link = null;
        if (kind == FileKind.Regular && s.LinkCount > 1)
        {
            var key = (s.DevMajor, s.DevMinor, s.Inode);
            if (_inodes.TryGetValue(key, out var first))
            {
                kind = FileKind.HardLink;
                link = first;
            }
            else
            {
                _inodes[key] = name;
            }
        }
        else if (kind == FileKind.Symlink)
        {
            try
            {
                link = new FileInfo(full).LinkTarget;
            }
            catch (IOException)
            {
                link = null;
            }
        }

        _currentFull = kind == FileKind.Regular ? full : null;
        IReadOnlyDictionary<string, byte[]> xattrs = FileEntry.EmptyXattrs;
        if (kind == FileKind.Regular && (s.Mode & 0b001_001_001) != 0 && NativeStat.GetXattr(full, "security.capability") is { } cap)
        {
            xattrs = new Dictionary<string, byte[]> { ["security.capability"] = cap };
        }

        return new FileEntry
        {
            Name = name,
            Kind = kind,
            SizeBytes = kind == FileKind.Regular ? s.Size : 0,
            DataBytes = kind == FileKind.Regular ? Math.Min(s.Size, s.Blocks * 512) : null,
            Mode = (int)(s.Mode & 0xFFF),
            Uid = s.Uid,
            Gid = s.Gid,
            LinkTarget = link,
            ModificationTime = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(s.MtimeSeconds, -62135596800L, 253402300799L)),
            Xattrs = xattrs,
            DeviceMajor = (int)s.RdevMajor,
            DeviceMinor = (int)s.RdevMinor,
        };
    }

    private string Relative(string full)
    {
        if (_root.Length == 0)
        {
            return full.TrimStart('/');
        }

        return full.Length <= _root.Length ? string.Empty : full[(_root.Length + 1)..];
    }
}
