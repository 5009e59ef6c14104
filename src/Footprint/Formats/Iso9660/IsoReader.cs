using System.Buffers.Binary;
using System.Text;

namespace Footprint.Formats.Iso9660;

/// <summary>
/// Reads ISO 9660 images (ECMA-119 4th edition) with Rock Ridge (SUSP 1.12 / RRIP 1.12), Joliet, El Torito boot
/// catalogs and isohybrid MBR/GPT system areas. Written by hand: no library in our NuGet copy reads ISO 9660 with Rock
/// Ridge (DiscUtils is absent). ISO images need random access (directories point anywhere), so the stream must be
/// seekable; the directory tree is read once, when the reader is built, without the path tables: from the root record
/// down, in on-disk order, parents before children. File data is read lazily through <see cref="OpenData"/> or
/// <see cref="OpenFile"/>. Not thread-safe: streams opened from one reader share its underlying stream.
/// </summary>
public sealed class IsoReader : IEntryReader
{
    private static readonly string[] JolietEscapes = ["%/@", "%/C", "%/E"];

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly IsoImage _image;
    private readonly SuspParser _susp;
    private readonly List<Node> _nodes = [];
    private readonly Dictionary<string, Node> _byPath = new(StringComparer.Ordinal);
    private readonly HashSet<long> _visitedDirectories = [];
    private readonly List<string> _warnings = [];
    private readonly long _volumeBytes;
    private readonly int _suspSkipBytes;
    private long _primaryOffset = IsoConstants.SystemAreaBytes;
    private long _jolietOffset;
    private long _bootRecordOffset;
    private int _index = -1;
    private bool _opened;
    private bool _disposed;

    /// <param name="seekableStream">The whole image; must be readable and seekable.</param>
    /// <param name="sourceName">Named in every error message.</param>
    /// <param name="names">Which name space to present (see <see cref="IsoNames"/>); falls back to plain names when absent.</param>
    /// <param name="leaveOpen">True to leave the stream open on dispose.</param>
    /// <exception cref="FootprintFormatException">Not an ISO 9660 image, or a malformed descriptor, directory or boot catalog.</exception>
    public IsoReader(Stream seekableStream, string sourceName, IsoNames names = IsoNames.Auto, bool leaveOpen = true)
    {
        ArgumentNullException.ThrowIfNull(seekableStream);
        ArgumentNullException.ThrowIfNull(sourceName);
        if (!seekableStream.CanSeek || !seekableStream.CanRead)
        {
            throw new ArgumentException("ISO 9660 needs a readable, seekable stream", nameof(seekableStream));
        }

        _stream = seekableStream;
        _leaveOpen = leaveOpen;
        _image = new IsoImage(seekableStream, sourceName);
        _susp = new SuspParser(_image);

        (byte[] pvd, byte[]? joliet, byte[]? bootRecord) = ReadVolumeDescriptors();
        int blockSize = BinaryPrimitives.ReadUInt16LittleEndian(pvd.AsSpan(128));
        if (blockSize is not (512 or 1024 or 2048))
        {
            throw _image.Error(_primaryOffset + 128, $"unsupported logical block size {blockSize} (512, 1024 or 2048 expected)");
        }

        _image.BlockSize = blockSize;
        long volumeBlocks = BinaryPrimitives.ReadUInt32LittleEndian(pvd.AsSpan(80));
        _volumeBytes = volumeBlocks * blockSize;
        if (_volumeBytes > _image.LengthBytes)
        {
            _warnings.Add($"volume space is {_volumeBytes} bytes but the image has only {_image.LengthBytes}: reading what exists");
        }

        // Rock Ridge is announced by SP in the root's "." record (SUSP 5.3) and an ER naming RRIP, or RRIP entries there.
        RecordRef primaryRoot = ReadRootRecord(pvd, _primaryOffset + 156);
        SystemUseInfo rootUse = ReadRootSystemUse(primaryRoot);
        bool hasRockRidge = rootUse.HasSp && (rootUse.HasRripExtension || rootUse.HasRripEntries);
        _suspSkipBytes = rootUse.SkipBytes;
        bool hasJoliet = joliet is not null;

        IsoNames used = names switch
        {
            IsoNames.Auto => hasRockRidge ? IsoNames.RockRidge : hasJoliet ? IsoNames.Joliet : IsoNames.Plain,
            IsoNames.RockRidge => hasRockRidge ? IsoNames.RockRidge : IsoNames.Plain,
            IsoNames.Joliet => hasJoliet ? IsoNames.Joliet : IsoNames.Plain,
            _ => IsoNames.Plain,
        };
        NamesUsed = used;
        Volume = new IsoVolumeInfo(
            Text(pvd, 8, 32), Text(pvd, 40, 32), Text(pvd, 318, 128), Text(pvd, 574, 128), volumeBlocks, blockSize,
            IsoTime.ReadLong(pvd.AsSpan(813, 17)), hasJoliet, hasRockRidge, used);

        RecordRef root = used == IsoNames.Joliet ? ReadRootRecord(joliet!, _jolietOffset + 156) : primaryRoot;
        _visitedDirectories.Add(root.DataOffset);
        WalkDirectory(root, string.Empty, 1);
        MarkHardLinks();

        Partitions = HybridPartitionTable.Read(_image);
        BootEntries = bootRecord is null ? [] : ElToritoCatalog.Read(_image, bootRecord, _bootRecordOffset, ImagePathAt);
    }

