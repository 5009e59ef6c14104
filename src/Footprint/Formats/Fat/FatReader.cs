using System.Buffers.Binary;
using System.Text;

namespace Footprint.Formats.Fat;

/// <summary>
/// Read-only FAT12/16/32 reader with VFAT long names, for boot floppies and EFI system partitions (a kernel and an
/// initramfs inside). Written by hand: no library in the NuGet copy reads FAT (with long names) from a stream.
/// Facts from the Microsoft "FAT: General Overview of On-Disk Format" specification (fatgen103): the BPB layout, the
/// FAT type decided by the count of data clusters only (&lt; 4085 FAT12, &lt; 65525 FAT16, else FAT32), FAT12's packed
/// 12-bit entries, the long-name entries (attribute 0x0F, order byte, checksum of the 11-byte short name).
/// Random access: the FAT and the directories are read where the BPB says they are; entries come pre-order
/// (a directory, then its contents in on-disk order). Every malformed structure throws
/// <see cref="FootprintFormatException"/> naming the offset, and for files and directories their path.
/// </summary>
public sealed class FatReader : IEntryReader
{
    /// <summary>FAT specification: a directory holds at most 65536 32-byte entries.</summary>
    private const int MaxDirectoryEntries = 65536;

    private const int DirectoryEntryBytes = 32;

    /// <summary>Largest FAT we load into memory (a FAT32 volume of about 2 TiB with 32 KiB clusters).</summary>
    private const long MaxFatBytes = 256L << 20;

    private const byte LongNameAttributes = 0x0F;
    private const byte VolumeLabelAttribute = 0x08;
    private const byte DeletedMarker = 0xE5;

    private readonly Stream _stream;
    private readonly string _sourceName;
    private readonly long _offset;
    private readonly bool _leaveOpen;
    private readonly int _bitsPerFatEntry;
    private readonly long _clusterCount;
    private readonly int _clusterBytes;
    private readonly long _dataStart;
    private readonly long _rootDirStart;
    private readonly int _rootEntryCount;
    private readonly uint _rootCluster;
    private readonly byte[] _fat;
    private readonly long _streamLength;
    private readonly HashSet<uint> _visitedDirectories = [];
    private readonly Stack<(string Path, Queue<FatDirectoryRecord> Records)> _pending = new();
    private FatDirectoryRecord? _currentRecord;
    private FileEntry? _current;
    private bool _opened;
    private bool _disposed;

