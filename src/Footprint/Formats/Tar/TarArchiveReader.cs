using System.Formats.Tar;
using System.Text;

namespace Footprint.Formats.Tar;

/// <summary>
/// Streaming, pull-based tar reader shaped like <see cref="TarReader"/>, which it wraps. It adds what the BCL reader
/// lacks: every header block (including PAX 'x'/'g' and GNU 'L'/'K' extended headers) is checksum-verified, GNU sparse
/// files in all four encodings are presented with their real name, logical size and reconstructed content, extended
/// attributes are returned as raw bytes, and every malformed input surfaces as <see cref="FootprintFormatException"/>
/// naming the source and byte offset. Reads forward only; it never seeks, even on seekable input.
/// </summary>
public sealed class TarArchiveReader : IEntryReader
{
    private const string SchilyXattrPrefix = "SCHILY.xattr.";
    private const string LibarchiveXattrPrefix = "LIBARCHIVE.xattr.";

    private readonly TarHeaderRecorder _recorder;
    private readonly TarReader _inner;
    private readonly string _sourceName;
    private TarEntryDataStream? _stored;
    private Stream? _content;
    private FileEntry? _current;
    private bool _opened;
    private bool _finished;
    private bool _disposed;

    /// <param name="stream">The (already decompressed) tar stream, read from its current position.</param>
    /// <param name="sourceName">Named in every error message, e.g. the layer file or digest.</param>
    /// <param name="leaveOpen">True to leave <paramref name="stream"/> open on dispose.</param>
    public TarArchiveReader(Stream stream, string sourceName, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        _sourceName = sourceName;
        _recorder = new TarHeaderRecorder(stream, sourceName, leaveOpen);

        // leaveOpen: true so the BCL reader does not keep every entry's data stream in a list until disposal
        // (it does that for unseekable input), which would grow without bound on large archives.
        _inner = new TarReader(_recorder, leaveOpen: true);
    }

    /// <summary>Bytes consumed from the underlying stream so far.</summary>
    public long Position => _recorder.Position;

