using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Footprint.Formats.Compression;
using SharpCompress.Compressors.LZMA;

namespace Footprint.Formats.Firmware;

/// <summary>
/// Finds and bounds what a flash image holds (bootloader headers, kernels, filesystems, padding) by magic scanning, as
/// binwalk does, but with exact bounds taken from each format's own header. Written by hand: no library in the NuGet
/// copy carves firmware. One linear pass: every offset is offered to a fixed set of constant-cost magic checks; a part
/// whose length its header states (squashfs, cpio, ISO 9660, FAT, ext, JFFS2, padding, and compressed streams bounded by
/// an enclosing uImage/TRX/TP-Link header) is skipped whole, so nothing inside it is reported. Containers (uImage, TRX,
/// TP-Link) are not skipped: the kernel and rootfs inside them are listed as rows of their own.
/// Format facts: U-Boot include/image.h (legacy uImage), OpenWrt firmware-utils mktplinkfw.c (TP-Link v1 header) and
/// trx.c, OpenWrt fwtool (fwimage.h sysupgrade trailer), squashfs-tools squashfs_fs.h, the kernel's
/// include/uapi/linux/jffs2.h and Documentation/arch/x86/boot.rst, ECMA-119, Microsoft fatgen103, ext4 disk layout.
/// </summary>
public static class FirmwareScanner
{
    /// <summary>Most output <see cref="ReadKernelVersion"/> decompresses while looking for the Linux banner.</summary>
    public const long MaxKernelDecompressedBytes = 64L << 20;

    private const string LinuxBanner = "Linux version ";

    /// <summary>Lists the parts of a firmware image, ordered by offset; nested parts are rows of their own. Gaps are not reported.</summary>
    /// <exception cref="FootprintFormatException">Only for I/O on a stream shorter than it says; malformed headers are skipped, not fatal.</exception>
    public static IReadOnlyList<FirmwarePart> Scan(Stream seekable, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(seekable);
        ArgumentNullException.ThrowIfNull(sourceName);
        if (!seekable.CanSeek || !seekable.CanRead)
        {
            throw new ArgumentException("firmware scanning needs a readable, seekable stream", nameof(seekable));
        }

        return new FirmwareScan(seekable, sourceName).Run();
    }

    /// <summary>
    /// The Linux version of the kernel at [offset, offset + length): a bzImage's kernel_version string (setup header
    /// "HdrS" at 0x202, pointer at 0x20E, relative to 0x200), a uImage's name, or for a gzip-, xz- or LZMA-compressed kernel
    /// the text after "Linux version " in its first <see cref="MaxKernelDecompressedBytes"/> of output. Null when none is found.
    /// </summary>
    public static string? ReadKernelVersion(Stream seekable, long offset, long length)
    {
        ArgumentNullException.ThrowIfNull(seekable);
        if (offset < 0 || length <= 0 || offset >= seekable.Length)
        {
            return null;
        }

        length = Math.Min(length, seekable.Length - offset);
        byte[] head = new byte[(int)Math.Min(0x400, length)];
        seekable.Position = offset;
        seekable.ReadExactly(head);
        if (head.Length >= 64 && BinaryPrimitives.ReadUInt32BigEndian(head) == UImageCarver.Magic)
        {
            return FirmwareText.CString(head.AsSpan(32, 32));
        }

        if (head.Length >= 0x210 && head.AsSpan(0x202, 4).SequenceEqual("HdrS"u8))
        {
            int pointer = BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(0x20E));
            if (pointer == 0 || 0x200L + pointer >= length)
            {
                return null;
            }

            byte[] text = new byte[(int)Math.Min(256, length - 0x200 - pointer)];
            seekable.Position = offset + 0x200 + pointer;
            seekable.ReadExactly(text);
            return FirmwareText.CString(text);
        }

        try
        {
            using Stream? decompressed = OpenCompressed(seekable, offset, length, head);
            long limit = MaxKernelDecompressedBytes;
            if (CompressionProbe.HasLzmaAloneProperties(head) && BinaryPrimitives.ReadInt64LittleEndian(head.AsSpan(5)) is > 0 and var stated)
            {
                limit = Math.Min(limit, stated); // LZMA: never ask the decoder for bytes past the stated size
            }

            return decompressed is null ? null : FindBanner(decompressed, limit);
        }
        catch (Exception e) when (IsDecoderFailure(e))
        {
            return null; // a corrupt stream has no readable banner
        }
    }

    /// <summary>
    /// What a decompressor throws on bytes that are not its format (SharpCompress has its own DataErrorException): the
    /// candidate is not believed. Out-of-memory is not swallowed.
    /// </summary>
    internal static bool IsDecoderFailure(Exception e) => e is not (OutOfMemoryException or InsufficientExecutionStackException);

    internal static Stream? OpenCompressed(Stream seekable, long offset, long length, ReadOnlySpan<byte> head)
    {
        var slice = new WindowStream(seekable, offset, length, leaveOpen: true);
        if (CompressionProbe.IsGzipDeflate(head))
        {
            return new GZipStream(slice, CompressionMode.Decompress);
        }

        if (CompressionProbe.IsXz(head))
        {
            return new SharpCompress.Compressors.Xz.XZStream(slice);
        }

        if (CompressionProbe.HasLzmaAloneProperties(head))
        {
            byte[] props = head[..5].ToArray();
            slice.Position = 13;
            // Output size -1 even when the header states one: SharpCompress checks, on reaching a stated size, that the
            // input ends there too, and OpenWrt kernels are followed by padding. Callers cap what they read.
            return LzmaStream.Create(props, slice, length - 13, -1);
        }

        return null;
    }

    internal static string? FindBanner(Stream decompressed, long limit)
    {
        // Small reads: a decoder that fails on what follows the stream (padding) loses only the last read.
        byte[] buffer = new byte[64 << 10];
        byte[] needle = Encoding.ASCII.GetBytes(LinuxBanner);
        int kept = 0;
        long total = 0;
        while (total < limit)
        {
            int n = decompressed.Read(buffer, kept, (int)Math.Min(buffer.Length - kept, limit - total));
            if (n <= 0)
            {
                return null;
            }

            total += n;
            int filled = kept + n;
            int at = buffer.AsSpan(0, filled).IndexOf(needle);
            if (at >= 0)
            {
                int end = filled;
                ReadOnlySpan<byte> rest = buffer.AsSpan(at + needle.Length, Math.Min(256, end - at - needle.Length));
                int stop = rest.IndexOfAny((byte)0, (byte)'\n');
                if (stop < 0 && end - at < 512 && total < limit)
                {
                    // the banner may continue in the next read: keep it at the front
                    Array.Copy(buffer, at, buffer, 0, filled - at);
                    kept = filled - at;
                    continue;
                }

                return Encoding.ASCII.GetString(stop < 0 ? rest : rest[..stop]);
            }

            kept = Math.Min(needle.Length - 1, filled);
            Array.Copy(buffer, filled - kept, buffer, 0, kept);
        }

        return null;
    }
}
