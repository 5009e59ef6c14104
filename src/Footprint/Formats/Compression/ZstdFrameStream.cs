
namespace Footprint.Formats.Compression;

/// <summary>
/// Passes through exactly one zstd frame (RFC 8878 §3.1.1) from a shared <see cref="ByteSource"/> and then reports
/// end of input, so the decompressor (which reads ahead) cannot consume the next initramfs segment. The frame's
/// end is found without decompressing: frame header (magic, descriptor, optional window descriptor, dictionary id
/// and content size), then blocks of a 3-byte header (last-block bit, type, size) and a body of size bytes (raw,
/// compressed) or 1 byte (RLE), then an optional 4-byte checksum.
/// </summary>
internal sealed class ZstdFrameStream : ReadOnlyStream
{
    /// <summary>RFC 8878 §3.1.1.2: a compressed block's size is at most 128 KiB.</summary>
    private const int MaxBlockBytes = 128 << 10;

    private readonly ByteSource _source;
    private readonly string _sourceName;
    private readonly bool _hasChecksum;
    private long _pass;
    private bool _lastBlockSeen;
    private bool _checksumPassed;
    private bool _ended;

    public ZstdFrameStream(ByteSource source, string sourceName)
    {
        _source = source;
        _sourceName = sourceName;
        ReadOnlySpan<byte> h = source.Peek(5);
        if (h.Length < 5)
        {
            throw new FootprintFormatException(sourceName, source.Consumed, "zstd frame header is truncated");
        }

        byte descriptor = h[4];
        if ((descriptor & 0x08) != 0)
        {
            throw new FootprintFormatException(sourceName, source.Consumed + 4, "zstd frame header descriptor has the reserved bit set");
        }

        bool singleSegment = (descriptor & 0x20) != 0;
        int[] dictionaryIdBytes = [0, 1, 2, 4];
        int[] contentSizeBytes = [singleSegment ? 1 : 0, 2, 4, 8];
        _hasChecksum = (descriptor & 0x04) != 0;
        _pass = 5 + (singleSegment ? 0 : 1) + dictionaryIdBytes[descriptor & 3] + contentSizeBytes[descriptor >> 6];
    }

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (_pass == 0)
        {
            if (_ended)
            {
                return 0;
            }

            if (_lastBlockSeen)
            {
                if (_hasChecksum && !_checksumPassed)
                {
                    _checksumPassed = true;
                    _pass = 4;
                }
                else
                {
                    _ended = true;
                }

                continue;
            }

            ReadOnlySpan<byte> b = _source.Peek(3);
            if (b.Length < 3)
            {
                throw new FootprintFormatException(_sourceName, _source.Consumed, "zstd data is truncated inside a block header");
            }

            int header = b[0] | (b[1] << 8) | (b[2] << 16);
            int type = (header >> 1) & 3;
            int size = header >> 3;
            if (type == 3 || (type == 2 && size > MaxBlockBytes))
            {
                throw new FootprintFormatException(_sourceName, _source.Consumed, $"bad zstd block header (type {type}, size {size})");
            }

            _lastBlockSeen = (header & 1) != 0;
            _pass = 3 + (type == 1 ? 1 : size);
        }

        int n = _source.Read(buffer[..(int)Math.Min(buffer.Length, _pass)]);
        if (n == 0)
        {
            throw new FootprintFormatException(_sourceName, _source.Consumed, "zstd data is truncated");
        }

        _pass -= n;
        return n;
    }
}
