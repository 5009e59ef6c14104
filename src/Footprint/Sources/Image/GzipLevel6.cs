using System.IO.Compression;

namespace Footprint.Sources.Image;

/// <summary>
/// The compressor settings push-size figures use: zlib level 6 with the default strategy, the level of `gzip -6`, of
/// Go's compress/gzip DefaultCompression (which docker and containerd push with) and of CompressionLevel.Optimal.
/// .NET compresses with zlib-ng, whose level 6 output is within ~2% of GNU gzip's; Go's flate differs again by a few
/// percent, which is why an estimate's error bound includes <see cref="ImplementationSpread"/>.
/// </summary>
internal static class GzipLevel6
{
    /// <summary>Relative spread between gzip implementations at level 6 on layer tars (zlib-ng vs GNU gzip: ~2%).</summary>
    public const double ImplementationSpread = 0.03;

    /// <summary>The gzip member header (RFC 1952 §2.3) zlib writes: no name, mtime 0, XFL 0 (level 6), OS 3 (Unix).</summary>
    public static ReadOnlySpan<byte> Header => [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03];

    /// <summary>Header plus the CRC-32 and ISIZE trailer around the deflate data.</summary>
    public const int FramingBytes = 18;

    public static ZLibCompressionOptions Options => new() { CompressionLevel = 6, CompressionStrategy = ZLibCompressionStrategy.Default };
}
