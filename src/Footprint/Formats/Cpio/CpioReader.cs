using Footprint.Formats.Compression;
using System.Text;

namespace Footprint.Formats.Cpio;

/// <summary>
/// Streaming, pull-based reader of one cpio archive (up to and including its TRAILER!!! entry) in the newc, crc,
/// odc and old binary (both byte orders) encodings, over a forward-only stream. Hand-written: the NuGet copy has no
/// cpio reader (SharpCompress reads none; nothing else there handles newc/crc/odc/binary or the kernel's concatenated,
/// separately compressed segments, see <see cref="InitramfsReader"/>).
/// <para>
/// Hard links (newc/crc, as GNU cpio and the kernel's gen_init_cpio write them): all names of an inode share
/// (devmajor, devminor, ino) and have nlink &gt; 1; only the LAST one carries the data, earlier ones have filesize 0.
/// Reading forward, the reader cannot know early which name will carry the data, so it holds back a regular file with
/// nlink &gt; 1 and filesize 0 (at most <see cref="MaxPendingLinkNames"/> names) until a name of the same inode with
/// data arrives: that name is yielded as <see cref="FileKind.Regular"/> with the content, then the held-back names
/// as <see cref="FileKind.HardLink"/> to it. A later name of an inode already yielded is a HardLink at once (the odc
/// and binary formats repeat the data on every name; it is skipped). Names still held back at TRAILER!!! (an inode
/// that is empty) are yielded there: the first as an empty Regular, the others linking to it. The grouping ends at
/// each trailer, as the kernel frees its link table there (init/initramfs.c, do_name).
/// </para>
/// </summary>
public sealed class CpioReader : IEntryReader
{
    /// <summary>Longest name accepted, NUL included: the kernel's PATH_MAX (init/initramfs.c rejects longer ones).</summary>
    public const int MaxNameBytes = 4096;

    /// <summary>Longest symlink target accepted (the kernel's PATH_MAX as well).</summary>
    public const int MaxSymlinkTargetBytes = 4096;

    /// <summary>Bound on hard-link names held back while waiting for the name that carries the data.</summary>
    public const int MaxPendingLinkNames = 16384;

    private const string TrailerName = "TRAILER!!!";

    private readonly ByteSource _source;
    private readonly bool _ownsSource;
    private readonly string _sourceName;
    private readonly long _start;
    private readonly Queue<Output> _queue = new();
    private readonly Dictionary<(long Dev, long DevMinor, long Ino), LinkGroup> _links = new();
    private readonly List<LinkGroup> _linkOrder = [];
    private Output? _current;
    private CpioDataStream? _unread;
    private int _padAfterData;
    private int _pendingNames;
    private bool _opened;
    private bool _finished;
    private bool _disposed;

    /// <summary>The magic a medium is opened on: an ASCII cpio header ("070701", "070702" or "070707") at the start of <paramref name="header"/>.</summary>
    public static bool HasMagic(ReadOnlySpan<byte> header) => CpioProbe.HasMagic(header);

    /// <summary>The probe: one complete ASCII header at the start of <paramref name="header"/> (see <see cref="CpioProbe"/>).</summary>
    public static bool TryProbe(ReadOnlySpan<byte> header, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CpioProbe? probe) => CpioProbe.TryRead(header, out probe);

    /// <param name="stream">The decompressed cpio bytes, read from the current position; never seeked.</param>
    /// <param name="sourceName">Named in every error message.</param>
    /// <param name="leaveOpen">True to leave <paramref name="stream"/> open on dispose.</param>
    public CpioReader(Stream stream, string sourceName, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        _source = new ByteSource(stream, leaveOpen);
        _ownsSource = true;
        _sourceName = sourceName;
        _start = 0;
    }

    /// <summary>Reads from a shared <see cref="ByteSource"/> (the initramfs reader's), stopping exactly after the trailer.</summary>
    internal CpioReader(ByteSource source, string sourceName)
    {
        _source = source;
        _sourceName = sourceName;
        _start = source.Consumed;
    }

    /// <summary>The encoding of the first header; null before the first <see cref="GetNextEntry"/>.</summary>
    public CpioFormat? Format { get; private set; }

    /// <summary>Bytes consumed from the stream so far.</summary>
    public long Position => _source.Consumed - _start;

    /// <summary>Headers read so far, the trailer included (for segment statistics).</summary>
    internal int HeadersRead { get; private set; }

    /// <summary>The nlink field of the current entry's header.</summary>
    internal long CurrentLinkCount => _current?.Nlink ?? 0;

    /// <summary>The filesize field of the current entry's header (what cpio -tv shows, also for hard links).</summary>
    internal long CurrentHeaderFileSize => _current?.HeaderFileSize ?? 0;

