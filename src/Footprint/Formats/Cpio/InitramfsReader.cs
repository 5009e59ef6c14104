using Footprint.Formats.Compression;
using SharpCompress.Compressors.BZip2;
using SharpCompress.Compressors.LZMA;
using SharpCompress.Compressors.Xz;
using ZstdSharp;
using SharpCompressionMode = SharpCompress.Compressors.CompressionMode;

namespace Footprint.Formats.Cpio;

/// <summary>
/// Reads an initramfs the way the kernel unpacks it (init/initramfs.c, unpack_to_rootfs; Documentation/driver-api/
/// early-userspace/buffer-format.rst): a sequence of cpio archives, each stored as is or inside a compressed stream,
/// with zero bytes between them. At the top level zero bytes are skipped; a '0' at a 4-aligned offset starts a stored
/// cpio archive; anything else must be a compression magic (gzip, bzip2, lzma, xz, lz4 legacy, zstd; lzo is
/// recognised and refused). A compressed stream may hold several archives, again separated by zeros (4-aligned
/// within the decompressed bytes), and must end after a complete archive. The next segment starts right after the
/// compressed stream's exact end: gzip at the member trailer (<see cref="GzipMemberStream"/>), zstd at the frame end
/// (<see cref="ZstdFrameStream"/>), xz, lzma and bzip2 where their decoders stop reading (they read the input byte
/// by byte up to the stream footer, end marker or end-of-stream block), lz4 legacy at end of input or zero padding
/// (<see cref="Lz4LegacyStream"/>). Anything else (garbage after the last segment included) is an error, as it is
/// for the kernel ("junk in compressed archive").
/// Entries are yielded in order over all segments; a later entry of the same name replaces an earlier one when the
/// caller builds the tree, as the kernel's unpacking does.
/// </summary>
public sealed class InitramfsReader : IEntryReader
{
    /// <summary>Largest lzma dictionary accepted (xz -9's 64 MiB): the decoder allocates it up front.</summary>
    public const int MaxLzmaDictionaryBytes = 64 << 20;

    /// <summary>Bytes looked at where a segment starts, and shown when they are junk (lzop's magic is the longest, 9).</summary>
    private const int SegmentHeadBytes = 9;

    private readonly ByteSource _input;
    private readonly string _sourceName;
    private readonly DecompressionLimits _limits;
    private readonly List<InitramfsSegment> _segments = [];
    private long _totalExpanded;

    // the segment being read
    private Open? _segment;
    private CpioReader? _cpio;
    private FileEntry? _current;
    private bool _opened;
    private bool _finished;
    private bool _disposed;

    /// <param name="stream">The initramfs image (e.g. /boot/initrd.img), read forward only.</param>
    /// <param name="sourceName">Named in every error message.</param>
    /// <param name="limits">Bounds on decompressed output (total) and on each segment's expansion ratio.</param>
    /// <param name="leaveOpen">True to leave <paramref name="stream"/> open on dispose.</param>
    public InitramfsReader(Stream stream, string sourceName, DecompressionLimits limits, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        ArgumentNullException.ThrowIfNull(limits);
        _input = new ByteSource(stream, leaveOpen);
        _sourceName = sourceName;
        _limits = limits;
    }

    /// <summary>Index in <see cref="Segments"/> of the segment the current entry came from.</summary>
    public int CurrentSegment { get; private set; } = -1;

    /// <summary>The nlink field of the current entry's header.</summary>
    internal long CurrentLinkCount => _cpio?.CurrentLinkCount ?? 0;

    /// <summary>The filesize field of the current entry's header.</summary>
    internal long CurrentHeaderFileSize => _cpio?.CurrentHeaderFileSize ?? 0;

    /// <summary>The segments read so far; complete once <see cref="GetNextEntry"/> has returned null.</summary>
    public IReadOnlyList<InitramfsSegment> Segments => _segments;

