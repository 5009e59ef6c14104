using System.Globalization;
using Footprint.Formats.Compression;
using Footprint.Formats.Firmware;

namespace Footprint.Formats.Kernel;

/// <summary>
/// A kernel in a U-Boot legacy image (include/image.h): the 64-byte header is read by the firmware reader's own uImage
/// code (<see cref="FirmwareScanner"/>, header CRC, data CRC, names of os/arch/type/compression), and the data is
/// decompressed as the header says. The result is a raw binary on most boards (MIPS, ARM Image), so the architecture is
/// the header's and a Linux banner must be found in it.
/// </summary>
public static class UImageKernel
{
    private const int HeaderBytes = 64;

    /// <summary>
    /// True when <paramref name="path"/> is one uImage of type kernel with nothing else a flash image carries
    /// (squashfs, JFFS2, cpio, ext): a flash image that starts with a uImage is left to the firmware reader.
    /// </summary>
    public static bool IsBareKernel(string path)
    {
        using var stream = File.OpenRead(path);
        IReadOnlyList<FirmwarePart> parts;
        try
        {
            parts = FirmwareScanner.Scan(stream, path);
        }
        catch (FootprintFormatException)
        {
            return false;
        }

        return parts.FirstOrDefault(p => p.Offset == 0 && p.Type == "uimage") is { } u
            && u.Details.GetValueOrDefault("type") is "kernel" or "kernel_noload"
            && !parts.Any(p => p.Type is "squashfs" or "jffs2" or "cpio" or "ext" or "iso9660" or "fat" or "trx");
    }

    public static KernelImage Read(byte[] file, string path, DecompressionLimits limits, long maxDecompressedBytes)
    {
        IReadOnlyList<FirmwarePart> parts;
        using (var stream = new MemoryStream(file, writable: false))
        {
            parts = FirmwareScanner.Scan(stream, path);
        }

        var header = parts.FirstOrDefault(p => p.Offset == 0 && p.Type == "uimage")
            ?? throw new FootprintFormatException(path, 4, "uImage header CRC does not match (or the header is truncated)");
        var d = header.Details;
        long size = long.Parse(d["data_size"], CultureInfo.InvariantCulture);
        if (d["data_crc"] == "truncated")
        {
            throw new FootprintFormatException(path, 12, $"uImage data_size {size} runs past the end of the file ({file.Length} bytes)");
        }

        if (d["data_crc"] == "bad")
        {
            throw new FootprintFormatException(path, 24, "uImage data CRC does not match its data");
        }

        if (d["type"] is not ("kernel" or "kernel_noload"))
        {
            throw new FootprintFormatException(path, 30, $"uImage of type {d["type"]}, not a kernel");
        }

        string compression = d["compression"];
        var data = new ArraySegment<byte>(file, HeaderBytes, (int)size);
        var head = data.AsSpan(0, Math.Min(16, data.Count));
        // OpenWrt's lzma is written with lc=1 lp=2 pb=2 (properties 0x6D), not the 0x5D the magic list knows.
        bool matches = compression == "lzma" ? CompressionProbe.TryReadLzmaAlone(head, out _) : KernelCompressor.Detect(head) == compression;
        if (compression != "none" && !matches)
        {
            throw new FootprintFormatException(path, HeaderBytes, $"the uImage header says {compression} but its data starts with {Convert.ToHexString(head[..Math.Min(8, head.Length)])} (lz4 must be the legacy format the kernel uses)");
        }

        byte[] image = compression switch
        {
            "none" => data.ToArray(),
            "gzip" or "bzip2" or "lzma" or "lzo" or "lz4" or "zstd" => KernelDecompressor.Decompress(data, compression, $"{path} (uImage data)", HeaderBytes, maxDecompressedBytes),
            _ => throw new FootprintFormatException(path, 31, $"uImage compression {compression} is not known"),
        };
        var kernel = new KernelImage
        {
            Format = "uimage", FileBytes = file.Length, Compressor = compression, PayloadOffset = HeaderBytes, PayloadBytes = size,
            DecompressedBytes = image.Length, Architecture = d["arch"], Bits = 0,
        };
        return KernelImageReader.Describe(image, path, limits, kernel);
    }
}