    /// <summary>
    /// The next entry, or null after TRAILER!!!. The root ("." or "/") is not yielded; names lose leading "./" and
    /// "/". Unread data of the current entry is skipped (and, for crc archives, verified).
    /// </summary>
    /// <exception cref="FootprintFormatException">Bad magic or field, truncation, crc mismatch, a bound exceeded.</exception>
    public FileEntry? GetNextEntry()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        FinishCurrentData();
        _current = null;
        _opened = false;
        while (true)
        {
            if (_queue.TryDequeue(out Output? queued))
            {
                _current = queued;
                return queued.Entry;
            }

            if (_finished)
            {
                return null;
            }

            ReadOneHeader();
        }
    }

    /// <summary>The current regular file's bytes (an empty stream for other kinds); valid until the next entry.</summary>
    public Stream OpenData()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_current is null)
        {
            throw new InvalidOperationException("No current entry: call GetNextEntry first.");
        }

        if (_opened)
        {
            throw new InvalidOperationException("OpenData was already called for this entry.");
        }

        _opened = true;
        return _current.Entry.Kind == FileKind.Regular && _current.Data is not null ? _current.Data : Stream.Null;
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            if (_ownsSource)
            {
                _source.Dispose();
            }
        }
    }

    private void FinishCurrentData()
    {
        if (_unread is not null)
        {
            _unread.Drain();
            _unread = null;
            SkipBytes(_padAfterData, "padding after data");
            _padAfterData = 0;
        }
    }

    /// <summary>Reads one header with its name (and symlink target), queueing what it yields.</summary>
    private void ReadOneHeader()
    {
        long offset = Position;
        ReadOnlySpan<byte> magic = _source.Peek(6);
        if (magic.IsEmpty)
        {
            throw Error(offset, "archive ends without a TRAILER!!! entry");
        }

        CpioFormat format = CpioHeader.DetectFormat(magic)
            ?? throw Error(offset, $"bad cpio magic {Convert.ToHexString(magic)} (expected 070701, 070702, 070707 or binary 070707)");
        Format ??= format;
        int headerBytes = CpioHeader.HeaderBytes(format);
        ReadOnlySpan<byte> raw = _source.Peek(headerBytes);
        if (raw.Length < headerBytes)
        {
            throw Error(offset, $"archive is truncated inside a {format} header ({raw.Length} of {headerBytes} bytes)");
        }

        CpioHeader header = CpioHeader.Parse(format, raw, out string? badField)
            ?? throw Error(offset, $"malformed {format} header: field {badField} is not a number");
        _source.Skip(headerBytes);
        HeadersRead++;

        if (header.NameSize <= 0 || header.NameSize > MaxNameBytes)
        {
            throw Error(offset, $"name size {header.NameSize} is outside 1..{MaxNameBytes}");
        }

        int nameSize = (int)header.NameSize;
        ReadOnlySpan<byte> nameBytes = _source.Peek(nameSize);
        if (nameBytes.Length < nameSize)
        {
            throw Error(offset, $"archive is truncated inside a name ({nameBytes.Length} of {nameSize} bytes)");
        }

        int nul = nameBytes.IndexOf((byte)0);
        string rawName = Encoding.UTF8.GetString(nul >= 0 ? nameBytes[..nul] : nameBytes);
        _source.Skip(nameSize);
        int align = CpioHeader.Alignment(format);
        SkipBytes(Pad(headerBytes + nameSize, align), "padding after a name");
        int dataPad = (int)Pad(header.FileSize, align);

        if (rawName == TrailerName)
        {
            SkipBytes(header.FileSize, "data of TRAILER!!!");
            SkipBytes(dataPad, "padding after TRAILER!!!");
            FlushPendingLinks();
            _finished = true;
            return;
        }

        FileKind kind = (header.Mode & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0xA000 => FileKind.Symlink,
            0x2000 => FileKind.CharDevice,
            0x6000 => FileKind.BlockDevice,
            0x1000 => FileKind.Fifo,
            0xC000 => FileKind.Socket,
            _ => throw Error(offset, $"'{rawName}': unknown file type in mode 0{Convert.ToString(header.Mode, 8)}"),
        };

        string name = Normalize(rawName);
        string? target = null;
        if (kind == FileKind.Symlink)
        {
            if (header.FileSize > MaxSymlinkTargetBytes)
            {
                throw Error(offset, $"'{rawName}': symlink target of {header.FileSize} bytes exceeds {MaxSymlinkTargetBytes}");
            }

            int targetSize = (int)header.FileSize;
            ReadOnlySpan<byte> targetBytes = _source.Peek(targetSize);
            if (targetBytes.Length < targetSize)
            {
                throw Error(offset, $"archive is truncated inside the target of symlink '{rawName}'");
            }

            // The kernel uses the target as a C string (init/initramfs.c, do_symlink): some writers (Linux's
            // gen_init_cpio) count a trailing NUL in filesize.
            int end = targetBytes.IndexOf((byte)0);
            target = Encoding.UTF8.GetString(end >= 0 ? targetBytes[..end] : targetBytes);
            _source.Skip(targetSize);
            SkipBytes(dataPad, "padding after a symlink target");
        }

        var entry = new FileEntry
        {
            Name = name,
            Kind = kind,
            SizeBytes = kind == FileKind.Regular ? header.FileSize : 0,
            Mode = (int)(header.Mode & 0xFFF),
            Uid = header.Uid,
            Gid = header.Gid,
            LinkTarget = target,
            ModificationTime = DateTimeOffset.FromUnixTimeSeconds(header.Mtime),
            DeviceMajor = kind is FileKind.CharDevice or FileKind.BlockDevice ? header.RdevMajor : 0,
            DeviceMinor = kind is FileKind.CharDevice or FileKind.BlockDevice ? header.RdevMinor : 0,
            Offset = offset,
        };

        CpioDataStream? data = null;
        if (kind != FileKind.Symlink)
        {
            uint? expected = format == CpioFormat.Crc && kind == FileKind.Regular ? (uint)header.Check : null;
            data = new CpioDataStream(_source, header.FileSize, _sourceName, rawName, offset, expected);
            _unread = data;
            _padAfterData = dataPad;
        }

        if (name.Length == 0)
        {
            return; // the root directory itself ("." or "/"); its data, if any, is skipped with the next header
        }

        if (kind == FileKind.Regular && header.Nlink >= 2)
        {
            QueueLinked(entry, header, data!, offset);
            return;
        }

        _queue.Enqueue(new Output(entry, data, header.Nlink, header.FileSize));
    }

    private void QueueLinked(FileEntry entry, CpioHeader header, CpioDataStream data, long offset)
    {
        var key = (header.Dev, header.DevMinor, header.Ino);
        if (!_links.TryGetValue(key, out LinkGroup? group))
        {
            group = new LinkGroup();
            _links[key] = group;
            _linkOrder.Add(group);
        }

        if (group.Resolved is not null)
        {
            _queue.Enqueue(new Output(entry with { Kind = FileKind.HardLink, SizeBytes = 0, LinkTarget = group.Resolved }, null, header.Nlink, header.FileSize));
            return;
        }

        if (header.FileSize == 0)
        {
            if (++_pendingNames > MaxPendingLinkNames)
            {
                throw Error(offset, $"more than {MaxPendingLinkNames} hard-link names wait for the name carrying their data");
            }

            group.Pending.Add((entry, header.Nlink));
            return;
        }

        group.Resolved = entry.Name;
        _queue.Enqueue(new Output(entry, data, header.Nlink, header.FileSize));
        foreach ((FileEntry pending, long nlink) in group.Pending)
        {
            _queue.Enqueue(new Output(pending with { Kind = FileKind.HardLink, SizeBytes = 0, LinkTarget = entry.Name }, null, nlink, 0));
        }

        _pendingNames -= group.Pending.Count;
        group.Pending.Clear();
    }

    private void FlushPendingLinks()
    {
        foreach (LinkGroup group in _linkOrder)
        {
            if (group.Pending.Count == 0)
            {
                continue;
            }

            (FileEntry first, long firstLinks) = group.Pending[0];
            _queue.Enqueue(new Output(first, null, firstLinks, 0));
            foreach ((FileEntry pending, long nlink) in group.Pending.Skip(1))
            {
                _queue.Enqueue(new Output(pending with { Kind = FileKind.HardLink, SizeBytes = 0, LinkTarget = first.Name }, null, nlink, 0));
            }
        }

        _links.Clear();
        _linkOrder.Clear();
        _pendingNames = 0;
    }

    /// <summary>Strips the leading "./" and "/" GNU cpio and find(1) put on names; "." becomes "" (the root).</summary>
    internal static string Normalize(string name)
    {
        int i = 0;
        while (i < name.Length)
        {
            if (name[i] == '/')
            {
                i++;
            }
            else if (name[i] == '.' && (i + 1 == name.Length || name[i + 1] == '/'))
            {
                i++;
            }
            else
            {
                break;
            }
        }

        return name[i..];
    }

    private static long Pad(long length, int align) => (align - (length % align)) % align;

    private void SkipBytes(long count, string what)
    {
        while (count > 0)
        {
            ReadOnlySpan<byte> chunk = _source.Peek((int)Math.Min(count, 1 << 16));
            if (chunk.IsEmpty)
            {
                throw Error(Position, $"archive is truncated: {what} ends {count} bytes early");
            }

            _source.Skip(chunk.Length);
            count -= chunk.Length;
        }
    }

    private FootprintFormatException Error(long offset, string message) => new(_sourceName, offset, message);

    private sealed record Output(FileEntry Entry, CpioDataStream? Data, long Nlink, long HeaderFileSize);

    private sealed class LinkGroup
    {
        public string? Resolved { get; set; }

        public List<(FileEntry Entry, long Nlink)> Pending { get; } = [];
    }
}
