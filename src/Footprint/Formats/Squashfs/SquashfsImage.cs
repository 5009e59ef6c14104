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
                SquashfsCompression.Xz => DrainStream(new XZStream(ToStream(input)), output),
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

        byte[] props = input[..5].ToArray();
        var raw = new MemoryStream(input[HeaderBytes..].ToArray(), writable: false);
        using LzmaStream lzma = LzmaStream.Create(props, raw, input.Length - HeaderBytes, (long)size, false);
        return DrainStream(lzma, output[..(int)size]) is var n && n == (int)size ? n : -1;
    }

    private static int DecompressZstd(ReadOnlySpan<byte> input, Span<byte> output)
    {
        using var zstd = new ZstdSharp.Decompressor();
        return zstd.Unwrap(input, output);
    }
}
