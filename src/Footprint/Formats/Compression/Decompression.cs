using ZstdSharp;

namespace Footprint.Formats.Compression;

/// <summary>Detects and undoes the compressions container layers and rootfs tarballs use.</summary>
public static class Decompression
{
    /// <summary>Longest magic we test (xz, 6 bytes).</summary>
    internal const int MagicLengthBytes = CompressionProbe.MagicBytes;

    private const int ZstdInputBufferBytes = 128 << 10;

    /// <summary>
    /// Recognises the format by its magic bytes: gzip 1f 8b (RFC 1952 §2.3.1), xz FD '7zXZ' 00 (xz file format §2.1.1.1),
    /// zstd 28 B5 2F FD (RFC 8878 §3.1.1), bzip2 "BZh" (the bzip2 stream header).
    /// </summary>
    public static CompressionKind Detect(ReadOnlySpan<byte> head)
    {
        if (CompressionProbe.IsGzip(head))
        {
            return CompressionKind.Gzip;
        }

        if (CompressionProbe.IsXz(head))
        {
            return CompressionKind.Xz;
        }

        if (CompressionProbe.IsZstd(head))
        {
            return CompressionKind.Zstd;
        }

        if (CompressionProbe.IsBzip2(head))
        {
            return CompressionKind.Bzip2;
        }

        return CompressionKind.None;
    }

    /// <summary>
    /// Detects the compression of <paramref name="input"/> (seekable or not) and returns a stream of its decompressed
    /// bytes, guarded by <paramref name="limits"/>. Uncompressed input is passed through. Every integrity check the
    /// format carries is verified by the time the stream has been read to its end (gzip CRC-32 and ISIZE of every
    /// member, xz block checks, zstd content checksums, bzip2 block and stream CRCs): a consumer that stops early has
    /// verified nothing, so read it to the end before trusting what came out. What follows the last member is
    /// described in <see cref="MemberSequenceStream"/>; bytes that are ignored there are reported to
    /// <paramref name="onWarning"/> with their offset.
    /// </summary>
    /// <exception cref="FootprintFormatException">
    /// Corrupt or truncated data, an integrity check that fails, or a limit exceeded (when reading).
    /// </exception>
    public static Stream Open(Stream input, string sourceName, DecompressionLimits limits, out CompressionKind kind, bool leaveOpen = false, Action<long, string>? onWarning = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(limits);
        var replay = new PrefixReplayStream(input, leaveOpen);
        kind = Detect(replay.Peek(MagicLengthBytes));
        if (kind == CompressionKind.None)
        {
            return replay;
        }

        // ByteSource buffers the input (the decoders' small reads are served from memory), counts the compressed
        // bytes consumed (bomb ratio, error offsets) and lets the member readers peek and push back.
        var compressed = new ByteSource(replay, leaveOpen: false);
        Stream decompressor = kind == CompressionKind.Zstd
            ? new DecompressionStream(compressed, ZstdInputBufferBytes, checkEndOfStream: true, leaveOpen: true)
            : new MemberSequenceStream(compressed, sourceName, kind, onWarning);
        return new DecompressionGuardStream(decompressor, compressed, sourceName, kind, limits);
    }
}
