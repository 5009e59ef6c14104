using System.Buffers.Binary;
using System.Text;

namespace Footprint.Formats.Squashfs;

/// <summary>
/// Reads squashfs 4.0 images (little-endian, as squashfs-tools 4.x and the Linux kernel write them) as a pre-order walk
/// of entries in stored directory order. Written by hand because no library in our NuGet copy reads squashfs.
/// Sources: squashfs-tools <c>squashfs_fs.h</c> and the kernel's Documentation/filesystems/squashfs.rst. Random access
/// is inherent to the format (inodes, directories and data live in separate tables), so the stream must be seekable.
/// </summary>
public sealed class SquashfsReader : IEntryReader
{
    /// <summary>Directory nesting accepted (each level is a directory inode on the current path).</summary>
    private const int MaxDepth = 4096;

    /// <summary>squashfs-tools writes at most 256 entries per directory header (SQUASHFS_DIR_COUNT).</summary>
    private const int MaxEntriesPerHeader = 256;

    private const int DirectoryHeaderBytes = 12;
    private const int DirectoryEntryMinBytes = 9;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly string _sourceName;
    private readonly SquashfsImage _image;
    private readonly SquashfsInodeTable _inodes;
    private readonly SquashfsLookupTable? _fragments;
    private readonly SquashfsXattrTable? _xattrs;
    private readonly long _inodeTableStart;
    private readonly long _inodeTableEnd;
    private readonly long _directoryTableStart;
    private readonly long _directoryTableEnd;
    private readonly Stack<Frame> _stack = new();
    private readonly HashSet<ulong> _visitedDirectories = [];
    private readonly Dictionary<uint, string> _firstNameOfInode = [];
    private readonly HashSet<long> _seenBlockRuns = [];
    private readonly HashSet<uint> _seenFragments = [];
    private readonly HashSet<(uint Fragment, uint Offset)> _seenTails = [];
    private readonly List<(uint Fragment, long Tail)> _duplicateTails = [];
    private readonly Dictionary<uint, int> _fragmentLengths = [];
    private long _fileCount;
    private long _fileBytes;
    private long _storedBytes;
    private long _savedBlockBytes;
    private SquashfsInode? _currentInode;
    private FileEntry? _current;
    private bool _started;
    private bool _disposed;

    /// <param name="stream">A seekable stream holding the image at <paramref name="offset"/> (e.g. squashfs inside an ISO or firmware).</param>
    /// <param name="sourceName">Named in every error message.</param>
    /// <param name="offset">Where the superblock starts in <paramref name="stream"/>.</param>
    /// <param name="leaveOpen">False to dispose <paramref name="stream"/> with the reader.</param>
    /// <exception cref="FootprintFormatException">Not squashfs, an unsupported version ("unsupported: squashfs 2.0 big-endian"), or a malformed superblock or table.</exception>
    public SquashfsReader(Stream stream, string sourceName, long offset = 0, bool leaveOpen = true)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        if (!stream.CanSeek || !stream.CanRead)
        {
            throw new ArgumentException("squashfs needs a readable, seekable stream", nameof(stream));
        }

        _stream = stream;
        _leaveOpen = leaveOpen;
        _sourceName = sourceName;
        long available = stream.Length - offset;
        byte[] head = new byte[SquashfsSuperblock.SizeBytes];
        int got = 0;
        if (offset < 0 || available < 4)
        {
            throw new FootprintFormatException(sourceName, offset, "not a squashfs image: too short for a superblock");
        }

        stream.Position = offset;
        while (got < head.Length && stream.Read(head, got, head.Length - got) is var n && n > 0)
        {
            got += n;
        }

        if (!SquashfsSuperblock.TryRead(head.AsSpan(0, got), out SquashfsSuperblock sb, out string? unsupported))
        {
            throw new FootprintFormatException(sourceName, offset, unsupported ?? "not a squashfs image: no \"hsqs\" magic");
        }

        Superblock = sb;
        Validate(sb, sourceName, offset, available);
        _image = new SquashfsImage(stream, offset, sourceName, sb, sb.BytesUsed);
        _inodeTableStart = (long)sb.InodeTableStart;
        _inodeTableEnd = (long)sb.DirectoryTableStart;
        _directoryTableStart = (long)sb.DirectoryTableStart;
        _directoryTableEnd = LowestTableAbove(sb, _directoryTableStart);
        _inodes = new SquashfsInodeTable(_image, sb, ReadIdTable(sb));
        if (sb.FragmentCount > 0)
        {
            _fragments = new SquashfsLookupTable(_image, (long)sb.FragmentTableStart, sb.FragmentCount, 16, _directoryTableStart, "fragment table");
        }

