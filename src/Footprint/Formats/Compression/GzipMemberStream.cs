using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace Footprint.Formats.Compression;

/// <summary>
/// Decompresses exactly one gzip member (RFC 1952 §2.3) from a shared <see cref="ByteSource"/>, verifies its trailer
/// (CRC-32 and ISIZE, the output size mod 2^32) and leaves the source positioned right after the trailer, where the
/// next member (or initramfs segment: the kernel's gunzip reports the deflate end + 8 as the bytes used) starts.
/// The header is parsed here; the deflate data goes to <see cref="DeflateStream"/>, which reads ahead in chunks and
/// cannot say where the deflate data ended (.NET 10 has no API for zlib's avail_in; .NET 11 rewinds seekable streams
/// only). So the feeder hands it at most <see cref="ChunkBytes"/> per read and keeps the last two chunks; when the
/// inflater finishes, the deflate end lies in them, and the trailer is the first 8 bytes there equal to the CRC-32
/// and ISIZE of the output, which this class computes. No match means the trailer is corrupt (a flipped data byte
/// that still inflates changes the CRC-32) or missing (input cut), and both are errors naming the member's offset.
/// A chance match inside the deflate data needs 64 bits to agree (2^-64 per position); the output is verified
/// either way, only the next member's start could be misplaced, and that then fails as a bad header or trailing data.
/// </summary>
internal sealed class GzipMemberStream : ReadOnlyStream
{
    /// <summary>Largest read handed to the inflater; the trailer search covers two of them.</summary>
    private const int ChunkBytes = 64 << 10;

    private const int TrailerBytes = 8;

    private const int MaxHeaderStringBytes = 64 << 10;

    private readonly ByteSource _source;
    private readonly string _sourceName;
    private readonly ChunkFeeder _feeder;
    private readonly DeflateStream _inflater;
    private readonly Crc32 _crc = new();
    private long _size;
    private bool _done;

    public GzipMemberStream(ByteSource source, string sourceName)
    {
        _source = source;
        _sourceName = sourceName;
        MemberOffset = source.Consumed;
        ReadHeader();
        _feeder = new ChunkFeeder(source);
        _inflater = new DeflateStream(_feeder, CompressionMode.Decompress, leaveOpen: true);
    }

    /// <summary>Offset of the member's first header byte in the source.</summary>
    public long MemberOffset { get; }

    public override long Position
    {
        get => _size;
        set => throw new NotSupportedException();
    }

    public override int Read(Span<byte> buffer)
    {
        if (_done || buffer.IsEmpty)
        {
            return 0;
        }

        int n;
        try
        {
            n = _inflater.Read(buffer);
        }
        catch (InvalidDataException ex)
        {
            throw new FootprintFormatException(_sourceName, _source.Consumed,
                $"corrupt gzip data in the member at offset {MemberOffset} (after {_size} output bytes): {ex.Message}", ex);
        }

        if (n > 0)
        {
            _crc.Append(buffer[..n]);
            _size += n;
            return n;
        }

        FindTrailer();
        _done = true;
        return 0;
    }

    private void ReadHeader()
    {
        ReadOnlySpan<byte> h = _source.Peek(10);
        if (h.Length < 10)
        {
            throw new FootprintFormatException(_sourceName, MemberOffset, "gzip header is truncated");
        }

        // RFC 1952 §2.3.1: CM 8 is deflate; FLG bits 5-7 are reserved and must be zero (gzip refuses them too).
        if (h[2] != 8 || (h[3] & 0xE0) != 0)
        {
            throw new FootprintFormatException(_sourceName, MemberOffset, $"unsupported gzip method {h[2]} or flags 0x{h[3]:x2}");
        }

        byte flags = h[3];
        _source.Skip(10);
        if ((flags & 0x04) != 0) // FEXTRA
        {
            ReadOnlySpan<byte> len = _source.Peek(2);
            if (len.Length < 2)
            {
                throw new FootprintFormatException(_sourceName, _source.Consumed, "gzip extra field is truncated");
            }

            int xlen = len[0] | (len[1] << 8);
            _source.Skip(2);
            SkipExactly(xlen, "gzip extra field");
        }

        if ((flags & 0x08) != 0) // FNAME
        {
            SkipZeroTerminated("gzip file name");
        }

        if ((flags & 0x10) != 0) // FCOMMENT
        {
            SkipZeroTerminated("gzip comment");
        }

        // FHCRC is skipped, not checked: the header bytes it covers (mtime, name, OS) do not change the output.
        if ((flags & 0x02) != 0)
        {
            SkipExactly(2, "gzip header CRC");
        }
    }

    private void SkipExactly(int count, string what)
    {
        ReadOnlySpan<byte> bytes = _source.Peek(count);
        if (bytes.Length < count)
        {
            throw new FootprintFormatException(_sourceName, _source.Consumed, $"{what} is truncated");
        }

        _source.Skip(count);
    }

    private void SkipZeroTerminated(string what)
    {
        for (int i = 0; i < MaxHeaderStringBytes; i++)
        {
            int b = _source.ReadByte();
            if (b < 0)
            {
                throw new FootprintFormatException(_sourceName, _source.Consumed, $"{what} is truncated");
            }

            if (b == 0)
            {
                return;
            }
        }

        throw new FootprintFormatException(_sourceName, _source.Consumed, $"{what} is longer than {MaxHeaderStringBytes} bytes");
    }