    /// <param name="seekable">The image (or the disk holding the volume at <paramref name="offset"/>); must be seekable.</param>
    /// <param name="sourceName">Named in every error message.</param>
    /// <param name="offset">Byte offset of the volume's boot sector, e.g. an MBR partition's start LBA x 512.</param>
    /// <param name="leaveOpen">True to leave <paramref name="seekable"/> open on dispose.</param>
    /// <exception cref="FootprintFormatException">Not a FAT boot sector, an implausible BPB, or a truncated FAT or root directory.</exception>
    public FatReader(Stream seekable, string sourceName, long offset = 0, bool leaveOpen = true)
    {
        ArgumentNullException.ThrowIfNull(seekable);
        ArgumentNullException.ThrowIfNull(sourceName);
        if (!seekable.CanSeek || !seekable.CanRead)
        {
            throw new ArgumentException("FAT needs a readable, seekable stream", nameof(seekable));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        _stream = seekable;
        _sourceName = sourceName;
        _offset = offset;
        _leaveOpen = leaveOpen;
        _streamLength = seekable.Length;

        byte[] boot = new byte[512];
        ReadExactly(offset, boot, "boot sector");
        if (boot[510] != 0x55 || boot[511] != 0xAA)
        {
            throw Error(offset + 510, "no 55 AA boot sector signature: not a FAT volume");
        }

        int bytesPerSector = BinaryPrimitives.ReadUInt16LittleEndian(boot.AsSpan(11));
        int sectorsPerCluster = boot[13];
        int reservedSectors = BinaryPrimitives.ReadUInt16LittleEndian(boot.AsSpan(14));
        int fatCount = boot[16];
        int rootEntryCount = BinaryPrimitives.ReadUInt16LittleEndian(boot.AsSpan(17));
        long totalSectors = BinaryPrimitives.ReadUInt16LittleEndian(boot.AsSpan(19));
        if (totalSectors == 0)
        {
            totalSectors = BinaryPrimitives.ReadUInt32LittleEndian(boot.AsSpan(32));
        }

        long fatSectors = BinaryPrimitives.ReadUInt16LittleEndian(boot.AsSpan(22));
        bool fat32Layout = fatSectors == 0;
        if (fat32Layout)
        {
            fatSectors = BinaryPrimitives.ReadUInt32LittleEndian(boot.AsSpan(36));
        }

        if (bytesPerSector is not (512 or 1024 or 2048 or 4096))
        {
            throw Error(offset + 11, $"implausible BPB_BytsPerSec {bytesPerSector}");
        }

        if (sectorsPerCluster == 0 || (sectorsPerCluster & (sectorsPerCluster - 1)) != 0)
        {
            throw Error(offset + 13, $"implausible BPB_SecPerClus {sectorsPerCluster}");
        }

        if (reservedSectors == 0 || fatCount == 0 || fatSectors == 0 || totalSectors == 0)
        {
            throw Error(offset + 14, $"implausible BPB (reserved sectors {reservedSectors}, FATs {fatCount}, FAT sectors {fatSectors}, total sectors {totalSectors})");
        }

        if ((rootEntryCount * 32L) % bytesPerSector != 0)
        {
            throw Error(offset + 17, $"BPB_RootEntCnt {rootEntryCount} does not fill whole {bytesPerSector}-byte sectors");
        }

        long rootDirSectors = ((rootEntryCount * 32L) + bytesPerSector - 1) / bytesPerSector;
        long firstDataSector = reservedSectors + (fatCount * fatSectors) + rootDirSectors;
        if (firstDataSector >= totalSectors)
        {
            throw Error(offset + 19, $"the FATs and root directory ({firstDataSector} sectors) do not fit in the {totalSectors} sectors of the volume");
        }

        _clusterCount = (totalSectors - firstDataSector) / sectorsPerCluster;
        string fatType = _clusterCount < 4085 ? "FAT12" : _clusterCount < 65525 ? "FAT16" : "FAT32";
        _bitsPerFatEntry = fatType switch { "FAT12" => 12, "FAT16" => 16, _ => 32 };
        if ((fatType == "FAT32") != fat32Layout)
        {
            throw Error(offset + 22, $"{_clusterCount} clusters make a {fatType} volume but BPB_FATSz16 {(fat32Layout ? "is" : "is not")} zero");
        }

        if (fatType == "FAT32" ? rootEntryCount != 0 : rootEntryCount == 0)
        {
            throw Error(offset + 17, $"BPB_RootEntCnt {rootEntryCount} is invalid for {fatType}");
        }

        long fatBytes = fatSectors * bytesPerSector;
        long neededFatBytes = ((_clusterCount + 2) * _bitsPerFatEntry + 7) / 8;
        if (fatBytes < neededFatBytes)
        {
            throw Error(offset + 22, $"the FAT ({fatBytes} bytes) is too small for {_clusterCount} clusters");
        }

        if (neededFatBytes > MaxFatBytes)
        {
            throw Error(offset + 22, $"the FAT needs {neededFatBytes} bytes, more than the {MaxFatBytes} this reader accepts");
        }

        _clusterBytes = bytesPerSector * sectorsPerCluster;
        _dataStart = offset + (firstDataSector * bytesPerSector);
        _rootDirStart = offset + ((reservedSectors + (fatCount * fatSectors)) * bytesPerSector);
        _rootEntryCount = rootEntryCount;
        _rootCluster = fat32Layout ? BinaryPrimitives.ReadUInt32LittleEndian(boot.AsSpan(44)) & 0x0FFFFFFF : 0;

        _fat = new byte[neededFatBytes];
        ReadExactly(offset + ((long)reservedSectors * bytesPerSector), _fat, "first FAT");

        string oemName = Encoding.ASCII.GetString(boot, 3, 8).TrimEnd(' ', '\0');
        string? bpbLabel = ShortText(boot.AsSpan(fat32Layout ? 71 : 43, 11));
        if ((boot[fat32Layout ? 66 : 38] is not 0x29) || bpbLabel == "NO NAME")
        {
            bpbLabel = null; // no extended boot signature: the label field is not there
        }

        List<FatDirectoryRecord> root = ReadDirectory("/", isRoot: true, 0, out string? rootLabel);
        Volume = new FatVolumeInfo(fatType, bytesPerSector, sectorsPerCluster, totalSectors, rootLabel ?? bpbLabel, oemName);
        _pending.Push((string.Empty, new Queue<FatDirectoryRecord>(root)));
    }

    /// <summary>The volume's BPB facts and label.</summary>
    public FatVolumeInfo Volume { get; }

    /// <summary>The check a medium is opened on (see <see cref="FatProbe"/>): the boot signature and a plausible BPB.</summary>
    public static bool HasMagic(ReadOnlySpan<byte> header) => FatProbe.HasMagic(header);

    /// <summary>The probe: a boot sector that holds up at any offset of an image (see <see cref="FatProbe"/>).</summary>
    public static bool TryProbe(ReadOnlySpan<byte> header, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out FatProbe? probe) => FatProbe.TryRead(header, out probe);

    /// <summary>
    /// The next file or directory, pre-order (a directory before its contents, each directory in on-disk order), or null
    /// at the end. Mode 0755 for directories, 0644 for files (0444 with the read-only attribute); uid and gid 0; the
    /// modification time is FAT's local time taken as UTC. "." and "..", deleted entries, long-name pieces and the volume
    /// label are not yielded.
    /// </summary>
    /// <exception cref="FootprintFormatException">Bad cluster chain, a file larger than its chain, a directory loop.</exception>
    public FileEntry? GetNextEntry()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _current = null;
        _currentRecord = null;
        _opened = false;
        while (_pending.Count > 0)
        {
            (string parent, Queue<FatDirectoryRecord> records) = _pending.Peek();
            if (records.Count == 0)
            {
                _pending.Pop();
                continue;
            }

            FatDirectoryRecord record = records.Dequeue();
            string path = parent.Length == 0 ? record.Name : parent + "/" + record.Name;
            if (record.IsDirectory)
            {
                if (record.FirstCluster < 2 || !_visitedDirectories.Add(record.FirstCluster))
                {
                    throw Error(record.Offset, $"directory '{path}' starts at cluster {record.FirstCluster}, {(record.FirstCluster < 2 ? "which is not a data cluster" : "already visited: directory loop")}");
                }

                List<FatDirectoryRecord> children = ReadDirectory(path, isRoot: false, record.FirstCluster, out _);
                _pending.Push((path, new Queue<FatDirectoryRecord>(children)));
            }
            else
            {
                _ = ChainFor(record, path); // validates the chain and the size now, so listing alone catches a bad file
            }

            _currentRecord = record;
            _current = ToEntry(record, path);
            return _current;
        }

        return null;
    }

