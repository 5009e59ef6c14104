using Footprint.Formats.Compression;
using Footprint.Formats.Cpio;
using Footprint.Formats.Kernel;

namespace Footprint.Fuzz;

/// <summary>
/// Reads the input as a kernel image (bzImage setup header, payload decompression capped at 32 MiB, banner, IKCONFIG,
/// built-in initramfs), then reads every entry of the built-in initramfs found, as the kernel source's layer does.
/// </summary>
internal static class KernelImageTarget
{
    private static readonly DecompressionLimits Limits = new() { MaxOutputBytes = 32L << 20, RatioGraceBytes = 1L << 20 };

    internal static void Fuzz(byte[] input)
    {
        var image = KernelImageReader.Read(input, "fuzz", Limits, maxDecompressedBytes: 32L << 20);
        if (image.Initramfs is { } initramfs)
        {
            using var reader = new InitramfsReader(new MemoryStream(initramfs.Bytes, writable: false), "fuzz initramfs", Limits);
            while (reader.GetNextEntry() is not null)
            {
                using var data = reader.OpenData();
                data.CopyTo(Stream.Null);
            }
        }

        _ = image.Config is { } config ? KernelConfigFacts.Of(config) : null;
    }
}
