using System.IO.Compression;

namespace Footprint.Formats.Cpio;

/// <summary>
/// Decompresses exactly one gzip member (RFC 1952) from a shared <see cref="ByteSource"/> and leaves the source
/// positioned right after the member's 8-byte trailer, where the kernel looks for the next initramfs segment (its
/// gunzip reports the deflate end + 8 as the bytes used). The header is parsed here; the deflate data goes to
/// <see cref="DeflateStream"/>, which reads ahead in chunks and cannot say where the deflate data ended. So the
/// feeder hands it at most <see cref="ChunkBytes"/> per read and keeps the last two chunks; when the inflater
/// finishes, the deflate end lies in them, and the trailer is the first 8 bytes there equal to the CRC-32 and the
/// size (mod 2^32) of the output, which this class computes (that also verifies the member). The bytes after the
/// trailer are pushed back to the source.
/// </summary>
internal sealed class GzipMemberStream : Stream
{
    private const int ChunkBytes = 4096;
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
        ReadHeader();
        _feeder = new ChunkFeeder(source);
        _inflater = new DeflateStream(_feeder, CompressionMode.Decompress, leaveOpen: true);
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _size;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_done || buffer.IsEmpty)
        {
            return 0;
        }

        int n = _inflater.Read(buffer);
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
        long start = _source.Consumed;
        ReadOnlySpan<byte> h = _source.Peek(10);
        if (h.Length < 10)
        {
            throw new FootprintFormatException(_sourceName, start, "gzip header is truncated");
        }

        if (h[2] != 8 || (h[3] & 0xE0) != 0)
        {
            throw new FootprintFormatException(_sourceName, start, $"unsupported gzip method {h[2]} or flags 0x{h[3]:x2}");
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

        if ((flags & 0x02) != 0) // FHCRC
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
        byte[] history = _feeder.History(out long historyStart);
        long consumedEnd = _source.Consumed;
        ReadOnlySpan<byte> more = _source.Peek(8);
        byte[] window = [.. history, .. more];
        Span<byte> trailer = stackalloc byte[8];
        BitConverter.TryWriteBytes(trailer, _crc.Value);
        BitConverter.TryWriteBytes(trailer[4..], (uint)_size);
        int at = window.AsSpan().IndexOf(trailer);
        if (at < 0)
        {
            throw new FootprintFormatException(_sourceName, consumedEnd, _feeder.HitEnd
                ? "gzip data is truncated (no deflate end or trailer)"
                : $"gzip trailer not found after the deflate data: CRC-32 or size mismatch (expected crc 0x{_crc.Value:x8}, size {(uint)_size})");
        }

        long end = historyStart + at + 8;
        if (end <= consumedEnd)
        {
            _source.Unread(window.AsSpan((at + 8)..history.Length));
        }
        else
        {
            _source.Skip((int)(end - consumedEnd));
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inflater.Dispose();
        }

        base.Dispose(disposing);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>Serves the source in chunks of at most <see cref="ChunkBytes"/>, remembering the last two.</summary>
    private sealed class ChunkFeeder : Stream
    {
        private readonly ByteSource _source;
        private byte[] _previous = [];
        private byte[] _last = [];
        private long _lastStart;

        public ChunkFeeder(ByteSource source) => _source = source;

        public bool HitEnd { get; private set; }

        /// <summary>The last two chunks handed out, and the source offset of their first byte.</summary>
        public byte[] History(out long start)
        {
            start = _lastStart - _previous.Length;
            return [.. _previous, .. _last];
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            long start = _source.Consumed;
            int n = _source.Read(buffer[..Math.Min(buffer.Length, ChunkBytes)]);
            if (n == 0)
            {
                HitEnd = true;
                return 0;
            }

            _previous = _last;
            _last = buffer[..n].ToArray();
            _lastStart = start;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