    /// <summary>
    /// Advances to the next entry, skipping any unread data of the current one. Returns null at the end of the archive
    /// (two zero blocks, or end of input on a block boundary). PAX global headers are consumed, not returned.
    /// </summary>
    /// <exception cref="FootprintFormatException">Bad checksum, truncated archive, malformed header or sparse map.</exception>
    public FileEntry? GetNextEntry()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_finished)
        {
            return null;
        }

        // Drain the current entry ourselves, so that the bytes the BCL reader pulls in GetNextEntry are exactly the
        // padding and the headers of the next entry: that is the region the recorder verifies.
        _stored?.Drain();
        _stored = null;
        _content = null;
        _current = null;
        _opened = false;

        while (true)
        {
            _recorder.BeginRecording();
            TarEntry? entry;
            try
            {
                entry = _inner.GetNextEntry(copyData: false);
            }
            catch (FootprintFormatException)
            {
                throw;
            }
            catch (Exception ex) when (IsFormatError(ex))
            {
                throw new FootprintFormatException(_sourceName, CurrentHeaderOffset(), $"malformed tar header: {ex.Message}", ex);
            }
            finally
            {
                _recorder.EndRecording();
            }

            if (entry is null)
            {
                _finished = true;
                return null;
            }

            if (entry.EntryType is TarEntryType.GlobalExtendedAttributes or TarEntryType.TapeVolume)
            {
                continue; // archive-level metadata, not a file
            }

            _current = BuildEntry(entry);
            return _current;
        }
    }

    /// <summary>
    /// The content of the current entry: for sparse files the logical content with holes as zeros. Regular files only;
    /// other kinds yield an empty stream. Valid until the next <see cref="GetNextEntry"/>; may be opened once.
    /// </summary>
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
        return _current.Kind == FileKind.Regular && _content is not null ? _content : Stream.Null;
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _inner.Dispose();
            _recorder.Dispose();
        }
    }

    /// <summary>
    /// The probe: POSIX ustar ("ustar\0", or GNU "ustar  ") magic at offset 257 of the first 512-byte header, or an old
    /// V7 header (no magic) whose checksum matches.
    /// </summary>
    public static bool HasMagic(ReadOnlySpan<byte> header)
    {
        if (header.Length < TarHeaderBlock.BlockSizeBytes)
        {
            return false;
        }

        return header.Slice(257, 5).SequenceEqual("ustar"u8) || TarHeaderBlock.ChecksumMatches(header[..TarHeaderBlock.BlockSizeBytes], out _);
    }

    /// <summary>Exceptions the BCL reader (or a parser) throws for malformed input, as opposed to real I/O failures.</summary>
    internal static bool IsFormatError(Exception ex)
        => ex is InvalidDataException or EndOfStreamException or FormatException or ArgumentException or OverflowException
            or InvalidOperationException or NotSupportedException or IndexOutOfRangeException;

    private long CurrentHeaderOffset()
    {
        IReadOnlyList<TarHeaderRecorder.RecordedHeader> headers = _recorder.Headers;
        return headers.Count > 0
            ? _recorder.RecordStart + headers[^1].BlockOffset
            : _recorder.RecordStart + TarHeaderBlock.PaddingBytes(_recorder.RecordStart);
    }

    private FileEntry BuildEntry(TarEntry entry)
    {
        IReadOnlyList<TarHeaderRecorder.RecordedHeader> headers = _recorder.Headers;
        if (headers.Count == 0 || TarHeaderBlock.IsMetadataType(headers[^1].TypeFlag))
        {
            throw new FootprintFormatException(_sourceName, CurrentHeaderOffset(), "could not locate the entry's header block");
        }

        long firstHeaderOffset = _recorder.RecordStart + headers[0].BlockOffset;
        long mainHeaderOffset = _recorder.RecordStart + headers[^1].BlockOffset;
        ReadOnlySpan<byte> recorded = _recorder.Recorded;

        List<KeyValuePair<string, byte[]>> pax = _recorder.PaxRecords;

        string name = entry.Name;
        FileKind kind = headers[^1].TypeFlag == TarHeaderBlock.TypeGnuSparse ? FileKind.Regular : MapKind(entry, mainHeaderOffset);
        long dataLength = entry.DataStream is null ? 0 : entry.Length;
        _stored = new TarEntryDataStream(entry.DataStream, dataLength, _recorder, _sourceName, name);
        _content = _stored;
        long sizeBytes = kind == FileKind.Regular ? entry.Length : 0;
        long? dataBytes = null;

        GnuSparseMap? sparse = null;
        try
        {
            if (headers[^1].TypeFlag == TarHeaderBlock.TypeGnuSparse)
            {
                byte[] mainHeader = recorded.Slice(headers[^1].BlockOffset, TarHeaderBlock.BlockSizeBytes).ToArray();
                sparse = GnuSparseMap.ReadOldGnu(mainHeader, _stored, _stored, _sourceName, mainHeaderOffset);
                sparse.Validate(_sourceName, mainHeaderOffset, entry.Length);
            }
            else if (IsPaxSparse(pax))
            {
                sparse = ReadPaxSparse(pax, dataLength, mainHeaderOffset, ref name);
            }
        }
        catch (FootprintFormatException)
        {
            throw;
        }
        catch (Exception ex) when (IsFormatError(ex))
        {
            throw new FootprintFormatException(_sourceName, mainHeaderOffset, $"malformed sparse map: {ex.Message}", ex);
        }

        if (sparse is not null)
        {
            kind = FileKind.Regular;
            sizeBytes = sparse.RealSizeBytes;
            dataBytes = sparse.StoredBytes;
            _content = new SparseContentStream(sparse, _stored);
        }

        var (major, minor) = entry is PosixTarEntry posix && kind is FileKind.CharDevice or FileKind.BlockDevice
            ? (posix.DeviceMajor, posix.DeviceMinor)
            : (0, 0);

        return new FileEntry
        {
            Name = name,
            Kind = kind,
            SizeBytes = sizeBytes,
            DataBytes = dataBytes,
            Mode = (int)entry.Mode & 0xFFF,
            Uid = entry.Uid,
            Gid = entry.Gid,
            LinkTarget = kind is FileKind.Symlink or FileKind.HardLink ? entry.LinkName : null,
            ModificationTime = entry.ModificationTime,
            Xattrs = ExtractXattrs(pax),
            DeviceMajor = major,
            DeviceMinor = minor,
            Offset = firstHeaderOffset,
        };
    }

    private FileKind MapKind(TarEntry entry, long headerOffset) => entry.EntryType switch
    {
        TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile or TarEntryType.SparseFile => FileKind.Regular,
        TarEntryType.HardLink => FileKind.HardLink,
        TarEntryType.SymbolicLink => FileKind.Symlink,
        TarEntryType.Directory or TarEntryType.DirectoryList => FileKind.Directory,
        TarEntryType.CharacterDevice => FileKind.CharDevice,
        TarEntryType.BlockDevice => FileKind.BlockDevice,
        TarEntryType.Fifo => FileKind.Fifo,
        _ => throw new FootprintFormatException(_sourceName, headerOffset, $"unsupported tar entry type '{(char)entry.EntryType}'"),
    };

    // GNU tar manual, "PAX Format, Versions 0.0, 0.1 and 1.0": version 1.0 announces itself with GNU.sparse.major/minor;
    // 0.1 carries GNU.sparse.map; 0.0 carries repeated GNU.sparse.offset/numbytes. All of 0.x give the real size as
    // GNU.sparse.size, 1.0 as GNU.sparse.realsize.
    private static bool IsPaxSparse(List<KeyValuePair<string, byte[]>> pax)
        => pax.Exists(r => r.Key is "GNU.sparse.major" or "GNU.sparse.map" or "GNU.sparse.offset" or "GNU.sparse.numblocks");

    private GnuSparseMap ReadPaxSparse(List<KeyValuePair<string, byte[]>> pax, long storedLength, long headerOffset, ref string name)
    {
        string? realName = PaxRecords.LastString(pax, "GNU.sparse.name");
        if (!string.IsNullOrEmpty(realName))
        {
            // 0.1 and 1.0 store the file as "./GNUSparseFile.<pid>/<name>" so non-GNU readers do not clobber the real
            // file with the condensed data; the real name is only in this record.
            name = realName;
        }

        string? major = PaxRecords.LastString(pax, "GNU.sparse.major");
        GnuSparseMap map;
        long stored = storedLength;
        if (major is not null)
        {
            string minor = PaxRecords.LastString(pax, "GNU.sparse.minor") ?? "0";
            if (major != "1" || minor != "0")
            {
                throw new FootprintFormatException(_sourceName, headerOffset, $"unsupported GNU sparse format {major}.{minor}");
            }

            long realSize = RequiredNumber(pax, "GNU.sparse.realsize", headerOffset);
            map = GnuSparseMap.ReadPax10(_stored!, realSize, _sourceName, headerOffset, out long mapBytes);
            stored -= mapBytes;
        }
        else
        {
            long realSize = RequiredNumber(pax, "GNU.sparse.size", headerOffset);
            string? mapText = PaxRecords.LastString(pax, "GNU.sparse.map");
            map = mapText is not null
                ? GnuSparseMap.FromPax01(mapText, pax, realSize, _sourceName, headerOffset)
                : GnuSparseMap.FromPax00(pax, realSize, _sourceName, headerOffset);
        }

        map.Validate(_sourceName, headerOffset, stored);
        return map;
    }

    private long RequiredNumber(List<KeyValuePair<string, byte[]>> pax, string key, long headerOffset)
    {
        string value = PaxRecords.LastString(pax, key)
            ?? throw new FootprintFormatException(_sourceName, headerOffset, $"sparse file without {key}");
        return GnuSparseMap.ParseDecimal(value, _sourceName, headerOffset);
    }

    // Star and GNU tar write SCHILY.xattr.<name>=<raw bytes>; libarchive additionally writes
    // LIBARCHIVE.xattr.<url-encoded name>=<base64 value>. The raw PAX bytes are used, since the values of binary
    // attributes such as security.capability are not valid UTF-8.
    private static IReadOnlyDictionary<string, byte[]> ExtractXattrs(List<KeyValuePair<string, byte[]>> pax)
    {
        Dictionary<string, byte[]>? xattrs = null;
        foreach (KeyValuePair<string, byte[]> record in pax)
        {
            if (record.Key.StartsWith(SchilyXattrPrefix, StringComparison.Ordinal) && record.Key.Length > SchilyXattrPrefix.Length)
            {
                xattrs ??= new Dictionary<string, byte[]>(StringComparer.Ordinal);
                xattrs[record.Key[SchilyXattrPrefix.Length..]] = record.Value;
            }
        }

        foreach (KeyValuePair<string, byte[]> record in pax)
        {
            if (record.Key.StartsWith(LibarchiveXattrPrefix, StringComparison.Ordinal) && record.Key.Length > LibarchiveXattrPrefix.Length)
            {
                string attrName = Uri.UnescapeDataString(record.Key[LibarchiveXattrPrefix.Length..]);
                xattrs ??= new Dictionary<string, byte[]>(StringComparer.Ordinal);
                if (!xattrs.ContainsKey(attrName) && TryDecodeBase64(record.Value, out byte[] value))
                {
                    xattrs[attrName] = value;
                }
            }
        }

        return xattrs ?? FileEntry.EmptyXattrs;
    }

    private static bool TryDecodeBase64(byte[] text, out byte[] value)
    {
        string s = Encoding.ASCII.GetString(text).TrimEnd('=');
        s = s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');
        try
        {
            value = Convert.FromBase64String(s);
            return true;
        }
        catch (FormatException)
        {
            value = [];
            return false;
        }
    }
}
