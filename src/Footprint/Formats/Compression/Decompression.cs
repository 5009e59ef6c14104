using System.IO.Compression;
using SharpCompress.Compressors.BZip2;
using SharpCompress.Compressors.Xz;
using ZstdSharp;
using SharpCompressionMode = SharpCompress.Compressors.CompressionMode;

namespace Footprint.Formats.Compression;

/// <summary>Detects and undoes the compressions container layers and rootfs tarballs use.</summary>
public static class Decompression
{
    /// <summary>Longest magic we test (xz, 6 bytes).</summary>
    private const int MagicLengthBytes = 6;

    /// <summary>Read-ahead buffer under the decompressor, so the libraries' small reads are served from memory.</summary>
    private const int InputBufferBytes = 1 << 20;

    private const int ZstdInputBufferBytes = 128 << 10;

    /// <summary>
    /// Recognises the format by its magic bytes: gzip 1f 8b (RFC 1952 §2.3.1), xz FD '7zXZ' 00 (xz file format §2.1.1.1),
    /// zstd 28 B5 2F FD (RFC 8878 §3.1.1), bzip2 "BZh" (the bzip2 stream header).
    /// </summary>
    public static CompressionKind Detect(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0x1F, 0x8B]))
        {
            return CompressionKind.Gzip;
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]))
        {
            return CompressionKind.Xz;
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x28, 0xB5, 0x2F, 0xFD]))
        {
            return CompressionKind.Zstd;
        }

        if (head.StartsWith("BZh"u8))
        {
            return CompressionKind.Bzip2;
        }

        return CompressionKind.None;
    }

    /// <summary>
    /// Detects the compression of <paramref name="input"/> (seekable or not) and returns a stream of its decompressed
    /// bytes, guarded by <paramref name="limits"/>. Uncompressed input is passed through.
    /// </summary>
    /// <exception cref="FootprintFormatException">
    /// Corrupt or truncated data (when opening, for decompressors that decode ahead such as bzip2, or when reading), or a
    /// limit exceeded when reading.
    /// </exception>
    public static Stream Open(Stream input, string sourceName, DecompressionLimits limits, out CompressionKind kind, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(limits);
        var replay = new PrefixReplayStream(input, leaveOpen);
        kind = Detect(replay.Peek(MagicLengthBytes));
        if (kind == CompressionKind.None)
        {
            return replay;
        }

        var compressed = new CountingReadStream(new BufferedStream(replay, InputBufferBytes));
        Stream decompressor;
        try
        {
            decompressor = kind switch
            {
                // GZipStream decodes concatenated members, as gzip -dc does.
                CompressionKind.Gzip => new GZipStream(compressed, CompressionMode.Decompress, leaveOpen: true),
                CompressionKind.Xz => new XZStream(compressed),
                CompressionKind.Zstd => new DecompressionStream(compressed, ZstdInputBufferBytes, checkEndOfStream: true, leaveOpen: true),
                // Create decodes the stream header and the whole first block eagerly, so corrupt input throws here.
                CompressionKind.Bzip2 => BZip2Stream.Create(compressed, SharpCompressionMode.Decompress, decompressConcatenated: true, leaveOpen: true, tolerateTruncatedStream: false),
                _ => throw new InvalidOperationException($"unhandled {kind}"),
            };
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            compressed.Dispose();
            throw new FootprintFormatException(sourceName, compressed.BytesRead, $"corrupt or truncated {kind} data: {ex.Message}", ex);
        }

        return new DecompressionGuardStream(decompressor, compressed, sourceName, kind, limits);
    }
}
