using System.Buffers.Binary;
using Footprint.Formats.Compression;
using Footprint.Formats.Cpio;

namespace Footprint.Formats.Kernel;

/// <summary>
/// Finds the built-in initramfs in a decompressed kernel. The linker script puts it in .init.data
/// (include/asm-generic/vmlinux.lds.h, INIT_RAM_FS: ". = ALIGN(4); __initramfs_start = .; KEEP(*(.init.ramfs))
/// . = ALIGN(8); KEEP(*(.init.ramfs.info))"), and usr/initramfs_data.S stores __initramfs_size right after it. With a
/// symbol table the two symbols bound it exactly; without one (the stripped vmlinux.bin inside a bzImage) .init.data
/// (or the whole image, for a raw binary) is scanned at 4-byte alignment for a cpio header ("070701"/"070702") or the
/// magic of a compressor whose first decompressed bytes are a cpio header, at most <see cref="MaxCompressedCandidates"/>
/// compressor candidates. The archive found is checked with the initramfs reader itself (a broken one is an error
/// naming its offset), then __initramfs_size is looked for at the next 8-byte boundaries to confirm its length.
/// </summary>
internal static class EmbeddedInitramfsLocator
{
    /// <summary>Compressor magics tried before giving up (each try decodes a few bytes).</summary>
    public const int MaxCompressedCandidates = 64;

    /// <summary>Zero padding looked across for __initramfs_size after the archive (gen_init_cpio pads to 512 bytes).</summary>
    private const int MaxTrailerSearchBytes = 4096;

    public static EmbeddedInitramfs? Locate(byte[] image, VmlinuxElf? elf, string name, DecompressionLimits limits)
    {
        long start = 0;
        long end = image.Length;
        string how = "scan of the image";
        if (elf is not null)
        {
            var symbols = elf.Symbols("__initramfs_start", "__initramfs_size");
            if (symbols.TryGetValue("__initramfs_start", out var startAddress) && elf.FileOffset(startAddress) is { } s
                && symbols.TryGetValue("__initramfs_size", out var sizeAddress) && elf.FileOffset(sizeAddress) is { } z && z + 4 <= image.Length)
            {
                long size = elf.BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(image.AsSpan((int)z)) : BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan((int)z));
                if (size == 0)
                {
                    return null;
                }

                if (size > image.Length - s)
                {
                    throw new FootprintFormatException(name, z, $"__initramfs_size {size} at 0x{z:x} runs past the end of the image from __initramfs_start 0x{s:x}");
                }

                return Commit(image, s, s + size, name, limits, "symbols", size, elf);
            }

            if (elf.Section(".init.data") is { } data)
            {
                (start, end, how) = (data.Offset, data.Offset + data.Size, "scan of .init.data");
            }
        }

        int tried = 0;
        for (long pos = start; pos + 6 <= end; pos += 4)
        {
            var head = image.AsSpan((int)pos, (int)Math.Min(16, end - pos));
            if (IsNewcHeader(image, pos, end))
            {
                return Commit(image, pos, end, name, limits, how, null, elf);
            }

            if (StartsLikeCompressed(head) is { } compressor && tried++ < MaxCompressedCandidates && DecompressesToCpio(image, pos, end, compressor, name))
            {
                return Commit(image, pos, end, name, limits, how, null, elf);
            }
        }