    /// <summary>The current regular file's bytes (DIR_FileSize of them); directories give an empty stream. Once per entry.</summary>
    public Stream OpenData()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_current is null || _currentRecord is null)
        {
            throw new InvalidOperationException("No current entry: call GetNextEntry first.");
        }

        if (_opened)
        {
            throw new InvalidOperationException("OpenData was already called for this entry.");
        }

        _opened = true;
        return _currentRecord.IsDirectory ? Stream.Null : OpenRecord(_currentRecord, _current.Name);
    }

    /// <summary>Finds a file or directory by path ("/boot/vmlinuz", "EFI/BOOT/bootx64.efi"), ignoring case, as FAT does.</summary>
    /// <exception cref="FootprintFormatException">A malformed directory on the way.</exception>
    public bool TryGetFile(string path, out FileEntry entry)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(path);
        if (Resolve(path) is { } found)
        {
            entry = ToEntry(found.Record, found.Path);
            return true;
        }

        entry = null!;
        return false;
    }

    /// <summary>Opens a regular file by path (case-insensitive), independently of the <see cref="GetNextEntry"/> walk.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="FootprintFormatException">A malformed directory or cluster chain.</exception>
    public Stream OpenFile(string path)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(path);
        if (Resolve(path) is not { } found || found.Record.IsDirectory)
        {
            throw new FileNotFoundException($"{_sourceName}: no file '{path}' in the FAT volume", path);
        }

        return OpenRecord(found.Record, found.Path);
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

    private static FileEntry ToEntry(FatDirectoryRecord record, string path) => new()
    {
        Name = path,
        Kind = record.IsDirectory ? FileKind.Directory : FileKind.Regular,
        SizeBytes = record.IsDirectory ? 0 : record.SizeBytes,
        Mode = record.IsDirectory ? 0b111_101_101 : (record.Attributes & FatDirectoryRecord.ReadOnlyAttribute) != 0 ? 0b100_100_100 : 0b110_100_100,
        ModificationTime = record.ModificationTime,
        Offset = record.Offset,
    };

    private (FatDirectoryRecord Record, string Path)? Resolve(string path)
    {
        string[] parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            return null;
        }

        List<FatDirectoryRecord> directory = ReadDirectory("/", isRoot: true, 0, out _);
        string current = string.Empty;
        var visited = new HashSet<uint>();
        for (int i = 0; i < parts.Length; i++)
        {
            FatDirectoryRecord? match = directory.Find(r => string.Equals(r.Name, parts[i], StringComparison.OrdinalIgnoreCase));
            if (match is null)
            {
                return null;
            }

            current = current.Length == 0 ? match.Name : current + "/" + match.Name;
            if (i == parts.Length - 1)
            {
                return (match, current);
            }

            if (!match.IsDirectory)
            {
                return null;
            }

            if (match.FirstCluster < 2 || !visited.Add(match.FirstCluster))
            {
                throw Error(match.Offset, $"directory '{current}' starts at cluster {match.FirstCluster}: not a data cluster, or a directory loop");
            }

            directory = ReadDirectory(current, isRoot: false, match.FirstCluster, out _);
        }

        return null;
    }

    private FatDataStream OpenRecord(FatDirectoryRecord record, string path)
        => new(this, ChainFor(record, path), record.SizeBytes);

    /// <summary>The clusters holding a file, checked: enough of them for DIR_FileSize.</summary>
    private List<uint> ChainFor(FatDirectoryRecord record, string path)
    {
        if (record.SizeBytes == 0)
        {
            return [];
        }

        if (record.FirstCluster < 2)
        {
            throw Error(record.Offset, $"file '{path}' has {record.SizeBytes} bytes but no first cluster");
        }

        long neededClusters = (record.SizeBytes + (long)_clusterBytes - 1) / _clusterBytes;
        if (neededClusters > _clusterCount)
        {
            throw Error(record.Offset, $"file '{path}' has {record.SizeBytes} bytes, more than the whole volume's {_clusterCount} clusters");
        }

        List<uint> chain = FollowChain(record.FirstCluster, path, record.Offset, neededClusters);
        if (chain.Count < neededClusters)
        {
            throw Error(record.Offset, $"file '{path}' has {record.SizeBytes} bytes but its cluster chain holds only {chain.Count} clusters of {_clusterBytes} bytes");
        }

        return chain;
    }

    /// <summary>Follows a chain to its end-of-chain mark (or <paramref name="stopAfter"/> clusters), detecting loops by a step budget.</summary>
    private List<uint> FollowChain(uint first, string path, long entryOffset, long stopAfter)
    {
        var chain = new List<uint>();
        var seen = new HashSet<uint>();
        uint cluster = first;
        while (true)
        {
            if (cluster < 2 || cluster > _clusterCount + 1)
            {
                throw Error(entryOffset, $"'{path}': cluster chain points to cluster {cluster}, outside the volume's data clusters 2..{_clusterCount + 1}");
            }

            if (!seen.Add(cluster))
            {
                throw Error(entryOffset, $"'{path}': cluster chain comes back to cluster {cluster}: a loop");
            }

            chain.Add(cluster);
            if (chain.Count >= stopAfter)
            {
                return chain;
            }

            if (chain.Count > _clusterCount)
            {
                throw Error(entryOffset, $"'{path}': cluster chain is longer than the volume's {_clusterCount} clusters: a loop");
            }

            uint next = FatEntry(cluster);
            if (IsEndOfChain(next))
            {
                return chain;
            }

            if (IsBadCluster(next) || next == 0)
            {
                throw Error(entryOffset, $"'{path}': cluster {cluster} is followed by {(next == 0 ? "a free" : "a bad")} cluster mark in the FAT");
            }

            cluster = next;
        }
    }

    private uint FatEntry(uint cluster)
    {
        switch (_bitsPerFatEntry)
        {
            case 12:
                {
                    int at = (int)(cluster + (cluster / 2));
                    int pair = _fat[at] | (_fat[at + 1] << 8);
                    return (uint)((cluster & 1) == 0 ? pair & 0xFFF : pair >> 4);
                }

            case 16:
                return BinaryPrimitives.ReadUInt16LittleEndian(_fat.AsSpan((int)(cluster * 2)));
            default:
                return BinaryPrimitives.ReadUInt32LittleEndian(_fat.AsSpan((int)(cluster * 4))) & 0x0FFFFFFF;
        }
    }

    private bool IsEndOfChain(uint value) => _bitsPerFatEntry switch
    {
        12 => value >= 0xFF8,
        16 => value >= 0xFFF8,
        _ => value >= 0x0FFFFFF8,
    };

    private bool IsBadCluster(uint value) => _bitsPerFatEntry switch
    {
        12 => value == 0xFF7,
        16 => value == 0xFFF7,
        _ => value == 0x0FFFFFF7,
    };

    internal long ClusterOffset(uint cluster) => _dataStart + ((cluster - 2L) * _clusterBytes);

    internal int ClusterBytes => _clusterBytes;

    internal void ReadAt(long position, Span<byte> buffer, string what)
    {
        if (position < 0 || position > _streamLength - buffer.Length)
        {
            throw Error(position, $"{what} ({buffer.Length} bytes) lies beyond the end of the image ({_streamLength} bytes): truncated");
        }

        _stream.Position = position;
        _stream.ReadExactly(buffer);
    }

    private void ReadExactly(long position, byte[] buffer, string what) => ReadAt(position, buffer, what);

    /// <summary>Reads a directory's 32-byte entries: the fixed root region (FAT12/16) or a cluster chain.</summary>
    private List<FatDirectoryRecord> ReadDirectory(string path, bool isRoot, uint firstCluster, out string? volumeLabel)
    {
        byte[] raw;
        long[] clusterOffsets;
        int entriesPerCluster;
        if (isRoot && _rootCluster == 0)
        {
            raw = new byte[_rootEntryCount * DirectoryEntryBytes];
            ReadExactly(_rootDirStart, raw, "root directory");
            clusterOffsets = [_rootDirStart];
            entriesPerCluster = _rootEntryCount;
        }
        else
        {
            uint start = isRoot ? _rootCluster : firstCluster;
            long maxClusters = Math.Max(1, (long)MaxDirectoryEntries * DirectoryEntryBytes / _clusterBytes);
            List<uint> chain = FollowChain(start, path, isRoot ? _offset + 44 : 0, maxClusters + 1);
            if (chain.Count > maxClusters)
            {
                throw Error(ClusterOffset(start), $"directory '{path}' has more than {MaxDirectoryEntries} entries");
            }

            raw = new byte[chain.Count * _clusterBytes];
            clusterOffsets = new long[chain.Count];
            for (int i = 0; i < chain.Count; i++)
            {
                clusterOffsets[i] = ClusterOffset(chain[i]);
                ReadAt(clusterOffsets[i], raw.AsSpan(i * _clusterBytes, _clusterBytes), $"directory '{path}' cluster {chain[i]}");
            }

            entriesPerCluster = _clusterBytes / DirectoryEntryBytes;
        }

        return ParseDirectory(raw, i => clusterOffsets[i / entriesPerCluster] + ((long)(i % entriesPerCluster) * DirectoryEntryBytes), path, out volumeLabel);
    }

    private List<FatDirectoryRecord> ParseDirectory(byte[] raw, Func<int, long> offsetOf, string path, out string? volumeLabel)
    {
        volumeLabel = null;
        var records = new List<FatDirectoryRecord>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var longName = new char[20 * 13];
        int expectedOrder = 0; // next long-name order number expected; 0 = none in progress
        int longNameLength = 0;
        byte longNameChecksum = 0;
        int count = raw.Length / DirectoryEntryBytes;
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> e = raw.AsSpan(i * DirectoryEntryBytes, DirectoryEntryBytes);
            if (e[0] == 0x00)
            {
                break; // DIR_Name[0] == 0: this and every later entry is free
            }

            if (e[0] == DeletedMarker)
            {
                expectedOrder = 0;
                continue;
            }

            byte attributes = e[11];
            if ((attributes & 0x3F) == LongNameAttributes)
            {
                int order = e[0] & 0x1F;
                if ((e[0] & 0x40) != 0)
                {
                    expectedOrder = order;
                    longNameChecksum = e[13];
                    longNameLength = order * 13;
                }
                else if (order != expectedOrder || e[13] != longNameChecksum)
                {
                    expectedOrder = 0; // an orphan piece: ignored, the short name will be used
                    longNameLength = 0;
                    continue;
                }

                if (order is 0 or > 20)
                {
                    expectedOrder = 0;
                    longNameLength = 0;
                    continue;
                }

                int at = (order - 1) * 13;
                for (int k = 0; k < 13; k++)
                {
                    int pos = k < 5 ? 1 + (k * 2) : k < 11 ? 14 + ((k - 5) * 2) : 28 + ((k - 11) * 2);
                    longName[at + k] = (char)BinaryPrimitives.ReadUInt16LittleEndian(e[pos..]);
                }

                expectedOrder = order - 1;
                continue;
            }

            bool longNameComplete = expectedOrder == 0 && longNameLength > 0;
            string? assembled = longNameComplete && ShortNameChecksum(e[..11]) == longNameChecksum ? LongNameText(longName.AsSpan(0, longNameLength)) : null;
            if (assembled is not null && (assembled.Length == 0 || assembled.Contains('/') || assembled is "." or ".."))
            {
                assembled = null; // an unusable long name: the short name is still there
            }

            expectedOrder = 0;
            longNameLength = 0;

            if ((attributes & VolumeLabelAttribute) != 0)
            {
                volumeLabel ??= ShortText(e[..11]);
                continue;
            }

            if (e[0] == (byte)'.' && (e[1] == (byte)' ' || (e[1] == (byte)'.' && e[2] == (byte)' ')))
            {
                continue; // "." and ".."
            }

            string name = assembled ?? ShortName(e);
            long offset = offsetOf(i);
            if (name.Length == 0 || name.Contains('/') || name.Contains('\0') || name is "." or "..")
            {
                throw Error(offset, $"directory '{path}' holds an entry with an invalid name '{name}'");
            }

            if (!names.Add(name))
            {
                throw Error(offset, $"directory '{path}' holds '{name}' twice");
            }

            uint cluster = BinaryPrimitives.ReadUInt16LittleEndian(e[26..]);
            if (_bitsPerFatEntry == 32)
            {
                cluster |= (uint)BinaryPrimitives.ReadUInt16LittleEndian(e[20..]) << 16;
                cluster &= 0x0FFFFFFF;
            }

            uint size = BinaryPrimitives.ReadUInt32LittleEndian(e[28..]);
            records.Add(new FatDirectoryRecord(name, attributes, cluster, size, DosTime(BinaryPrimitives.ReadUInt16LittleEndian(e[24..]), BinaryPrimitives.ReadUInt16LittleEndian(e[22..])), offset));
        }

        return records;
    }

    /// <summary>fatgen103: the checksum each long-name entry carries of the 11-byte short name it belongs to.</summary>
    private static byte ShortNameChecksum(ReadOnlySpan<byte> shortName)
    {
        byte sum = 0;
        foreach (byte b in shortName)
        {
            sum = (byte)(((sum & 1) << 7) + (sum >> 1) + b);
        }

        return sum;
    }

    /// <summary>Long names end at a 0x0000 character; the rest of the last piece is 0xFFFF padding.</summary>
    private static string LongNameText(ReadOnlySpan<char> chars)
    {
        int end = chars.IndexOf('\0');
        return new string(end < 0 ? chars : chars[..end]);
    }

    /// <summary>
    /// The 8.3 name with the case flags Windows NT keeps in DIR_NTRes (0x08 base lower case, 0x10 extension lower case);
    /// a leading 0x05 stands for 0xE5. Bytes above 0x7F are read as Latin-1 (the OEM code page is not recorded).
    /// </summary>
    private static string ShortName(ReadOnlySpan<byte> e)
    {
        Span<byte> name = stackalloc byte[11];
        e[..11].CopyTo(name);
        if (name[0] == 0x05)
        {
            name[0] = DeletedMarker;
        }

        string stem = Encoding.Latin1.GetString(name[..8]).TrimEnd(' ');
        string ext = Encoding.Latin1.GetString(name[8..11]).TrimEnd(' ');
        if ((e[12] & 0x08) != 0)
        {
            stem = stem.ToLowerInvariant();
        }

        if ((e[12] & 0x10) != 0)
        {
            ext = ext.ToLowerInvariant();
        }

        return ext.Length == 0 ? stem : stem + "." + ext;
    }

    private static string? ShortText(ReadOnlySpan<byte> bytes)
    {
        string s = Encoding.Latin1.GetString(bytes).TrimEnd(' ', '\0');
        return s.Length == 0 ? null : s;
    }

    /// <summary>DOS date (years since 1980, month, day) and time (hours, minutes, seconds/2); impossible values give 1980-01-01.</summary>
    private static DateTimeOffset DosTime(ushort date, ushort time)
    {
        int year = 1980 + (date >> 9);
        int month = (date >> 5) & 0xF;
        int day = date & 0x1F;
        int hour = time >> 11;
        int minute = (time >> 5) & 0x3F;
        int second = (time & 0x1F) * 2;
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return new DateTimeOffset(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);
        }

        return new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero);
    }

    internal FootprintFormatException Error(long offset, string message) => new(_sourceName, offset, message);
}