        if (sb.XattrIdTableStart != SquashfsSuperblock.AbsentTable)
        {
            _xattrs = new SquashfsXattrTable(_image, (long)sb.XattrIdTableStart, _directoryTableStart);
        }

        if (sb.HasFlag(SquashfsSuperblock.FlagCompressorOptions))
        {
            // The compressor options (squashfs.rst "Compression options") sit in one metadata block right after the
            // superblock; they only tune the compressor, so reading the block checks it and nothing else is needed.
            _ = _image.ReadMetadata(SquashfsSuperblock.SizeBytes, SquashfsSuperblock.SizeBytes, _inodeTableStart, "compressor options");
        }
    }

    public SquashfsSuperblock Superblock { get; }

    /// <summary>The root directory's inode as an entry (Name ""), read on the first <see cref="GetNextEntry"/>.</summary>
    public FileEntry? Root { get; private set; }

    /// <summary>Squashfs's size of the root directory (listing bytes + 3), as unsquashfs -ll shows it.</summary>
    public long RootDirectorySizeBytes { get; private set; }

    /// <summary>For the current directory entry: squashfs's directory size (listing bytes + 3); 0 for other kinds.</summary>
    public long CurrentDirectorySizeBytes => _currentInode is { BasicType: 1 } d ? d.FileSize : 0;

    /// <summary>The current entry's inode number.</summary>
    public uint CurrentInodeNumber => _currentInode?.Number ?? 0;

    /// <summary>Compressed bytes of the current regular file's blocks plus its share of its fragment block (0 for other kinds).</summary>
    public long CurrentStoredBytes => _currentInode is { BasicType: 2 } f && _current?.Kind == FileKind.Regular ? StoredBytesOf(f) : 0;

    /// <summary>Data accounting over the regular files walked so far; complete once the walk has ended.</summary>
    public SquashfsDataStats DataStats
    {
        get
        {
            long saved = _savedBlockBytes;
            foreach ((uint fragment, long tail) in _duplicateTails)
            {
                saved += FragmentShare(fragment, tail);
            }

            return new SquashfsDataStats(_fileCount, _fileBytes, _storedBytes, saved);
        }
    }

    /// <summary>The 4.0 little-endian superblock this reader reads, or why not: see <see cref="SquashfsSuperblock.TryRead"/>.</summary>
    public static bool TryReadSuperblock(ReadOnlySpan<byte> head, out SquashfsSuperblock sb, out string? unsupported)
        => SquashfsSuperblock.TryRead(head, out sb, out unsupported);

    /// <summary>The magic a medium is opened on: "hsqs" or "sqsh" at the start of <paramref name="header"/>.</summary>
    public static bool HasMagic(ReadOnlySpan<byte> header) => SquashfsProbe.HasMagic(header);

    /// <summary>The probe: a plausible superblock of any version at the start of <paramref name="header"/> (see <see cref="SquashfsProbe"/>).</summary>
    public static bool TryProbe(ReadOnlySpan<byte> header, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SquashfsProbe? probe)
        => SquashfsProbe.TryRead(header, out probe);

    /// <summary>The next entry in pre-order (parents first, each directory in stored order), or null at the end.</summary>
    /// <exception cref="FootprintFormatException">A malformed table, inode or directory, or a directory loop.</exception>
    public FileEntry? GetNextEntry()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _current = null;
        _currentInode = null;
        if (!_started)
        {
            _started = true;
            StartWalk();
        }

        while (_stack.Count > 0)
        {
            Frame frame = _stack.Peek();
            if (frame.Next >= frame.Entries.Count)
            {
                _stack.Pop();
                continue;
            }

            RawDirectoryEntry raw = frame.Entries[frame.Next++];
            string name = frame.Prefix.Length == 0 ? raw.Name : frame.Prefix + "/" + raw.Name;
            SquashfsInode inode = _inodes.Read(raw.Reference, "inode of '" + name + "'");
            if (inode.BasicType != raw.Type)
            {
                throw _image.Error(inode.Offset, $"'{name}': directory entry says type {raw.Type}, inode says {inode.Type}");
            }

            if (inode.Number != raw.InodeNumber)
            {
                throw _image.Error(inode.Offset, $"'{name}': directory entry says inode {raw.InodeNumber}, inode says {inode.Number}");
            }

            _currentInode = inode;
            _current = BuildEntry(name, inode);
            if (inode.BasicType == 1)
            {
                EnterDirectory(name, raw.Reference, inode);
            }

            return _current;
        }

        return null;
    }

    /// <summary>The current regular file's content (holes read as zeros); an empty stream for other kinds.</summary>
    public Stream OpenData()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_current is null)
        {
            throw new InvalidOperationException("No current entry: call GetNextEntry first.");
        }

        return _current.Kind == FileKind.Regular && _currentInode is { BasicType: 2 } f
            ? new SquashfsFileStream(this, f, _current.Name)
            : Stream.Null;
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            ForgetAhead(_fragmentAhead.Values);
            _fragmentAhead.Clear();
            if (!_leaveOpen)
            {
                _stream.Dispose();
            }
        }
    }

    internal SquashfsImage Image => _image;

    /// <summary>Decompressed bytes of fragment block <paramref name="index"/> (the cache holds the last few).</summary>
    internal (byte[] Data, int Length) ReadFragment(uint index, long errorOffset)
    {
        (long start, uint size) = FragmentEntry(index, errorOffset);
        (byte[] Data, int Length) block;
        _fragmentAhead.Remove(index, out Task<byte[]>? pending);
        if (pending is not null && !_blockCache.ContainsKey((start, size)))
        {
            byte[] data = pending.GetAwaiter().GetResult();
            Remember((start, size), data);
            block = (data, data.Length);
        }
        else
        {
            if (pending is not null)
            {
                ForgetAhead([pending]);
            }

            block = ReadDataBlock(start, size, Superblock.BlockSize, $"fragment {index}");
        }

        PrefetchFragments(index);
        return block;
    }

    // Fragment blocks hold the tails of many files and are asked for in about index order (mksquashfs numbers them as
    // it packs files in directory order, the order the reader yields them): the next few are decompressed on the
    // thread pool while the caller uses this one. On the Debian xz image, fragments were 43% of a measure, all on one core.
    private const int FragmentLookahead = 3;
    private readonly Dictionary<uint, Task<byte[]>> _fragmentAhead = [];

    private void PrefetchFragments(uint index)
    {
        if (Environment.ProcessorCount < 2)
        {
            return;
        }

        if (_fragmentAhead.Count > 2 * FragmentLookahead)
        {
            // Asked for out of order: drop what was read ahead and never used.
            ForgetAhead(_fragmentAhead.Values);
            _fragmentAhead.Clear();
        }

        for (uint next = index + 1; next <= index + FragmentLookahead && next < Superblock.FragmentCount; next++)
        {
            if (_fragmentAhead.ContainsKey(next))
            {
                continue;
            }

            string what = $"fragment {next}";
            long start;
            uint word;
            byte[] raw;
            try
            {
                (start, word) = FragmentEntry(next, 0);
                if (_blockCache.ContainsKey((start, word)))
                {
                    continue;
                }

                raw = ReadRawBlock(start, word, what);
            }
            catch (FootprintFormatException)
            {
                // Not this fragment's problem: that one fails again, with this error, if and when it is read.
                break;
            }

            int blockSize = Superblock.BlockSize;
            _fragmentAhead[next] = Task.Run(() => DecodeRawBlock(raw, start, word, blockSize, what));
        }
    }

    /// <summary>Blocks read ahead and never asked for: let them finish; their errors are not the reader's (never observed).</summary>
    internal static void ForgetAhead(IEnumerable<Task<byte[]>> tasks)
    {
        foreach (Task<byte[]> t in tasks)
        {
            _ = t.ContinueWith(static done => done.Exception, TaskContinuationOptions.OnlyOnFaulted);
        }
    }

    private readonly Dictionary<(long, uint), byte[]> _blockCache = [];
    private readonly Queue<(long, uint)> _blockCacheOrder = new();
    private const int MaxCachedDataBlocks = 8;

    /// <summary>A data block's stored bytes, checked against the size word's bounds (reads the image: caller's thread).</summary>
    internal byte[] ReadRawBlock(long start, uint sizeWord, string what)
    {
        const uint UncompressedBit = 1u << 24;
        int size = (int)(sizeWord & (UncompressedBit - 1));
        if ((sizeWord & ~((UncompressedBit << 1) - 1)) != 0 || size > Superblock.BlockSize + (Superblock.BlockSize >> 2) + 64)
        {
            throw _image.Error(start, $"{what}: bad block size word 0x{sizeWord:x}");
        }

        byte[] raw = new byte[size];
        _image.ReadExactly(start, raw, what);
        return raw;
    }

    /// <summary>Decompresses a block read by <see cref="ReadRawBlock"/>. Touches no shared state, so it may run on another thread.</summary>
    internal byte[] DecodeRawBlock(byte[] raw, long start, uint sizeWord, int maxLength, string what)
    {
        const uint UncompressedBit = 1u << 24;
        if ((sizeWord & UncompressedBit) != 0)
        {
            if (raw.Length > maxLength)
            {
                throw _image.Error(start, $"{what}: uncompressed block of {raw.Length} bytes exceeds the block size {maxLength}");
            }

            return raw;
        }

        byte[] output = new byte[maxLength];
        int n = _image.Decompress(raw, output, start, what);
        return n == output.Length ? output : output.AsSpan(0, n).ToArray();
    }

    /// <summary>A data or fragment block: bit 24 of the size word means stored uncompressed (squashfs_fs.h SQUASHFS_COMPRESSED_BIT_BLOCK).</summary>
    internal (byte[] Data, int Length) ReadDataBlock(long start, uint sizeWord, int maxLength, string what)
    {
        if (_blockCache.TryGetValue((start, sizeWord), out byte[]? hit))
        {
            return (hit, hit.Length);
        }

        byte[] data = DecodeRawBlock(ReadRawBlock(start, sizeWord, what), start, sizeWord, maxLength, what);
        Remember((start, sizeWord), data);
        return (data, data.Length);
    }

    private void Remember((long, uint) key, byte[] data)
    {
        if (_blockCacheOrder.Count >= MaxCachedDataBlocks)
        {
            _blockCache.Remove(_blockCacheOrder.Dequeue());
        }

        _blockCache[key] = data;
        _blockCacheOrder.Enqueue(key);
    }

    private (long Start, uint Size) FragmentEntry(uint index, long errorOffset)
    {
        if (_fragments is null)
        {
            throw _image.Error(errorOffset, $"fragment {index} referenced but the image has no fragment table");
        }

        ReadOnlySpan<byte> e = _fragments.Entry(index, errorOffset);
        ulong start = BinaryPrimitives.ReadUInt64LittleEndian(e);
        uint size = BinaryPrimitives.ReadUInt32LittleEndian(e[8..]);
        if (start > (ulong)_image.ImageBytes)
        {
            throw _image.Error(errorOffset, $"fragment {index} starts at {start}, outside the image");
        }

        return ((long)start, size);
    }

    private static void Validate(SquashfsSuperblock sb, string sourceName, long offset, long available)
    {
        void Fail(string message) => throw new FootprintFormatException(sourceName, offset, "superblock: " + message);

        if (sb.BlockSize < 4096 || sb.BlockSize > (1 << 20) || (sb.BlockSize & (sb.BlockSize - 1)) != 0)
        {
            Fail($"bad block size {sb.BlockSize} (a power of two from 4 KiB to 1 MiB)");
        }

        if (1 << sb.BlockLog != sb.BlockSize)
        {
            Fail($"block_log {sb.BlockLog} does not match the block size {sb.BlockSize}");
        }

        if (sb.BytesUsed < SquashfsSuperblock.SizeBytes || sb.BytesUsed > available)
        {
            Fail($"bytes_used {sb.BytesUsed} is outside [96, {available}] (the bytes after the superblock's offset)");
        }

        if (sb.InodeCount == 0 || sb.InodeCount > sb.BytesUsed)
        {
            Fail($"absurd inode count {sb.InodeCount} for an image of {sb.BytesUsed} bytes");
        }

        if (sb.FragmentCount > sb.BytesUsed)
        {
            Fail($"absurd fragment count {sb.FragmentCount} for an image of {sb.BytesUsed} bytes");
        }

        ulong used = (ulong)sb.BytesUsed;
        if (sb.InodeTableStart < SquashfsSuperblock.SizeBytes || sb.InodeTableStart >= used)
        {
            Fail($"inode table start {sb.InodeTableStart} is outside the image");
        }

        if (sb.DirectoryTableStart <= sb.InodeTableStart || sb.DirectoryTableStart >= used)
        {
            Fail($"directory table start {sb.DirectoryTableStart} is outside [{sb.InodeTableStart}, {used})");
        }

        if (sb.IdTableStart < sb.DirectoryTableStart || sb.IdTableStart >= used)
        {
            Fail($"id table start {sb.IdTableStart} is outside the image");
        }

        if (sb.IdCount == 0)
        {
            Fail("the id table is empty (every image has at least one uid/gid)");
        }

        if (sb.FragmentCount > 0 && (sb.FragmentTableStart < sb.DirectoryTableStart || sb.FragmentTableStart >= used))
        {
            Fail($"fragment table start {sb.FragmentTableStart} is outside the image");
        }

        if (sb.XattrIdTableStart != SquashfsSuperblock.AbsentTable && (sb.XattrIdTableStart < sb.DirectoryTableStart || sb.XattrIdTableStart >= used))
        {
            Fail($"xattr id table start {sb.XattrIdTableStart} is outside the image");
        }

        if (sb.ExportTableStart != SquashfsSuperblock.AbsentTable && (sb.ExportTableStart < sb.DirectoryTableStart || sb.ExportTableStart >= used))
        {
            Fail($"export table start {sb.ExportTableStart} is outside the image");
        }

        if ((sb.RootInodeRef >> 16) >= sb.DirectoryTableStart - sb.InodeTableStart)
        {
            Fail($"root inode reference 0x{sb.RootInodeRef:x} points outside the inode table");
        }
    }

    /// <summary>The directory table ends where the next table (fragment, export, id or xattr) begins.</summary>
    private static long LowestTableAbove(SquashfsSuperblock sb, long start)
    {
        ulong end = (ulong)sb.BytesUsed;
        foreach (ulong t in new[] { sb.FragmentTableStart, sb.ExportTableStart, sb.IdTableStart, sb.XattrIdTableStart })
        {
            if (t != SquashfsSuperblock.AbsentTable && t > (ulong)start && t < end)
            {
                end = t;
            }
        }

        return (long)end;
    }

    private uint[] ReadIdTable(SquashfsSuperblock sb)
    {
        var table = new SquashfsLookupTable(_image, (long)sb.IdTableStart, sb.IdCount, 4, _directoryTableStart, "id table");
        uint[] ids = new uint[sb.IdCount];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = BinaryPrimitives.ReadUInt32LittleEndian(table.Entry(i, (long)sb.IdTableStart));
        }

        return ids;
    }

    private void StartWalk()
    {
        ulong rootRef = Superblock.RootInodeRef;
        SquashfsInode root = _inodes.Read(rootRef, "root inode");
        if (root.BasicType != 1)
        {
            throw _image.Error(root.Offset, $"the root inode is of type {root.Type}, not a directory");
        }

        Root = BuildEntry("", root) with { Name = "" };
        RootDirectorySizeBytes = root.FileSize;
        EnterDirectory("", rootRef, root);
    }

    private void EnterDirectory(string path, ulong reference, SquashfsInode dir)
    {
        if (!_visitedDirectories.Add(reference))
        {
            throw _image.Error(dir.Offset, $"directory loop: '{(path.Length == 0 ? "/" : path)}' reaches directory inode {dir.Number} a second time");
        }

        if (_stack.Count >= MaxDepth)
        {
            throw _image.Error(dir.Offset, $"'{path}': directories nested deeper than {MaxDepth} levels");
        }

        _stack.Push(new Frame(path, ReadDirectory(dir, path)));
    }

    private sealed class Frame(string prefix, List<RawDirectoryEntry> entries)
    {
        public string Prefix { get; } = prefix;

        public List<RawDirectoryEntry> Entries { get; } = entries;

        public int Next { get; set; }
    }

    private readonly record struct RawDirectoryEntry(string Name, int Type, ulong Reference, uint InodeNumber);

    /// <summary>
    /// A directory's listing (squashfs.rst "Directories"): FileSize - 3 bytes at (start block, offset) in the directory
    /// table, as runs of a 12-byte header (count - 1, inode block start, base inode number) and count entries
    /// (offset in that inode block, int16 inode number delta, type, name size - 1, name).
    /// </summary>
    private List<RawDirectoryEntry> ReadDirectory(SquashfsInode dir, string path)
    {
        string what = $"directory '{(path.Length == 0 ? "/" : path)}'";
        var entries = new List<RawDirectoryEntry>();
        long size = dir.FileSize - 3;
        if (size < 0)
        {
            throw _image.Error(dir.Offset, $"{what}: size {dir.FileSize} is less than 3");
        }

        if (size == 0)
        {
            return entries;
        }

        long blockPosition = _directoryTableStart + dir.DirectoryStartBlock;
        if (size > (_directoryTableEnd - _directoryTableStart) * ((SquashfsImage.MetadataBlockBytes / 3) + 1))
        {
            throw _image.Error(dir.Offset, $"{what}: listing of {size} bytes cannot fit in the directory table");
        }

        var cursor = new SquashfsMetadataCursor(_image, _directoryTableStart, _directoryTableEnd, blockPosition, dir.DirectoryOffset, what);
        long consumed = 0;
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (consumed < size)
        {
            if (size - consumed < DirectoryHeaderBytes + DirectoryEntryMinBytes)
            {
                throw _image.Error(cursor.ErrorOffset, $"{what}: {size - consumed} trailing bytes are too few for a directory header and entry");
            }

            uint count = cursor.U32() + 1;
            uint inodeBlock = cursor.U32();
            uint baseNumber = cursor.U32();
            consumed += DirectoryHeaderBytes;
            if (count > MaxEntriesPerHeader)
            {
                throw _image.Error(cursor.ErrorOffset, $"{what}: directory header with {count} entries (at most {MaxEntriesPerHeader})");
            }

            if (inodeBlock >= _inodeTableEnd - _inodeTableStart)
            {
                throw _image.Error(cursor.ErrorOffset, $"{what}: directory header's inode block {inodeBlock} is outside the inode table");
            }

            for (uint i = 0; i < count; i++)
            {
                if (size - consumed < DirectoryEntryMinBytes)
                {
                    throw _image.Error(cursor.ErrorOffset, $"{what}: entry runs past the directory's size {dir.FileSize}");
                }

                ushort offset = cursor.U16();
                short delta = (short)cursor.U16();
                ushort type = cursor.U16();
                int nameSize = cursor.U16() + 1;
                consumed += 8 + nameSize;
                if (consumed > size)
                {
                    throw _image.Error(cursor.ErrorOffset, $"{what}: entry name runs past the directory's size {dir.FileSize}");
                }

                if (nameSize > 256)
                {
                    throw _image.Error(cursor.ErrorOffset, $"{what}: entry name of {nameSize} bytes (at most 256)");
                }

                byte[] nameBytes = cursor.Bytes(nameSize);
                string name = Encoding.UTF8.GetString(nameBytes);
                if (name is "." or ".." || nameBytes.AsSpan().IndexOfAny((byte)'/', (byte)0) >= 0)
                {
                    throw _image.Error(cursor.ErrorOffset, $"{what}: invalid entry name '{name}'");
                }

                if (type is < 1 or > 7)
                {
                    throw _image.Error(cursor.ErrorOffset, $"{what}: entry '{name}' has bad type {type}");
                }

                if (!names.Add(name))
                {
                    throw _image.Error(cursor.ErrorOffset, $"{what}: duplicate entry '{name}'");
                }

                long number = baseNumber + delta;
                if (number < 1 || number > Superblock.InodeCount)
                {
                    throw _image.Error(cursor.ErrorOffset, $"{what}: entry '{name}' has inode number {number} outside 1..{Superblock.InodeCount}");
                }

                entries.Add(new RawDirectoryEntry(name, type, ((ulong)inodeBlock << 16) | offset, (uint)number));
            }
        }

        return entries;
    }

    private FileEntry BuildEntry(string name, SquashfsInode inode)
    {
        FileKind kind = inode.BasicType switch
        {
            1 => FileKind.Directory,
            2 => FileKind.Regular,
            3 => FileKind.Symlink,
            4 => FileKind.BlockDevice,
            5 => FileKind.CharDevice,
            6 => FileKind.Fifo,
            _ => FileKind.Socket,
        };

        string? linkTarget = kind == FileKind.Symlink ? inode.Target : null;
        if (kind != FileKind.Directory && name.Length > 0)
        {
            if (_firstNameOfInode.TryGetValue(inode.Number, out string? first))
            {
                kind = FileKind.HardLink;
                linkTarget = first;
            }
            else
            {
                _firstNameOfInode[inode.Number] = name;
                if (kind == FileKind.Regular)
                {
                    Account(inode);
                }
            }
        }

        // Linux's new_encode_dev: minor low 8 bits in bits 0-7, major in bits 8-19, minor high bits in 20-31.
        int major = (int)((inode.Rdev >> 8) & 0xFFF);
        int minor = (int)((inode.Rdev & 0xFF) | ((inode.Rdev >> 12) & 0xFFF00));
        bool device = kind is FileKind.CharDevice or FileKind.BlockDevice;
        long sizeBytes = kind == FileKind.Regular ? inode.FileSize : 0;
        return new FileEntry
        {
            Name = name,
            Kind = kind,
            SizeBytes = sizeBytes,
            DataBytes = kind == FileKind.Regular && StoredIsSparse(inode, out long dataBytes) ? dataBytes : null,
            Mode = inode.Mode,
            Uid = inode.Uid,
            Gid = inode.Gid,
            LinkTarget = linkTarget,
            ModificationTime = DateTimeOffset.FromUnixTimeSeconds(inode.ModificationTime),
            Xattrs = inode.XattrIndex == SquashfsInode.NoXattr
                ? FileEntry.EmptyXattrs
                : (_xattrs ?? throw _image.Error(inode.Offset, $"'{name}': xattr index {inode.XattrIndex} but the image has no xattr table")).Read(inode.XattrIndex, inode.Offset),
            DeviceMajor = device ? major : 0,
            DeviceMinor = device ? minor : 0,

            // The stream offset of the (compressed) inode table block holding the inode.
            Offset = _image.BaseOffset + inode.Offset,
        };
    }

    /// <summary>True when some full block is a hole (size word 0); <paramref name="dataBytes"/> is then the bytes not in holes.</summary>
    private bool StoredIsSparse(SquashfsInode f, out long dataBytes)
    {
        long holes = 0;
        long blockSize = Superblock.BlockSize;
        for (int i = 0; i < f.BlockSizes.Length; i++)
        {
            if ((f.BlockSizes[i] & 0xFFFFFF) == 0)
            {
                holes += Math.Min(blockSize, f.FileSize - (i * blockSize));
            }
        }

        dataBytes = f.FileSize - holes;
        return holes > 0;
    }

    private static long BlockBytes(SquashfsInode f)
    {
        long sum = 0;
        foreach (uint w in f.BlockSizes)
        {
            sum += w & 0xFFFFFF;
        }

        return sum;
    }

    private long Tail(SquashfsInode f) => f.Fragment == SquashfsInode.NoFragment ? 0 : f.FileSize % Superblock.BlockSize;

    private long StoredBytesOf(SquashfsInode f)
        => BlockBytes(f) + (f.Fragment == SquashfsInode.NoFragment ? 0 : FragmentShare(f.Fragment, Tail(f)));

    /// <summary>A tail's share of its fragment block: the block's stored size pro rata to the tail's length in it.</summary>
    private long FragmentShare(uint fragment, long tail)
    {
        (_, uint sizeWord) = FragmentEntry(fragment, 0);
        long stored = sizeWord & 0xFFFFFF;
        if (!_fragmentLengths.TryGetValue(fragment, out int length))
        {
            length = ReadFragment(fragment, 0).Length;
            _fragmentLengths[fragment] = length;
        }

        return length == 0 ? 0 : stored * tail / length;
    }

    private void Account(SquashfsInode f)
    {
        _fileCount++;
        _fileBytes += f.FileSize;
        long blocks = BlockBytes(f);
        if (blocks > 0)
        {
            if (_seenBlockRuns.Add(f.BlocksStart))
            {
                _storedBytes += blocks;
            }
            else
            {
                _savedBlockBytes += blocks;
            }
        }

        if (f.Fragment != SquashfsInode.NoFragment)
        {
            if (_seenFragments.Add(f.Fragment))
            {
                (_, uint sizeWord) = FragmentEntry(f.Fragment, f.Offset);
                _storedBytes += sizeWord & 0xFFFFFF;
            }

            if (!_seenTails.Add((f.Fragment, f.FragmentOffset)))
            {
                _duplicateTails.Add((f.Fragment, Tail(f)));
            }
        }
    }
}