    private void FindTrailer()
    {
        long consumedEnd = _source.Consumed;
        ReadOnlySpan<byte> more = _source.Peek(TrailerBytes);
        ReadOnlySpan<byte> window = _feeder.HistoryWith(more, out long windowStart);
        uint crc = _crc.GetCurrentHashAsUInt32();
        Span<byte> trailer = stackalloc byte[TrailerBytes];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, crc);
        BinaryPrimitives.WriteUInt32LittleEndian(trailer[4..], unchecked((uint)_size));
        int at = window.IndexOf(trailer);
        if (at < 0)
        {
            throw Mismatch(crc, consumedEnd, more.Length, window);
        }

        long end = windowStart + at + TrailerBytes;
        if (end <= consumedEnd)
        {
            _source.Unread(window[(at + TrailerBytes)..(int)(consumedEnd - windowStart)]);
        }
        else
        {
            _source.Skip((int)(end - consumedEnd));
        }
    }

    /// <summary>
    /// No trailer matched. The deflate end is not known exactly (see the class comment), so a trailer cut short at
    /// the end of input and a corrupt one cannot always be told apart; the message says which cases remain.
    /// </summary>
    private FootprintFormatException Mismatch(uint crc, long consumedEnd, int peeked, ReadOnlySpan<byte> window)
    {
        uint size = unchecked((uint)_size);
        string expected = $"the CRC-32 0x{crc:x8} and size {size} of its {_size} output bytes";
        if (_feeder.HitEnd)
        {
            return new FootprintFormatException(_sourceName, consumedEnd,
                $"gzip data is truncated: the member at offset {MemberOffset} ends before its deflate data does (after {_size} output bytes)");
        }

        long inputEnd = consumedEnd + peeked;
        if (peeked == TrailerBytes)
        {
            return new FootprintFormatException(_sourceName, inputEnd,
                $"gzip member at offset {MemberOffset} fails its integrity check: no trailer matches {expected}");
        }

        // The input ends within the window. If its last 8 bytes agree with one half of the trailer, they are the
        // trailer and the other half is wrong; otherwise the trailer is missing or cut short.
        if (window.Length >= TrailerBytes)
        {
            long trailerAt = inputEnd - TrailerBytes;
            uint storedCrc = BinaryPrimitives.ReadUInt32LittleEndian(window[^8..]);
            uint storedSize = BinaryPrimitives.ReadUInt32LittleEndian(window[^4..]);
            if (storedSize == size && storedCrc != crc)
            {
                return new FootprintFormatException(_sourceName, trailerAt,
                    $"gzip member at offset {MemberOffset} fails its CRC-32 check: the trailer says 0x{storedCrc:x8}, its {_size} output bytes give 0x{crc:x8}");
            }

            if (storedCrc == crc && storedSize != size)
            {
                return new FootprintFormatException(_sourceName, trailerAt,
                    $"gzip member at offset {MemberOffset} fails its size check: the trailer says {storedSize} bytes (mod 2^32), the output is {_size}");
            }
        }

        return new FootprintFormatException(_sourceName, inputEnd,
            $"gzip member at offset {MemberOffset} is truncated or corrupt: the input ends at offset {inputEnd} without an 8-byte trailer matching {expected}");
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inflater.Dispose();
            _feeder.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>
    /// Serves the source in chunks of at most <see cref="ChunkBytes"/>, remembering the last two in one fixed buffer
    /// (the previous chunk, then the last one, then room for the 8 bytes peeked past them), so no read allocates. The
    /// buffer is pooled: a file of many small members (bgzip, or hostile input) does not allocate one per member.
    /// </summary>
    private sealed class ChunkFeeder : ReadOnlyStream
    {
        private readonly ByteSource _source;
        private byte[] _history = ArrayPool<byte>.Shared.Rent((2 * ChunkBytes) + TrailerBytes);
        private int _length;
        private int _lastLength;
        private long _start;

        public ChunkFeeder(ByteSource source)
        {
            _source = source;
            _start = source.Consumed;
        }

        public bool HitEnd { get; private set; }

        /// <summary>The last two chunks handed out followed by <paramref name="more"/>, and the source offset of the first byte.</summary>
        public ReadOnlySpan<byte> HistoryWith(ReadOnlySpan<byte> more, out long start)
        {
            more.CopyTo(_history.AsSpan(_length));
            start = _start;
            return _history.AsSpan(0, _length + more.Length);
        }

        public override int Read(Span<byte> buffer)
        {
            // At end of input the history is left as it is: it holds the end of the member.
            if (buffer.IsEmpty || _source.AtEnd)
            {
                HitEnd |= !buffer.IsEmpty;
                return 0;
            }

            // Drop the previous chunk: the last one becomes the previous one.
            int previous = _length - _lastLength;
            if (previous > 0)
            {
                Buffer.BlockCopy(_history, previous, _history, 0, _lastLength);
                _start += previous;
                _length = _lastLength;
            }

            int n = _source.Read(_history.AsSpan(_length, Math.Min(buffer.Length, ChunkBytes)));
            _history.AsSpan(_length, n).CopyTo(buffer);
            _length += n;
            _lastLength = n;
            return n;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && _history.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_history);
                _history = [];
            }

            base.Dispose(disposing);
        }
    }
}
