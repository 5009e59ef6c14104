using System.Buffers.Binary;
using System.Text;
using Footprint.Formats;
using Footprint.Formats.Compression;

namespace Footprint.Measures.Running;

/// <summary>
/// What the boot plan needs to know of an x86 bzImage (Documentation/arch/x86/boot.rst): the "HdrS" setup header, its
/// version string, init_size, and whether the kernel carries the 8250 serial driver (the decompressed payload names
/// "serial8250"; without it console=ttyS0 prints nothing and the VGA route is used). The payload is decompressed with
/// Footprint's own bounded decompressors and scanned as it streams.
/// </summary>
public sealed record KernelFacts(string? Version, long? InitSizeBytes, bool? HasSerial8250)
{
    /// <summary>Decompressed bytes scanned at most: the biggest distro kernels decompress to ~70 MiB.</summary>
    public const long MaxScannedBytes = 256L << 20;

    private static readonly byte[] SerialMarker = "serial8250"u8.ToArray();

    /// <summary>Whether <paramref name="head"/> (at least 0x210 bytes) is a bzImage.</summary>
    public static bool IsBzImage(ReadOnlySpan<byte> head) => head.Length >= 0x210 && head.Slice(0x202, 4).SequenceEqual("HdrS"u8);

    /// <exception cref="FootprintFormatException">Not a bzImage.</exception>
    public static KernelFacts Read(string path)
    {
        using var file = File.OpenRead(path);
        var head = new byte[0x8000];
        var got = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (!IsBzImage(head.AsSpan(0, got)))
        {
            throw new FootprintFormatException(path, 0x202, "not an x86 bzImage (no HdrS setup header)");
        }

        var protocol = BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(0x206));
        var setupSectors = head[0x1f1] == 0 ? 4 : head[0x1f1];
        string? version = null;
        var versionOffset = BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(0x20e)) + 0x200;
        if (versionOffset > 0x200 && versionOffset < got)
        {
            var end = Array.IndexOf(head, (byte)0, versionOffset, Math.Min(256, got - versionOffset));
            version = end > versionOffset ? Encoding.ASCII.GetString(head, versionOffset, end - versionOffset).Split(' ')[0] : null;
        }

        long? initSize = protocol >= 0x20a && got >= 0x264 ? BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(0x260)) : null;
        bool? serial = null;
        if (protocol >= 0x208)
        {
            long payloadOffset = (setupSectors + 1) * 512L + BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(0x248));
            long payloadLength = BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(0x24c));
            if (payloadOffset + payloadLength <= file.Length)
            {
                serial = ScanPayload(file, path, payloadOffset, payloadLength);
            }
        }

        return new KernelFacts(version, initSize, serial);
    }

    private static bool? ScanPayload(FileStream file, string path, long offset, long length)
    {
        var window = new WindowStream(file, offset, length);
        var buffer = new byte[1 << 16];
        var carry = 0;
        long scanned = 0;
        try
        {
            using var data = Decompression.Open(window, path + " (kernel payload)", new DecompressionLimits { MaxOutputBytes = MaxScannedBytes }, out var kind, leaveOpen: true);
            if (kind == CompressionKind.None)
            {
                return null;
            }

            int n;
            while (scanned < MaxScannedBytes && (n = data.Read(buffer, carry, buffer.Length - carry)) > 0)
            {
                var span = buffer.AsSpan(0, carry + n);
                if (span.IndexOf(SerialMarker) >= 0)
                {
                    return true;
                }

                scanned += n;
                carry = SerialMarker.Length - 1;
                span[^carry..].CopyTo(buffer);
            }

            return false;
        }
        catch (FootprintFormatException)
        {
            // The kernel's xz/gzip stream carries a trailing size the decoders may reject; what was scanned stands.
            return scanned > 0 ? false : null;
        }
    }
}
