using System.Buffers.Binary;
using System.IO.Compression;
using K4os.Compression.LZ4;
using SharpCompress.Compressors.LZMA;
using SharpCompress.Compressors.Xz;

namespace Footprint.Formats.Squashfs;

/// <summary>
/// Random access to one squashfs image inside a seekable stream: bounded reads, block decompression (every compressor
/// squashfs-tools writes) and metadata blocks (squashfs.rst "Metadata blocks": a 16-bit header, bit 15 = stored
/// uncompressed, low 15 bits = on-disk size; at most 8 KiB once decompressed), cached by position.
/// </summary>
internal sealed class SquashfsImage
{
    public const int MetadataBlockBytes = 8192;
    private const ushort MetadataUncompressedBit = 0x8000;
    private const int MaxCachedMetadataBlocks = 2048;

    private readonly Stream _stream;
    private readonly long _base;
    private readonly Dictionary<long, MetadataBlock> _metadata = [];
    private readonly byte[] _headerScratch = new byte[2];

    public SquashfsImage(Stream stream, long baseOffset, string sourceName, SquashfsSuperblock sb, long imageBytes)
    {
        _stream = stream;
        _base = baseOffset;
        SourceName = sourceName;
        Superblock = sb;
        ImageBytes = imageBytes;
    }

    public string SourceName { get; }

    /// <summary>Where the image starts in the stream; image offsets plus this are stream offsets.</summary>
    public long BaseOffset => _base;

    public SquashfsSuperblock Superblock { get; }

    /// <summary>Readable bytes of the image: BytesUsed (checked against the stream length).</summary>
    public long ImageBytes { get; }

    public FootprintFormatException Error(long offset, string message, Exception? inner = null)
        => new(SourceName, _base + offset, message, inner);

    /// <summary>Reads exactly <paramref name="buffer"/>.Length bytes at image offset <paramref name="position"/>.</summary>
    public void ReadExactly(long position, Span<byte> buffer, string what)
    {
        if (position < 0 || position > ImageBytes || buffer.Length > ImageBytes - position)
        {
            throw Error(position, $"{what}: {buffer.Length} bytes at {position} lie outside the image ({ImageBytes} bytes used)");
        }

        _stream.Position = _base + position;
        int total = 0;
        while (total < buffer.Length)
        {
            int n = _stream.Read(buffer[total..]);
            if (n == 0)
            {
                throw Error(position + total, $"{what}: unexpected end of data");
            }

            total += n;
        }
    }

    public readonly record struct MetadataBlock(byte[] Data, int Length, long Next);

    /// <summary>
    /// The metadata block at image offset <paramref name="position"/>, which must lie in [<paramref name="regionStart"/>,
    /// <paramref name="regionEnd"/>) (the table it belongs to).
    /// </summary>
    public MetadataBlock ReadMetadata(long position, long regionStart, long regionEnd, string what)
    {
        if (position < regionStart || position + 2 > regionEnd)
        {
            throw Error(position, $"{what}: metadata block at {position} is outside its table [{regionStart}, {regionEnd})");
        }

        if (_metadata.TryGetValue(position, out MetadataBlock cached))
        {
            return cached;
        }

        ReadExactly(position, _headerScratch, what);
        ushort header = BinaryPrimitives.ReadUInt16LittleEndian(_headerScratch);
        int size = header & 0x7FFF;
        bool stored = (header & MetadataUncompressedBit) != 0;
        if (size == 0 || size > MetadataBlockBytes)
        {
            throw Error(position, $"{what}: bad metadata block size {size} (1..{MetadataBlockBytes})");
        }

        if (position + 2 + size > regionEnd)
        {
            throw Error(position, $"{what}: metadata block of {size} bytes runs past its table end {regionEnd}");
        }

        byte[] raw = new byte[size];
        ReadExactly(position + 2, raw, what);
        byte[] data;
        int length;
        if (stored)
        {
            data = raw;
            length = size;
        }
        else
        {
            data = new byte[MetadataBlockBytes];
            length = Decompress(raw, data, position, what);
        }

        if (_metadata.Count >= MaxCachedMetadataBlocks)
        {
            _metadata.Clear();
        }

        var block = new MetadataBlock(data, length, position + 2 + size);
        _metadata[position] = block;
        return block;
    }

    /// <summary>
    /// Decompresses one block with the image's compressor into <paramref name="output"/>; more output than fits is an
    /// error (a data block never exceeds the block size, a metadata block 8 KiB). Returns the bytes written.
    /// </summary>
    public int Decompress(ReadOnlySpan<byte> input, Span<byte> output, long position, string what)
    {
        int written;
        try
        {
            written = Superblock.Compression switch
            {
                SquashfsCompression.Gzip => DrainStream(new ZLibStream(ToStream(input), CompressionMode.Decompress), output),
                SquashfsCompression.Xz => XzDictionaryFits(input, output.Length) ? DrainStream(new XZStream(ToStream(input)), output) : -1,
                SquashfsCompression.Lzma => DecompressLzma(input, output),
                SquashfsCompression.Lzo => Lzo1xDecompressor.TryDecompress(input, output, out int n) ? n : -1,
                SquashfsCompression.Lz4 => LZ4Codec.Decode(input, output),
                SquashfsCompression.Zstd => DecompressZstd(input, output),
                _ => -1,
            };
        }
        catch (Exception ex) when (ex is not FootprintFormatException and not OutOfMemoryException)
        {
            throw Error(position, $"{what}: corrupt {Superblock.Compression} block ({ex.GetType().Name}: {ex.Message})", ex);
        }

        if (written < 0)
        {
            throw Error(position, $"{what}: corrupt {Superblock.Compression} block, or it decompresses to more than {output.Length} bytes");
        }

        return written;
    }

