using Footprint.Formats.Compression;
using SharpCompress.Compressors.BZip2;
using SharpCompress.Compressors.LZMA;
using SharpCompress.Compressors.Xz;
using ZstdSharp;
using SharpCompressionMode = SharpCompress.Compressors.CompressionMode;

namespace Footprint.Formats.Kernel;

/// <summary>
/// Undoes a kernel payload's compression in memory with the decoders the initramfs reader uses (GzipMemberStream,
/// SharpCompress xz/bzip2/lzma, ZstdSharp, K4os lz4 legacy blocks). The output is bounded by a cap the caller states,
/// never by a size read from the input (the 4-byte size trailer is only compared afterwards). lzo has no reader here
/// and is refused by name.
/// </summary>
public static class KernelDecompressor
{
    /// <summary>Largest lzma dictionary accepted: the decoder allocates it up front (xz -9's 64 MiB).</summary>
    public const int MaxLzmaDictionaryBytes = 64 << 20;

    private const int CopyBufferBytes = 1 << 20;

    /// <summary>
    /// Decompresses <paramref name="data"/> (one compressed stream, already without the build's 4-byte size trailer
    /// when it has one) into a new array of at most <paramref name="maxOutputBytes"/> bytes.
    /// </summary>
    /// <param name="data">The compressed bytes.</param>
    /// <param name="compressor">A <see cref="KernelCompressor"/> name.</param>
    /// <param name="name">Names the input in errors (file and what part of it).</param>
    /// <param name="offset">Offset of <paramref name="data"/> in that input, for errors.</param>
    /// <param name="maxOutputBytes">The cap on the output.</param>
    /// <exception cref="FootprintFormatException">Corrupt data, lzo, or more output than the cap.</exception>
    public static byte[] Decompress(ArraySegment<byte> data, string compressor, string name, long offset, long maxOutputBytes)
    {
        if (compressor == "xz")
        {
            return XzKernelDecoder.Decompress(data, name, offset, maxOutputBytes);
        }

        try
        {
            using var decoder = Open(data, compressor, InnerName(name, compressor), 0);
            return ReadAll(decoder, compressor, name, offset, maxOutputBytes);
        }
        catch (FootprintFormatException e) when (e.FileName == InnerName(name, compressor) && e.Offset is { } at)
        {
            // The shared decoders count offsets from the start of the stream they were given: made offsets in the file.
            string prefix = $"{e.FileName}: at offset {at}: ";
            throw new FootprintFormatException(name, offset + at, e.Message.StartsWith(prefix, StringComparison.Ordinal) ? e.Message[prefix.Length..] : e.Message, e);
        }
    }

    private static string InnerName(string name, string compressor) => $"{name} [{compressor} stream]";

    /// <summary>Opens a decoder over <paramref name="data"/>; the stream throws on corrupt input as it is read.</summary>
    public static Stream Open(ArraySegment<byte> data, string compressor, string name, long offset)
    {
        if (compressor == "lzo")
        {
            throw new FootprintFormatException(name, offset, "unsupported kernel compression lzo (no lzo decoder is available)");
        }

        var source = new ByteSource(new MemoryStream(data.Array!, data.Offset, data.Count, writable: false), leaveOpen: false);

        // The head is peeked into the buffer first: the decoders that skip a magic (lz4 legacy) skip buffered bytes.
        _ = source.Peek(16);
        try
        {
            return compressor switch
            {
                KernelCompressor.None => source,
                "gzip" => new GzipMemberStream(source, name),
                "zstd" => new DecompressionStream(new ZstdFrameStream(source, name), 128 << 10, checkEndOfStream: true, leaveOpen: false),
                "xz" => new XZStream(source),
                "bzip2" => BZip2Stream.Create(source, SharpCompressionMode.Decompress, decompressConcatenated: false, leaveOpen: false, tolerateTruncatedStream: false),
                "lzma" => OpenLzma(source, name, offset),
                "lz4" => new Lz4LegacyStream(source, name),
                _ => throw new ArgumentException($"unknown compressor {compressor}", nameof(compressor)),
            };
        }
        catch (FootprintFormatException)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException and not ArgumentException)
        {
            throw new FootprintFormatException(name, offset, $"corrupt or truncated {compressor} data: {ex.Message}", ex);
        }
    }

    private static byte[] ReadAll(Stream decoder, string compressor, string name, long offset, long maxOutputBytes)
    {
        var output = new MemoryStream();
        var buffer = new byte[CopyBufferBytes];
        try
        {
            int n;
            while ((n = decoder.Read(buffer, 0, buffer.Length)) > 0)
            {
                if (output.Length + n > maxOutputBytes)
                {
                    throw new FootprintFormatException(name, offset, $"decompression bomb: the {compressor} data decompresses to more than {maxOutputBytes} bytes, the cap on a decompressed kernel");
                }

                output.Write(buffer, 0, n);
            }
        }
        catch (FootprintFormatException)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            throw new FootprintFormatException(name, offset, $"corrupt or truncated {compressor} data after {output.Length} decompressed bytes: {ex.Message}", ex);
        }

        return output.ToArray();
    }

    /// <summary>lzma-alone: properties byte, dictionary size (LE32), uncompressed size (LE64, all ones = unknown, as the kernel's build writes it).</summary>
    private static LzmaStream OpenLzma(ByteSource source, string name, long offset)
    {
        ReadOnlySpan<byte> h = source.Peek(13);
        if (!CompressionProbe.TryReadLzmaAlone(h, out var header))
        {
            throw new FootprintFormatException(name, offset, "lzma header is truncated or its properties byte is invalid");
        }

        if (header.DictionaryBytes > MaxLzmaDictionaryBytes)
        {
            throw new FootprintFormatException(name, offset, $"lzma dictionary of {header.DictionaryBytes} bytes exceeds {MaxLzmaDictionaryBytes}");
        }

        byte[] properties = h[..5].ToArray();
        source.Skip(13);

        // A known size (a uImage's lzma) tells the decoder where a stream without an end marker stops; it sizes nothing,
        // and the caller's cap still bounds the output. Unknown (all ones, the kernel build's) ends at the end marker.
        return LzmaStream.Create(properties, source, -1, header.UncompressedBytes is { } known ? (long)known : -1, leaveOpen: false);
    }
}