    /// <inheritdoc cref="CpioReader.GetNextEntry"/>
    public FileEntry? GetNextEntry()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _current = null;
        _opened = false;
        while (!_finished)
        {
            if (_cpio is not null)
            {
                FileEntry? entry = _cpio.GetNextEntry();
                _segment!.Format ??= _cpio.Format;
                if (entry is not null)
                {
                    _segment.Entries++;
                    CurrentSegment = _segment.Index;
                    _current = entry;
                    return entry;
                }

                _cpio = null;
                if (_segment.Decompressed is null)
                {
                    Close(_input.Consumed - _segment.Offset);
                }

                continue;
            }

            if (_segment?.Decompressed is { } inner)
            {
                ContinueInside(inner);
                continue;
            }

            StartAtTopLevel();
        }

        return null;
    }

    /// <inheritdoc cref="CpioReader.OpenData"/>
    public Stream OpenData()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_current is null || _cpio is null)
        {
            throw new InvalidOperationException("No current entry: call GetNextEntry first.");
        }

        if (_opened)
        {
            throw new InvalidOperationException("OpenData was already called for this entry.");
        }

        _opened = true;
        return _cpio.OpenData();
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _segment?.Decompressed?.Dispose();
            _input.Dispose();
        }
    }

    /// <summary>Inside a compressed segment: zeros, then another archive ('0' at a 4-aligned offset) or the end.</summary>
    private void ContinueInside(ByteSource inner)
    {
        ReadOnlySpan<byte> next;
        while (!(next = inner.Peek(4096)).IsEmpty)
        {
            int zeros = next.IndexOfAnyExcept((byte)0);
            if (zeros >= 0)
            {
                inner.Skip(zeros);
                break;
            }

            inner.Skip(next.Length);
        }

        string name = SegmentName(_segment!);
        if (inner.AtEnd)
        {
            long stored = _input.Consumed - _segment!.Offset;
            long expanded = inner.Consumed;
            inner.Dispose();
            Close(stored, expanded);
            return;
        }

        if (inner.Peek(1)[0] != (byte)'0')
        {
            throw new FootprintFormatException(name, inner.Consumed, $"junk in compressed archive: byte 0x{inner.Peek(1)[0]:x2} where a cpio header or zero padding was expected");
        }

        if ((inner.Consumed & 3) != 0)
        {
            throw new FootprintFormatException(name, inner.Consumed, "broken padding: a cpio archive starts at an offset that is not a multiple of 4");
        }

        _cpio = new CpioReader(inner, name);
    }

    private void StartAtTopLevel()
    {
        ReadOnlySpan<byte> next;
        while (!(next = _input.Peek(4096)).IsEmpty)
        {
            int zeros = next.IndexOfAnyExcept((byte)0);
            if (zeros >= 0)
            {
                _input.Skip(zeros);
                break;
            }

            _input.Skip(next.Length);
        }

        if (_input.AtEnd)
        {
            _finished = true;
            return;
        }

        long offset = _input.Consumed;
        ReadOnlySpan<byte> head = _input.Peek(SegmentHeadBytes);
        int index = _segments.Count;
        if (head[0] == (byte)'0' && (offset & 3) == 0)
        {
            _segment = new Open(index, offset, "none", null);
            _cpio = new CpioReader(_input, SegmentName(_segment));
            return;
        }

        string? kind = DetectCompression(head);
        if (kind is null)
        {
            throw new FootprintFormatException(_sourceName, offset,
                $"junk in initramfs: bytes {Convert.ToHexString(head)} are neither zero padding, a 4-aligned cpio header nor a known compression magic");
        }

        if (kind == "lzo")
        {
            throw new FootprintFormatException(_sourceName, offset, $"unsupported compression lzo at offset {offset}");
        }

        var segment = new Open(index, offset, kind, null);
        string name = SegmentName(segment);
        var probe = new EndProbeStream(_input);
        Stream decoder;
        try
        {
            decoder = kind switch
            {
                "gzip" => new GzipMemberStream(_input, name),
                "zstd" => new DecompressionStream(new ZstdFrameStream(_input, name), 128 << 10, checkEndOfStream: true, leaveOpen: false),
                "xz" => new XZStream(probe),
                "bzip2" => BZip2Stream.Create(probe, SharpCompressionMode.Decompress, decompressConcatenated: false, leaveOpen: true, tolerateTruncatedStream: false),
                "lzma" => OpenLzma(name, probe),
                "lz4" => new Lz4LegacyStream(_input, name),
                _ => throw new InvalidOperationException($"unhandled {kind}"),
            };
        }
        catch (FootprintFormatException)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            throw new FootprintFormatException(_sourceName, _input.Consumed, $"corrupt or truncated {kind} data: {ex.Message}", ex);
        }

        var guarded = new SegmentGuardStream(decoder, _input, offset, _sourceName, kind, _limits, n => _totalExpanded += n, probe);
        _segment = segment with { Decompressed = new ByteSource(guarded, leaveOpen: false) };
    }

    /// <summary>lzma-alone (.lzma): properties byte, dictionary size (LE32), uncompressed size (LE64, all ones = unknown).</summary>
    private LzmaStream OpenLzma(string name, EndProbeStream probe)
    {
        long offset = _input.Consumed;
        ReadOnlySpan<byte> h = _input.Peek(13);
        if (h.Length < 13)
        {
            throw new FootprintFormatException(name, offset, "lzma header is truncated");
        }

        if (h[0] >= 9 * 5 * 5)
        {
            throw new FootprintFormatException(name, offset, $"bad lzma properties byte 0x{h[0]:x2}");
        }

        uint dictionary = BitConverter.ToUInt32(h[1..5]);
        if (dictionary > MaxLzmaDictionaryBytes)
        {
            throw new FootprintFormatException(name, offset, $"lzma dictionary of {dictionary} bytes exceeds {MaxLzmaDictionaryBytes}");
        }

        ulong size = BitConverter.ToUInt64(h[5..13]);
        if (size != ulong.MaxValue && size > (ulong)_limits.MaxOutputBytes)
        {
            throw new FootprintFormatException(name, offset, $"decompression bomb: lzma header announces {size} bytes, over the limit of {_limits.MaxOutputBytes}");
        }

        byte[] properties = h[..5].ToArray();
        _input.Skip(13);
        return LzmaStream.Create(properties, probe, -1, size == ulong.MaxValue ? -1 : (long)size, leaveOpen: true);
    }

    /// <summary>The magics the kernel's decompress_method() knows (lib/decompress.c).</summary>
    private static string? DetectCompression(ReadOnlySpan<byte> h)
    {
        if (CompressionProbe.IsGzipOrOldGzip(h))
        {
            return "gzip";
        }

        if (CompressionProbe.IsBzip2(h))
        {
            return "bzip2";
        }

        if (CompressionProbe.IsLzmaAlone(h))
        {
            return "lzma";
        }

        if (CompressionProbe.IsXz(h))
        {
            return "xz";
        }

        if (CompressionProbe.IsLzop(h))
        {
            return "lzo";
        }

        if (CompressionProbe.IsLz4Legacy(h))
        {
            return "lz4";
        }

        if (CompressionProbe.IsZstd(h))
        {
            return "zstd";
        }

        return null;
    }

    private string SegmentName(Open segment)
        => $"{_sourceName} (segment {segment.Index}, {segment.Compression} at offset {segment.Offset})";

    private void Close(long stored, long? expanded = null)
    {
        Open s = _segment!;
        _segments.Add(new InitramfsSegment(s.Index, s.Offset, stored, expanded ?? stored, s.Compression, s.Format, s.Entries));
        _segment = null;
    }

    private sealed record Open(int Index, long Offset, string Compression, ByteSource? Decompressed)
    {
        public CpioFormat? Format { get; set; }

        public int Entries { get; set; }
    }
}
