using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.IO.Hashing;
using System.Numerics;

namespace Footprint.Formats.Compression;

/// <summary>
/// The magic numbers of the compressed formats Footprint meets, in one place: gzip (RFC 1952 §2.3.1), xz (xz file
/// format §2.1.1), zstd (RFC 8878 §3.1.1), bzip2, lz4's legacy frame, lzma-alone and lzop, as the kernel's
/// lib/decompress.c knows them. The <c>Is*</c> checks look at the magic alone (enough where the whole stream is then
/// decoded and errors are reported); the <c>TryRead*</c> probes also check the header fields that follow it, for a
/// carver that meets these bytes at any offset of an image.
/// </summary>
public static class CompressionProbe
{
    /// <summary>The longest magic among the <c>Is*</c> checks (xz, 6 bytes).</summary>
    public const int MagicBytes = 6;

    /// <summary>Header bytes of an lzma-alone stream: properties (1), dictionary size (4), uncompressed size (8).</summary>
    public const int LzmaAloneHeaderBytes = 13;

    /// <summary>LZMA dictionaries above this are not believed by <see cref="TryReadLzmaAlone"/> (lzma -9 uses 64 MiB).</summary>
    public const uint MaxCarvedLzmaDictionaryBytes = 64u << 20;

    /// <summary>gzip: 1F 8B.</summary>
    public static bool IsGzip(ReadOnlySpan<byte> head) => head.StartsWith((ReadOnlySpan<byte>)[0x1F, 0x8B]);

    /// <summary>gzip with the deflate method (CM 8), the only one defined: 1F 8B 08.</summary>
    public static bool IsGzipDeflate(ReadOnlySpan<byte> head) => head.StartsWith((ReadOnlySpan<byte>)[0x1F, 0x8B, 0x08]);

    /// <summary>The kernel's gzip check: 1F 8B, or 1F 9E (old gzip).</summary>
    public static bool IsGzipOrOldGzip(ReadOnlySpan<byte> head) => head.Length >= 2 && head[0] == 0x1F && head[1] is 0x8B or 0x9E;

    /// <summary>xz: FD '7zXZ' 00.</summary>
    public static bool IsXz(ReadOnlySpan<byte> head) => head.StartsWith((ReadOnlySpan<byte>)[0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]);

    /// <summary>zstd frame: 28 B5 2F FD.</summary>
    public static bool IsZstd(ReadOnlySpan<byte> head) => head.StartsWith((ReadOnlySpan<byte>)[0x28, 0xB5, 0x2F, 0xFD]);

    /// <summary>bzip2 stream header: "BZh".</summary>
    public static bool IsBzip2(ReadOnlySpan<byte> head) => head.StartsWith("BZh"u8);

    /// <summary>lz4 legacy frame (`lz4 -l`, the kernel's unlz4): 02 21 4C 18.</summary>
    public static bool IsLz4Legacy(ReadOnlySpan<byte> head) => head.StartsWith((ReadOnlySpan<byte>)[0x02, 0x21, 0x4C, 0x18]);

    /// <summary>lzma-alone as the kernel recognises it (5D 00 00): the default properties byte and a dictionary size whose low bytes are 0.</summary>
    public static bool IsLzmaAlone(ReadOnlySpan<byte> head) => head.StartsWith((ReadOnlySpan<byte>)[0x5D, 0x00, 0x00]);

    /// <summary>lzop: 89 'LZO', the first three bytes of its nine-byte magic (what the kernel checks).</summary>
    public static bool IsLzop(ReadOnlySpan<byte> head) => head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x4C, 0x5A]);

    /// <summary>
    /// A plausible lzma-alone header's first byte: the properties lc + lp*9 + pb*45 below 225, with the 13-byte
    /// header present. Almost any byte passes: only <see cref="TryReadLzmaAlone"/> is a real check.
    /// </summary>
    public static bool HasLzmaAloneProperties(ReadOnlySpan<byte> head) => head.Length >= LzmaAloneHeaderBytes && head[0] < 225;

    /// <summary>
    /// A gzip member header (RFC 1952 §2.3): 1F 8B 08, no reserved flag bits, XFL 0, 2 or 4, and an OS of 0 to 13 or
    /// 255 (unknown). <paramref name="flags"/> is FLG.
    /// </summary>
    public static bool TryReadGzip(ReadOnlySpan<byte> head, out byte flags)
    {
        flags = 0;
        if (head.Length < 10 || !IsGzipDeflate(head) || (head[3] & 0xE0) != 0 || head[8] is not (0 or 2 or 4) || (head[9] > 13 && head[9] != 255))
        {
            return false;
        }

        flags = head[3];
        return true;
    }

    /// <summary>
    /// An xz stream header (xz file format §2.1.1): the magic, stream flags 00 0x (x the check type) and the CRC-32 of
    /// the flags. <paramref name="checkType"/> is the check's id (0 none, 1 CRC-32, 4 CRC-64, 10 SHA-256).
    /// </summary>
    public static bool TryReadXz(ReadOnlySpan<byte> head, out int checkType)
    {
        checkType = 0;
        if (head.Length < 12 || !IsXz(head) || head[6] != 0 || (head[7] & 0xF0) != 0 || Crc32.HashToUInt32(head.Slice(6, 2)) != BinaryPrimitives.ReadUInt32LittleEndian(head[8..]))
        {
            return false;
        }

        checkType = head[7] & 0x0F;
        return true;
    }

    /// <summary>
    /// An lzma-alone header (LZMA SDK lzma.txt): properties byte lc + lp*9 + pb*45 (below 225), dictionary size (LE u32),
    /// uncompressed size (LE u64, all ones when unknown). Believed when the dictionary is 2^n or 2^n + 2^(n-1) from 4 KiB
    /// to <see cref="MaxCarvedLzmaDictionaryBytes"/> and the size is unknown or nonzero and below 4 GiB.
    /// </summary>
    public static bool TryReadLzmaAlone(ReadOnlySpan<byte> head, [NotNullWhen(true)] out LzmaAloneHeader? header)
    {
        header = null;
        if (!HasLzmaAloneProperties(head))
        {
            return false;
        }

        uint dict = BinaryPrimitives.ReadUInt32LittleEndian(head[1..]);
        ulong size = BinaryPrimitives.ReadUInt64LittleEndian(head[5..]);
        bool dictOk = dict >= 4096 && dict <= MaxCarvedLzmaDictionaryBytes && (BitOperations.IsPow2(dict) || BitOperations.IsPow2(dict / 3 * 2) && dict % 3 == 0);
        if (!dictOk || (size != ulong.MaxValue && (size >> 32) != 0) || size == 0)
        {
            return false;
        }

        header = new LzmaAloneHeader(head[0], dict, size == ulong.MaxValue ? null : size);
        return true;
    }
}
