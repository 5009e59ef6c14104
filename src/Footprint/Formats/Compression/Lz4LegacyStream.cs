using K4os.Compression.LZ4;

namespace Footprint.Formats.Compression;

/// <summary>
/// Decodes the lz4 "legacy frame" the kernel's unlz4 reads (lib/decompress_unlz4.c; `lz4 -l`): the magic
/// 02 21 4C 18, then blocks of a 4-byte little-endian compressed size and an LZ4 block of at most 8 MiB output; a
/// size equal to the magic starts a new frame. The format has no end marker: the kernel decodes to the end of its
/// input. Here the stream also ends at a size field of 0 (the zero padding before a following segment; the zeros
/// are left to the caller) or at end of input.
/// </summary>
internal sealed class Lz4LegacyStream : ReadOnlyStream
{
    public const uint Magic = 0x184C2102;

    /// <summary>Uncompressed bytes of one legacy block (lz4's LEGACY_BLOCKSIZE, the kernel's uncomp_chunksize).</summary>
    private const int MaxBlockOutputBytes = 8 << 20;

    /// <summary>LZ4_compressBound of one block.</summary>
    private const int MaxBlockInputBytes = MaxBlockOutputBytes + (MaxBlockOutputBytes / 255) + 16;

    private readonly ByteSource _source;
    private readonly string _sourceName;
    private readonly byte[] _output = new byte[MaxBlockOutputBytes];
    private byte[] _input = [];
    private int _outStart;
    private int _outEnd;
    private bool _ended;

    public Lz4LegacyStream(ByteSource source, string sourceName)
    {
        _source = source;
        _sourceName = sourceName;
        _source.Skip(4); // the magic, checked by the caller
    }

    public override int Read(Span<byte> buffer)
    {
        while (_outStart == _outEnd)
        {
            if (_ended || !NextBlock())
            {
                _ended = true;
                return 0;
            }
        }

        int n = Math.Min(buffer.Length, _outEnd - _outStart);
        _output.AsSpan(_outStart, n).CopyTo(buffer);
        _outStart += n;
        return n;
    }

    private bool NextBlock()
    {
        while (true)
        {
            long at = _source.Consumed;
            ReadOnlySpan<byte> head = _source.Peek(4);
            if (head.IsEmpty || (head.Length < 4 && !head.ContainsAnyExcept((byte)0)))
            {
                return false;
            }

            if (head.Length < 4)
            {
                throw new FootprintFormatException(_sourceName, at, "lz4 data is truncated inside a block size");
            }

            uint size = BitConverter.ToUInt32(head);
            if (size == 0)
            {
                return false;
            }

            _source.Skip(4);
            if (size == Magic)
            {
                continue;
            }

            if (size > MaxBlockInputBytes)
            {
                throw new FootprintFormatException(_sourceName, at, $"lz4 block size {size} exceeds {MaxBlockInputBytes}");
            }

            if (_input.Length < size)
            {
                _input = new byte[size];
            }

            int got = _source.ReadAtLeast(_input.AsSpan(0, (int)size), (int)size, throwOnEndOfStream: false);
            if (got < size)
            {
                throw new FootprintFormatException(_sourceName, _source.Consumed, $"lz4 data is truncated inside a block ({got} of {size} bytes)");
            }

            int decoded = LZ4Codec.Decode(_input.AsSpan(0, (int)size), _output);
            if (decoded < 0)
            {
                throw new FootprintFormatException(_sourceName, at, "corrupt lz4 block");
            }

            _outStart = 0;
            _outEnd = decoded;
            if (decoded > 0)
            {
                return true;
            }
        }
    }
}