        return null;
    }

    /// <summary>
    /// A newc/crc header: "070701" or "070702" and 13 fields of 8 hex digits (110 bytes). The bare magic also occurs as a
    /// string in the kernel's own initramfs code; the whole header does not.
    /// </summary>
    private static readonly System.Buffers.SearchValues<byte> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF"u8);

    private static bool IsNewcHeader(byte[] image, long pos, long end)
    {
        const int HeaderBytes = 110;
        if (end - pos < HeaderBytes)
        {
            return false;
        }

        var h = image.AsSpan((int)pos, HeaderBytes);
        return h.StartsWith("07070"u8) && h[5] is (byte)'1' or (byte)'2' && !h[6..].ContainsAnyExcept(HexDigits);
    }

    /// <summary>A compressor magic strict enough to be worth a try: gzip with deflate, bzip2 with its block magic, a believable lzma header.</summary>
    private static string? StartsLikeCompressed(ReadOnlySpan<byte> head)
    {
        if (CompressionProbe.IsGzipDeflate(head) || CompressionProbe.IsXz(head) || CompressionProbe.IsZstd(head) || CompressionProbe.IsLz4Legacy(head))
        {
            return KernelCompressor.Detect(head);
        }

        if (head.Length >= 10 && CompressionProbe.IsBzip2(head) && head[3] is >= (byte)'1' and <= (byte)'9' && head[4..10].SequenceEqual("1AY&SY"u8))
        {
            return "bzip2";
        }

        return CompressionProbe.TryReadLzmaAlone(head, out _) ? "lzma" : null;
    }

    private static bool DecompressesToCpio(byte[] image, long pos, long end, string compressor, string name)
    {
        try
        {
            using var decoder = KernelDecompressor.Open(new ArraySegment<byte>(image, (int)pos, (int)(end - pos)), compressor, name, pos);
            var probe = new byte[6];
            return decoder.ReadAtLeast(probe, probe.Length, throwOnEndOfStream: false) == probe.Length && CpioReader.HasMagic(probe);
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            // A compressor's magic that starts no stream: constants and code look like magics now and then.
            return false;
        }
    }

    private static EmbeddedInitramfs Commit(byte[] image, long pos, long end, string name, DecompressionLimits limits, string how, long? recorded, VmlinuxElf? elf)
    {
        string where = $"{name} (initramfs at 0x{pos:x} in the decompressed kernel)";
        var names = new List<string>();
        InitramfsSegment first;
        using (var reader = new InitramfsReader(new MemoryStream(image, (int)pos, (int)(end - pos), writable: false), where, limits))
        {
            try
            {
                while (reader.Segments.Count == 0 && reader.GetNextEntry() is { } entry)
                {
                    if (names.Count < KernelImageReader.MaxStubCheckEntries + 1)
                    {
                        names.Add(entry.Name.TrimStart('.').Trim('/'));
                    }
                }
            }
            catch (FootprintFormatException) when (reader.Segments.Count > 0)
            {
                // What follows the first archive (__initramfs_size, the rest of .init.data) is not initramfs: without the
                // symbols, the first archive is the built-in initramfs.
            }

            if (reader.Segments.Count == 0)
            {
                throw new FootprintFormatException(where, 0, "the built-in initramfs ends before its first archive is complete");
            }

            first = reader.Segments[0];
        }

        long length = recorded ?? first.StoredBytes;
        if (recorded is null && FindSizeTrailer(image, pos, first.StoredBytes, elf) is { } size)
        {
            (length, recorded, how) = (size, size, how + ", bounded by __initramfs_size");
        }

        names.RemoveAll(n => n.Length == 0);
        bool stub = names.Count == 3 && names.Order(StringComparer.Ordinal).SequenceEqual(["dev", "dev/console", "root"]);
        return new EmbeddedInitramfs(pos, image.AsSpan((int)pos, (int)length).ToArray(), first.Compression, how, recorded, stub, names.Count);
    }

    /// <summary>
    /// __initramfs_size: the word at ALIGN(start + size, 8) whose value is that size, looked for across the zero padding
    /// after the archive (usr/initramfs_data.S; the archive file itself may end in padding the reader does not count).
    /// </summary>
    private static long? FindSizeTrailer(byte[] image, long start, long archiveBytes, VmlinuxElf? elf)
    {
        bool big = elf?.BigEndian ?? false;
        for (long q = (start + archiveBytes + 7) & ~7L; q + 4 <= image.Length && q <= start + archiveBytes + MaxTrailerSearchBytes; q += 8)
        {
            // A 64-bit kernel stores a quad: its low half comes first little-endian, second big-endian.
            int at = (int)(big && (elf?.Is64 ?? false) ? q + 4 : q);
            if (at + 4 > image.Length)
            {
                break;
            }

            uint v = big ? BinaryPrimitives.ReadUInt32BigEndian(image.AsSpan(at)) : BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(at));
            if (v == 0)
            {
                continue;
            }

            return v >= archiveBytes && ((start + v + 7) & ~7L) == q ? v : null;
        }

        return null;
    }
}