    private static MemoryStream ToStream(ReadOnlySpan<byte> input) => new(input.ToArray(), writable: false);

    /// <summary>Reads the decompressor to its end; -1 when it yields more than the output holds.</summary>
    private static int DrainStream(Stream decompressor, Span<byte> output)
    {
        using (decompressor)
        {
            int total = 0;
            while (total < output.Length)
            {
                int n = decompressor.Read(output[total..]);
                if (n == 0)
                {
                    return total;
                }

                total += n;
            }

            Span<byte> probe = stackalloc byte[1];
            return decompressor.Read(probe) == 0 ? total : -1;
        }
    }

    /// <summary>
    /// squashfs-tools' lzma_wrapper.c writes the legacy "lzma alone" layout per block: 5 property bytes, the 64-bit
    /// little-endian uncompressed size, then the raw LZMA stream.
    /// </summary>
    private static int DecompressLzma(ReadOnlySpan<byte> input, Span<byte> output)
    {
        const int HeaderBytes = 13;
        if (input.Length < HeaderBytes)
        {
            return -1;
        }

        ulong size = BinaryPrimitives.ReadUInt64LittleEndian(input[5..]);
        if (size > (ulong)output.Length)
        {
            return -1;
        }

        // The decoder allocates the dictionary the properties ask for; a block never refers further back than its own
        // output, so a larger dictionary is clamped rather than allocated.
        byte[] props = input[..5].ToArray();
        uint dictionary = BinaryPrimitives.ReadUInt32LittleEndian(props.AsSpan(1));
        BinaryPrimitives.WriteUInt32LittleEndian(props.AsSpan(1), (uint)Math.Min(dictionary, Math.Max(output.Length, 4096)));
        var raw = new MemoryStream(input[HeaderBytes..].ToArray(), writable: false);
        using LzmaStream lzma = LzmaStream.Create(props, raw, input.Length - HeaderBytes, (long)size, false);
        return DrainStream(lzma, output[..(int)size]) is var n && n == (int)size ? n : -1;
    }

    /// <summary>
    /// The xz decoder allocates the LZMA2 dictionary its filter properties ask for (up to 4 GiB). squashfs-tools'
    /// xz_wrapper writes one block per stream with a dictionary no larger than the block size, so a first block asking for
    /// more than 64 MiB is refused before any allocation. xz file format 1.2.0, 3.1 Block Header and 5.3.1 LZMA2:
    /// after the 12-byte stream header, the block header size byte, the flags (filter count - 1 in bits 0-1, bit 6
    /// compressed size, bit 7 uncompressed size present), the sizes as varints, then per filter: id, property size,
    /// properties; LZMA2 (id 0x21) has one byte, dictionary size = (2 | (b &amp; 1)) &lt;&lt; (b / 2 + 11).
    /// </summary>
    private static bool XzDictionaryFits(ReadOnlySpan<byte> input, int outputBytes)
    {
        const long MaxDictionaryBytes = 64L << 20;
        const int StreamHeaderBytes = 12;
        if (input.Length < StreamHeaderBytes + 2)
        {
            return false;
        }

        int headerEnd = StreamHeaderBytes + ((input[StreamHeaderBytes] + 1) * 4);
        if (input[StreamHeaderBytes] == 0 || headerEnd > input.Length)
        {
            return input[StreamHeaderBytes] == 0; // an index right away: an empty stream
        }

        int p = StreamHeaderBytes + 1;
        byte flags = input[p++];
        int filters = (flags & 3) + 1;
        if ((flags & 0x40) != 0 && !SkipVarint(input, ref p, headerEnd))
        {
            return false;
        }

        if ((flags & 0x80) != 0 && !SkipVarint(input, ref p, headerEnd))
        {
            return false;
        }

        for (int i = 0; i < filters; i++)
        {
            if (!ReadVarint(input, ref p, headerEnd, out ulong id) || !ReadVarint(input, ref p, headerEnd, out ulong propsSize) || propsSize > (ulong)(headerEnd - p))
            {
                return false;
            }

            if (id == 0x21)
            {
                int b = propsSize == 1 ? input[p] : 0xFF;
                if (b > 40)
                {
                    return false;
                }

                long dictionary = b == 40 ? uint.MaxValue : (2L | (b & 1L)) << ((b / 2) + 11);
                if (dictionary > Math.Max(MaxDictionaryBytes, outputBytes))
                {
                    return false;
                }
            }

            p += (int)propsSize;
        }

        return true;
    }

    private static bool SkipVarint(ReadOnlySpan<byte> input, ref int p, int end) => ReadVarint(input, ref p, end, out _);

    private static bool ReadVarint(ReadOnlySpan<byte> input, ref int p, int end, out ulong value)
    {
        value = 0;
        for (int shift = 0; shift < 63; shift += 7)
        {
            if (p >= end)
            {
                return false;
            }

            byte b = input[p++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return true;
            }
        }

        return false;
    }

    private static int DecompressZstd(ReadOnlySpan<byte> input, Span<byte> output)
    {
        using var zstd = new ZstdSharp.Decompressor();
        return zstd.Unwrap(input, output);
    }
}
