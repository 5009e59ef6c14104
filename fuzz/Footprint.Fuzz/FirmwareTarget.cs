using Footprint.Formats.Firmware;

namespace Footprint.Fuzz;

/// <summary>Scans the input as a flash image and reads the kernel version of every kernel-like part (bounded).</summary>
internal static class FirmwareTarget
{
    internal static void Fuzz(byte[] input)
    {
        using var stream = new MemoryStream(input, writable: false);
        foreach (FirmwarePart part in FirmwareScanner.Scan(stream, "fuzz"))
        {
            if (part.Offset < 0 || part.Length < 0 || part.Offset + part.Length > input.Length)
            {
                throw new InvalidOperationException($"{part.Type} at {part.Offset}+{part.Length} lies outside the {input.Length}-byte input");
            }

            if (part.Type is "lzma" or "gzip" or "xz" or "bzimage" or "uimage")
            {
                _ = FirmwareScanner.ReadKernelVersion(stream, part.Offset, part.Length);
            }
        }
    }
}
