using Footprint.Formats.Compression;

namespace Footprint.Formats.Kernel;

/// <summary>
/// The compressors a Linux kernel payload may use (Kconfig KERNEL_GZIP ... KERNEL_ZSTD, KERNEL_UNCOMPRESSED), named
/// by their magic as lib/decompress.c's decompress_method() names them: gzip 1F 8B, bzip2 "BZh", lzma 5D 00 00,
/// xz FD "7zXZ" 00, lzo 89 "LZO", lz4 legacy 02 21 4C 18, zstd 28 B5 2F FD; "none" for an uncompressed ELF.
/// </summary>
public static class KernelCompressor
{
    public const string None = "none";

    /// <summary>The compressor whose magic starts <paramref name="head"/>, or null.</summary>
    public static string? Detect(ReadOnlySpan<byte> head)
    {
        if (CompressionProbe.IsGzipOrOldGzip(head))
        {
            return "gzip";
        }

        if (CompressionProbe.IsXz(head))
        {
            return "xz";
        }

        if (CompressionProbe.IsZstd(head))
        {
            return "zstd";
        }

        if (CompressionProbe.IsBzip2(head))
        {
            return "bzip2";
        }

        if (CompressionProbe.IsLz4Legacy(head))
        {
            return "lz4";
        }

        if (CompressionProbe.IsLzop(head))
        {
            return "lzo";
        }

        if (CompressionProbe.IsLzmaAlone(head))
        {
            return "lzma";
        }

        return head.StartsWith("\u007fELF"u8) ? None : null;
    }
}