    /// <summary>What the primary volume descriptor says, and which names are in use.</summary>
    public IsoVolumeInfo Volume { get; }

    /// <summary>The magic a medium is opened on: "CD001" at 32769 of <paramref name="header"/>, the image's first bytes.</summary>
    public static bool HasMagic(ReadOnlySpan<byte> header) => IsoProbe.HasMagic(header);

    /// <summary>The probe: a primary volume descriptor first, stating a plausible size (see <see cref="IsoProbe"/>).</summary>
    public static bool TryProbe(ReadOnlySpan<byte> header, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IsoProbe? probe) => IsoProbe.TryRead(header, out probe);

    /// <summary>The El Torito boot images, initial/default entry first; empty without a boot record.</summary>
    public IReadOnlyList<ElToritoEntry> BootEntries { get; }

    /// <summary>MBR and GPT partitions of an isohybrid system area (first 32 KiB), including ones appended after the volume.</summary>
    public IReadOnlyList<HybridPartition> Partitions { get; }

    /// <summary>Problems that did not stop reading (e.g. the image is shorter than its volume space).</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    private IsoNames NamesUsed { get; }

    /// <inheritdoc/>
    public FileEntry? GetNextEntry()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _opened = false;
        if (_index + 1 >= _nodes.Count)
        {
            _index = _nodes.Count;
            return null;
        }

