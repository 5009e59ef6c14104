using System.IO.Compression;

namespace Footprint.Formats.Compression;

// TEMPORARY stand-in; replaced by the bomb-guarded version from branch tar-reader.
public enum CompressionKind { None, Gzip, Xz, Zstd, Bzip2 }

public sealed record DecompressionLimits
{
    public double MaxRatio { get; init; } = 250;
    public long RatioGraceBytes { get; init; } = 64L << 20;
    public long MaxOutputBytes { get; init; } = 256L << 30;
    public static DecompressionLimits Default { get; } = new();
}

public static class Decompression
{
    public static CompressionKind Detect(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 2 && head[0] == 0x1f && head[1] == 0x8b) return CompressionKind.Gzip;
        if (head.Length >= 6 && head[..6].SequenceEqual(new byte[] { 0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00 })) return CompressionKind.Xz;
        if (head.Length >= 4 && head[..4].SequenceEqual(new byte[] { 0x28, 0xB5, 0x2F, 0xFD })) return CompressionKind.Zstd;
        if (head.Length >= 3 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h') return CompressionKind.Bzip2;
        return CompressionKind.None;
    }

    public static Stream Open(Stream input, string sourceName, DecompressionLimits limits, out CompressionKind kind, bool leaveOpen = false)
    {
        var buffered = new BufferedStream(input, 1 << 20);
        Span<byte> head = stackalloc byte[8];
        var pos = input.CanSeek ? input.Position : 0;
        var n = buffered.ReadAtLeast(head, 8, throwOnEndOfStream: false);
        kind = Detect(head[..n]);
        buffered.Position = pos;
        return kind switch
        {
            CompressionKind.Gzip => new GZipStream(buffered, CompressionMode.Decompress, leaveOpen),
            CompressionKind.Xz => new SharpCompress.Compressors.Xz.XZStream(buffered),
            CompressionKind.Zstd => new ZstdSharp.DecompressionStream(buffered),
            _ => buffered,
        };
    }
}