        return _nodes[++_index].Entry;
    }

    /// <summary>The current regular file's bytes (multi-extent files concatenated); an empty stream for other kinds.</summary>
    /// <exception cref="FootprintFormatException">An extent lies beyond the end of the image.</exception>
    public Stream OpenData()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_index < 0 || _index >= _nodes.Count)
        {
            throw new InvalidOperationException("No current entry: call GetNextEntry first.");
        }

        if (_opened)
        {
            throw new InvalidOperationException("OpenData was already called for this entry.");
        }

        _opened = true;
        Node node = _nodes[_index];
        return node.Entry.Kind == FileKind.Regular ? Open(node) : Stream.Null;
    }

    /// <summary>Finds a file by its path in the names in use ("boot/core.gz"; a leading "/" is ignored).</summary>
    public bool TryGetFile(string path, out IsoFile file)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (_byPath.TryGetValue(path.Trim('/'), out Node? node))
        {
            file = node.File;
            return true;
        }

        file = null!;
        return false;
    }

    /// <summary>A seekable read-only stream over the file's extents (valid while the reader's stream is open).</summary>
    /// <exception cref="FootprintFormatException">An extent lies beyond the end of the image.</exception>
    public Stream OpenFile(IsoFile file)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(file);
        return new IsoExtentStream(_image, file.Path, file.Extents, file.SizeBytes);
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            if (!_leaveOpen)
            {
                _stream.Dispose();
            }
        }
    }

    private Stream Open(Node node) => new IsoExtentStream(_image, node.File.Path, node.File.Extents, node.File.SizeBytes);

    private string? ImagePathAt(long offsetBytes)
    {
        foreach (Node n in _nodes)
        {
            if (n.File.Extents.Count > 0 && n.File.Extents[0].OffsetBytes == offsetBytes && n.Entry.Kind is FileKind.Regular)
            {
                return n.File.Path;
            }
        }

        return null;
    }

    // ---- volume descriptors --------------------------------------------------------------------------------------

    private (byte[] Primary, byte[]? Joliet, byte[]? BootRecord) ReadVolumeDescriptors()
    {
        byte[]? primary = null, joliet = null, boot = null;
        for (int i = 0; i < IsoConstants.MaxVolumeDescriptors; i++)
        {
            long offset = IsoConstants.SystemAreaBytes + ((long)i * IsoConstants.SectorBytes);
            if (offset + IsoConstants.SectorBytes > _image.LengthBytes)
            {
                throw _image.Error(offset, i == 0
                    ? "not an ISO 9660 image: too short for a volume descriptor at 32768"
                    : "truncated volume descriptor set (no terminator before the end of the image)");
            }

            byte[] d = _image.ReadExactly(offset, IsoConstants.SectorBytes, "volume descriptor");
            if (!d.AsSpan(1, IsoProbe.Magic.Length).SequenceEqual(IsoProbe.Magic))
            {
                throw _image.Error(offset + 1, i == 0
                    ? "not an ISO 9660 image: no \"CD001\" at 32769"
                    : "volume descriptor without \"CD001\" before the set terminator");
            }

            switch (d[0])
            {
                case IsoConstants.TypeTerminator:
                    return primary is null
                        ? throw _image.Error(offset, "no primary volume descriptor before the set terminator")
                        : (primary, joliet, boot);
                case IsoConstants.TypePrimary:
                    if (primary is null)
                    {
                        primary = d;
                        _primaryOffset = offset;
                    }

                    break;
                case IsoConstants.TypeSupplementary when joliet is null && IsJoliet(d):
                    joliet = d;
                    _jolietOffset = offset;
                    break;
                case IsoConstants.TypeBootRecord when boot is null && Text(d, 7, 32) == "EL TORITO SPECIFICATION":
                    boot = d;
                    _bootRecordOffset = offset;
                    break;
            }
        }

        throw _image.Error(IsoConstants.SystemAreaBytes, $"no volume descriptor set terminator in the first {IsoConstants.MaxVolumeDescriptors} descriptors");
    }

    private static bool IsJoliet(byte[] d)
    {
        string escapes = Encoding.Latin1.GetString(d, 88, 32);
        return JolietEscapes.Any(e => escapes.Contains(e, StringComparison.Ordinal));
    }

    private static string Text(byte[] d, int offset, int length) => Encoding.ASCII.GetString(d, offset, length).TrimEnd(' ', '\0');

    private RecordRef ReadRootRecord(byte[] descriptor, long recordOffset)
    {
        ReadOnlySpan<byte> r = descriptor.AsSpan(156, 34);
        if (r[0] < IsoConstants.MinDirectoryRecordBytes)
        {
            throw _image.Error(recordOffset, $"root directory record length {r[0]} (34 expected)");
        }

        return RecordRef.Parse(r, recordOffset, _image.BlockSize);
    }

    private SystemUseInfo ReadRootSystemUse(RecordRef root)
    {
        CheckDirectoryExtent(root, "/");
        int length = (int)Math.Min(root.SizeBytes, IsoConstants.SectorBytes);
        byte[] sector = _image.ReadExactly(root.DataOffset, length, "root directory");
        if (length < IsoConstants.MinDirectoryRecordBytes || sector[0] < IsoConstants.MinDirectoryRecordBytes || sector[0] > length)
        {
            throw _image.Error(root.DataOffset, "root directory does not start with a valid \".\" record");
        }

        int recordLength = sector[0];
        int nameLength = sector[32];
        int suaStart = 33 + nameLength + ((nameLength & 1) == 0 ? 1 : 0);
        if (suaStart >= recordLength)
        {
            return new SystemUseInfo();
        }

        return _susp.Parse(sector.AsSpan(suaStart, recordLength - suaStart), root.DataOffset + suaStart);
    }

    // ---- directory walk ------------------------------------------------------------------------------------------

    private void CheckDirectoryExtent(RecordRef dir, string path)
    {
        long end = dir.DataOffset + dir.SizeBytes;
        if (dir.SizeBytes > IsoConstants.MaxDirectoryBytes)
        {
            throw _image.Error(dir.RecordOffset, $"directory '/{path.TrimStart('/')}' of {dir.SizeBytes} bytes (at most {IsoConstants.MaxDirectoryBytes})");
        }

        if (end > _volumeBytes)
        {
            throw _image.Error(dir.RecordOffset, $"directory '/{path.TrimStart('/')}' extent [{dir.DataOffset}, {end}) lies outside the volume ({_volumeBytes} bytes)");
        }

        if (end > _image.LengthBytes)
        {
            throw _image.Error(dir.DataOffset, $"directory '/{path.TrimStart('/')}' extent [{dir.DataOffset}, {end}) lies beyond the end of the image ({_image.LengthBytes} bytes)");
        }
    }

    private List<RawRecord> ReadDirectoryRecords(RecordRef dir, string path)
    {
        CheckDirectoryExtent(dir, path);
        byte[] data = _image.ReadExactly(dir.DataOffset, (int)dir.SizeBytes, $"directory '/{path}'");
        var records = new List<RawRecord>();
        for (int sector = 0; sector < data.Length; sector += IsoConstants.SectorBytes)
        {
            int end = Math.Min(sector + IsoConstants.SectorBytes, data.Length);
            int pos = sector;
            while (pos < end)
            {
                int len = data[pos];
                if (len == 0)
                {
                    break; // the rest of the sector is padding (ECMA-119 6.8.1.1)
                }

                long at = dir.DataOffset + pos;
                if (len < IsoConstants.MinDirectoryRecordBytes)
                {
                    throw _image.Error(at, $"directory record length {len} in '/{path}' (at least {IsoConstants.MinDirectoryRecordBytes})");
                }

                if (pos + len > end)
                {
                    throw _image.Error(at, $"directory record in '/{path}' crosses the end of its sector");
                }

                int nameLength = data[pos + 32];
                if (nameLength == 0 || 33 + nameLength > len)
                {
                    throw _image.Error(at, $"directory record name length {nameLength} in '/{path}' does not fit its record ({len} bytes)");
                }

                bool dot = nameLength == 1 && data[pos + 33] is 0 or 1;
                if (!dot)
                {
                    records.Add(new RawRecord(data, pos, len, at, RecordRef.Parse(data.AsSpan(pos, len), at, _image.BlockSize)));
                }

                pos += len;
            }
        }

        return records;
    }

    private void WalkDirectory(RecordRef dir, string prefix, int depth)
    {
        List<RawRecord> records = ReadDirectoryRecords(dir, prefix);
        for (int i = 0; i < records.Count; i++)
        {
            RawRecord first = records[i];
            RawRecord last = first;
            List<RecordRef>? parts = null;
            if ((first.Ref.Flags & IsoConstants.FlagMultiExtent) != 0 && (first.Ref.Flags & IsoConstants.FlagDirectory) == 0)
            {
                // ECMA-119 6.5.1: a file recorded in several extents has one record per extent, consecutive, all but the last flagged.
                parts = [first.Ref];
                while ((last.Ref.Flags & IsoConstants.FlagMultiExtent) != 0)
                {
                    if (++i >= records.Count)
                    {
                        throw _image.Error(last.Offset, $"multi-extent file in '/{prefix}' has no final record");
                    }

                    last = records[i];
                    parts.Add(last.Ref);
                    if (parts.Count > IsoConstants.MaxExtentsPerFile)
                    {
                        throw _image.Error(last.Offset, $"multi-extent file with more than {IsoConstants.MaxExtentsPerFile} extents");
                    }
                }
            }

            if ((first.Ref.Flags & IsoConstants.FlagAssociated) != 0)
            {
                continue; // associated files (Mac resource forks) are not part of the file tree
            }

            SystemUseInfo? rr = NamesUsed == IsoNames.RockRidge ? ParseSystemUse(first) : null;
            if (rr is { Relocated: true } || rr is { NameIsDotOrDotDot: true })
            {
                continue; // RE: shown at its CL placeholder; mkisofs also marks rr_moved itself with RE
            }

            string name = NameOf(first, rr);
            string path = prefix.Length == 0 ? name : prefix + "/" + name;
            if (_nodes.Count >= IsoConstants.MaxEntries)
            {
                throw _image.Error(first.Offset, $"more than {IsoConstants.MaxEntries} entries");
            }

            RecordRef target = first.Ref;
            SystemUseInfo? attributes = rr;
            bool isDirectory = (first.Ref.Flags & IsoConstants.FlagDirectory) != 0;
            if (rr?.ChildLocation is { } child)
            {
                // CL: a placeholder file for a directory relocated elsewhere; its attributes are in the "." record there.
                (target, attributes) = ReadRelocated(child, first.Offset, path);
                attributes.Name = rr.Name;
                isDirectory = true;
            }

            FileEntry entry = BuildEntry(path, isDirectory, target, attributes, first.Offset, parts);
            IReadOnlyList<IsoExtent> extents = entry.Kind == FileKind.Regular ? ExtentsOf(parts ?? [target], first.Offset, path) : [];
            var node = new Node(entry, new IsoFile(path, entry.SizeBytes, extents, entry), rr?.Inode, rr?.Links ?? 1);
            if (!_byPath.TryAdd(path, node))
            {
                throw _image.Error(first.Offset, $"duplicate name '/{path}'");
            }

            _nodes.Add(node);
            if (entry.Kind == FileKind.Directory)
            {
                if (depth >= IsoConstants.MaxDepth)
                {
                    throw _image.Error(first.Offset, $"directories nested deeper than {IsoConstants.MaxDepth} at '/{path}'");
                }

                if (!_visitedDirectories.Add(target.DataOffset))
                {
                    throw _image.Error(first.Offset, $"directory loop: '/{path}' points to extent {target.DataOffset} already read");
                }

                WalkDirectory(target, path, depth + 1);
            }
        }
    }

    private (RecordRef Target, SystemUseInfo Attributes) ReadRelocated(uint block, long placeholderOffset, string path)
    {
        long offset = (long)block * _image.BlockSize;
        if (offset + IsoConstants.MinDirectoryRecordBytes > Math.Min(_volumeBytes, _image.LengthBytes))
        {
            throw _image.Error(placeholderOffset, $"relocated directory '/{path}' (CL block {block}) lies outside the image");
        }

        byte[] head = _image.ReadExactly(offset, (int)Math.Min(IsoConstants.SectorBytes, _image.LengthBytes - offset), "relocated directory");
        int len = head[0];
        if (len < IsoConstants.MinDirectoryRecordBytes || len > head.Length || head[32] != 1 || head[33] != 0)
        {
            throw _image.Error(offset, $"relocated directory '/{path}' does not start with a \".\" record");
        }

        var raw = new RawRecord(head, 0, len, offset, RecordRef.Parse(head.AsSpan(0, len), offset, _image.BlockSize));
        if (raw.Ref.DataOffset != offset)
        {
            throw _image.Error(offset, $"relocated directory '/{path}': its \".\" record points elsewhere");
        }

        return (raw.Ref, ParseSystemUse(raw));
    }

    private SystemUseInfo ParseSystemUse(RawRecord r)
    {
        int nameLength = r.Data[r.Start + 32];
        int start = 33 + nameLength + ((nameLength & 1) == 0 ? 1 : 0) + _suspSkipBytes;
        if (start >= r.Length)
        {
            return new SystemUseInfo();
        }

        return _susp.Parse(r.Data.AsSpan(r.Start + start, r.Length - start), r.Offset + start);
    }

    private string NameOf(RawRecord r, SystemUseInfo? rr)
    {
        int nameLength = r.Data[r.Start + 32];
        ReadOnlySpan<byte> raw = r.Data.AsSpan(r.Start + 33, nameLength);
        string name;
        if (rr?.Name is { } rrName)
        {
            name = rrName;
        }
        else if (NamesUsed == IsoNames.Joliet)
        {
            name = StripVersion(Encoding.BigEndianUnicode.GetString(raw[..(raw.Length & ~1)]));
        }
        else
        {
            name = StripVersion(Encoding.Latin1.GetString(raw));
        }

        if (name.Length == 0 || name is "." or ".." || name.Contains('/') || name.Contains('\0'))
        {
            throw _image.Error(r.Offset, $"invalid file name \"{name.Replace("\0", "\\0")}\"");
        }

        return name;
    }

    /// <summary>"NAME.EXT;1" -> "NAME.EXT", "README.;1" -> "README" (ECMA-119 7.5: the version follows ';').</summary>
    private static string StripVersion(string name)
    {
        int semicolon = name.LastIndexOf(';');
        if (semicolon >= 0)
        {
            name = name[..semicolon];
        }

        return name.Length > 1 && name.EndsWith('.') ? name[..^1] : name;
    }

    private FileEntry BuildEntry(string path, bool isDirectory, RecordRef record, SystemUseInfo? rr, long offset, List<RecordRef>? parts)
    {
        FileKind kind;
        int mode;
        int major = 0, minor = 0;
        string? link = null;
        if (rr?.Mode is { } st)
        {
            kind = (st & 0xF000) switch
            {
                0x4000 => FileKind.Directory,
                0xA000 => FileKind.Symlink,
                0x2000 => FileKind.CharDevice,
                0x6000 => FileKind.BlockDevice,
                0x1000 => FileKind.Fifo,
                0xC000 => FileKind.Socket,
                _ => FileKind.Regular,
            };
            mode = (int)(st & 0xFFF);
        }
        else
        {
            kind = isDirectory ? FileKind.Directory : rr?.SymlinkTarget is not null ? FileKind.Symlink : FileKind.Regular;
            mode = 0x16D; // 0555: what libisofs presents for files and directories without Rock Ridge
        }

        if (isDirectory != (kind == FileKind.Directory))
        {
            throw _image.Error(offset, $"'/{path}': Rock Ridge mode and the directory flag disagree");
        }

        if (kind == FileKind.Symlink)
        {
            link = rr?.SymlinkTarget ?? throw _image.Error(offset, $"symlink '/{path}' has no Rock Ridge SL entry");
        }

        if (kind is FileKind.CharDevice or FileKind.BlockDevice && rr?.DeviceHigh is { } high)
        {
            // RRIP 4.1.2: high and low halves of a dev_t; writers on Linux put the whole (glibc) dev_t in the low half.
            uint low = rr.DeviceLow;
            if (high == 0)
            {
                major = (int)((low >> 8) & 0xFFF);
                minor = (int)((low & 0xFF) | ((low >> 12) & 0xFFF00));
            }
            else
            {
                major = (int)(high & 0x7FFFFFFF);
                minor = (int)(low & 0x7FFFFFFF);
            }
        }

        long size = 0;
        if (kind == FileKind.Regular)
        {
            foreach (RecordRef p in parts ?? [record])
            {
                size += p.SizeBytes;
            }
        }

        return new FileEntry
        {
            Name = path,
            Kind = kind,
            SizeBytes = size,
            Mode = mode,
            Uid = rr?.Mode is null ? 0 : rr.Uid,
            Gid = rr?.Mode is null ? 0 : rr.Gid,
            LinkTarget = link,
            ModificationTime = rr?.ModificationTime ?? record.RecordingTime ?? DateTimeOffset.UnixEpoch,
            DeviceMajor = major,
            DeviceMinor = minor,
            Offset = offset,
        };
    }

    /// <summary>
    /// File data: each part's extent, or for an interleaved file (ECMA-119 6.4.3) its file units without the gaps.
    /// Checked here, in the directory walk, whatever the names in use: an extent that lies past the end of the image, or
    /// parts that add up to more than the whole image, are an error naming the file and the offset. Checked only when
    /// the data was read, a damaged record would fail in a plain image (its files are 0555, so analyzers open them) and
    /// pass silently in a Rock Ridge one (a 0644 file nobody opens), counted at the size it claims.
    /// </summary>
    private List<IsoExtent> ExtentsOf(List<RecordRef> parts, long offset, string path)
    {
        List<IsoExtent> extents = UncheckedExtentsOf(parts, offset, path);
        long total = 0;
        foreach (IsoExtent e in extents)
        {
            if (e.OffsetBytes > _image.LengthBytes || e.LengthBytes > _image.LengthBytes - e.OffsetBytes)
            {
                throw _image.Error(e.OffsetBytes, $"'/{path}': extent [{e.OffsetBytes}, {e.OffsetBytes + e.LengthBytes}) lies beyond the end of the image ({_image.LengthBytes} bytes)");
            }

            total += e.LengthBytes;
        }

        if (total > _image.LengthBytes)
        {
            throw _image.Error(offset, $"'/{path}': its {extents.Count} extents hold {total} bytes, more than the whole image ({_image.LengthBytes} bytes)");
        }

        return extents;
    }

    private List<IsoExtent> UncheckedExtentsOf(List<RecordRef> parts, long offset, string path)
    {
        var extents = new List<IsoExtent>();
        foreach (RecordRef p in parts)
        {
            if (p.SizeBytes == 0)
            {
                continue;
            }

            if (p.FileUnitSize == 0 && p.InterleaveGap == 0)
            {
                extents.Add(new IsoExtent(p.DataOffset, p.SizeBytes));
                continue;
            }

            if (p.FileUnitSize == 0)
            {
                throw _image.Error(offset, $"'/{path}': interleave gap {p.InterleaveGap} with a file unit size of 0");
            }

            long unitBytes = (long)p.FileUnitSize * _image.BlockSize;
            long stride = unitBytes + ((long)p.InterleaveGap * _image.BlockSize);
            long remaining = p.SizeBytes;
            for (long at = p.DataOffset; remaining > 0; at += stride)
            {
                if (extents.Count >= IsoConstants.MaxExtentsPerFile)
                {
                    throw _image.Error(offset, $"'/{path}': interleaved file with more than {IsoConstants.MaxExtentsPerFile} file units");
                }

                long n = Math.Min(unitBytes, remaining);
                extents.Add(new IsoExtent(at, n));
                remaining -= n;
            }
        }

        return extents;
    }

    /// <summary>
    /// Rock Ridge hard links: non-directories with more than one link sharing a PX serial number (RRIP 1.12), or without
    /// one, sharing a data extent. The first name in walk order stays Regular; later ones become HardLink to it.
    /// </summary>
    private void MarkHardLinks()
    {
        if (NamesUsed != IsoNames.RockRidge)
        {
            return;
        }

        var first = new Dictionary<(bool ByInode, long Key), Node>();
        for (int i = 0; i < _nodes.Count; i++)
        {
            Node n = _nodes[i];
            if (n.Links <= 1 || n.Entry.Kind == FileKind.Directory)
            {
                continue;
            }

            (bool, long) key;
            if (n.Inode is { } ino && ino != 0)
            {
                key = (true, ino);
            }
            else if (n.Entry.Kind == FileKind.Regular && n.File.Extents.Count > 0)
            {
                key = (false, n.File.Extents[0].OffsetBytes);
            }
            else
            {
                continue;
            }

            if (!first.TryAdd(key, n))
            {
                Node target = first[key];
                if (target.Entry.Kind != n.Entry.Kind)
                {
                    continue;
                }

                FileEntry linked = n.Entry with { Kind = FileKind.HardLink, LinkTarget = target.Entry.Name, SizeBytes = 0 };
                _nodes[i] = n with { Entry = linked, File = n.File with { Entry = linked } };
                _byPath[n.File.Path] = _nodes[i];
            }
        }
    }

    private sealed record Node(FileEntry Entry, IsoFile File, uint? Inode, uint Links);

    private readonly record struct RawRecord(byte[] Data, int Start, int Length, long Offset, RecordRef Ref);
}
