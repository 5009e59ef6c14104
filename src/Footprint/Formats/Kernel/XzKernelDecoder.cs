using System.Buffers.Binary;
using System.IO.Hashing;
using SharpCompress.Compressors.LZMA;

namespace Footprint.Formats.Kernel;

/// <summary>
/// Decodes the xz stream of a kernel payload (scripts/xz_wrap.sh: `xz --check=crc32 --x86 --lzma2=...`): the xz
/// container is read here (tukaani xz-file-format.txt §2-3: stream header, block headers, the LZMA2 data, block padding
/// and check, up to the index), LZMA2 is decoded by SharpCompress's raw LZMA2 decoder and the x86 BCJ filter is undone
/// here over the whole block. SharpCompress's own XZStream applies its x86 filter to each read buffer from index 0 and
/// drops the bytes an instruction straddles between reads, so a kernel decoded through it fails its block check.
/// Block checks: CRC32 (what the kernel build uses) is verified; none is accepted; CRC64 and SHA-256 are refused
/// rather than skipped unverified.
/// </summary>
internal static class XzKernelDecoder
{
    private const byte FilterX86 = 0x04;
    private const byte FilterLzma2 = 0x21;

    public static byte[] Decompress(ArraySegment<byte> data, string name, long offset, long maxOutputBytes)
    {
        var input = data.AsSpan();
        if (input.Length < 12 || !input.StartsWith((ReadOnlySpan<byte>)[0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]))
        {
            throw new FootprintFormatException(name, offset, "xz stream header is missing or truncated");
        }

        if (Crc32.HashToUInt32(input.Slice(6, 2)) != BinaryPrimitives.ReadUInt32LittleEndian(input[8..]) || input[6] != 0 || (input[7] & 0xF0) != 0)
        {
            throw new FootprintFormatException(name, offset + 6, "xz stream flags are corrupt");
        }

        int check = input[7] & 0x0F;
        if (check is not (0x00 or 0x01))
        {
            throw new FootprintFormatException(name, offset + 7, $"xz check type {check} is not supported here (the kernel build uses CRC32, type 1)");
        }

        var output = new MemoryStream();
        int pos = 12;
        while (true)
        {
            if (pos >= input.Length)
            {
                throw new FootprintFormatException(name, offset + pos, "xz stream ends before its index");
            }

            if (input[pos] == 0)
            {
                // The index follows the last block; what the blocks produced is the stream's output.
                return output.ToArray();
            }

            pos = DecodeBlock(data, pos, check, name, offset, maxOutputBytes, output);
        }
    }

    private static int DecodeBlock(ArraySegment<byte> data, int start, int check, string name, long offset, long maxOutputBytes, MemoryStream output)
    {
        var input = data.AsSpan();
        int headerBytes = (input[start] + 1) * 4;
        if (start + headerBytes > input.Length)
        {
            throw new FootprintFormatException(name, offset + start, "xz block header is truncated");
        }

        var header = input.Slice(start, headerBytes);
        if (Crc32.HashToUInt32(header[..^4]) != BinaryPrimitives.ReadUInt32LittleEndian(header[^4..]))
        {
            throw new FootprintFormatException(name, offset + start, "xz block header CRC32 does not match");
        }

        byte flags = header[1];
        int filters = (flags & 0x03) + 1;
        int p = 2;
        if ((flags & 0x40) != 0)
        {
            _ = VarInt(header, ref p, name, offset + start);
        }

        if ((flags & 0x80) != 0)
        {
            _ = VarInt(header, ref p, name, offset + start);
        }

        bool x86 = false;
        byte? dictionary = null;
        for (int i = 0; i < filters; i++)
        {
            ulong id = VarInt(header, ref p, name, offset + start);
            ulong size = VarInt(header, ref p, name, offset + start);
            if (size > (ulong)(header.Length - 4 - p))
            {
                throw new FootprintFormatException(name, offset + start, "xz filter properties run past the block header");
            }

            var props = header.Slice(p, (int)size);
            p += (int)size;
            bool last = i == filters - 1;
            if (id == FilterX86 && !last && (props.Length == 0 || (props.Length == 4 && BinaryPrimitives.ReadUInt32LittleEndian(props) == 0)))
            {
                x86 = true;
            }
            else if (id == FilterLzma2 && last && props.Length == 1 && props[0] <= 40)
            {
                dictionary = props[0];
            }
            else
            {
                throw new FootprintFormatException(name, offset + start, $"xz filter 0x{id:x} (as filter {i + 1} of {filters}) is not supported here: kernel payloads use x86 BCJ then LZMA2");
            }
        }

        if (dictionary is not { } dict)
        {
            throw new FootprintFormatException(name, offset + start, "xz block has no LZMA2 filter");
        }

        if (dict > 37)
        {
            throw new FootprintFormatException(name, offset + start, $"xz LZMA2 dictionary property {dict} asks for more than {KernelDecompressor.MaxLzmaDictionaryBytes} bytes");
        }

        int dataStart = start + headerBytes;
        var compressed = new MemoryStream(data.Array!, data.Offset + dataStart, data.Count - dataStart, writable: false);
        byte[] block;
        try
        {
            using var lzma2 = LzmaStream.Create([dict], compressed, -1, -1, null, isLzma2: true, leaveOpen: true);
            block = ReadCapped(lzma2, maxOutputBytes - output.Length, name, offset + dataStart, maxOutputBytes);
        }
        catch (FootprintFormatException)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            throw new FootprintFormatException(name, offset + dataStart, $"corrupt or truncated LZMA2 data in the xz block: {ex.Message}", ex);
        }

        if (x86)
        {
            X86Bcj.Decode(block);
        }

        // The LZMA2 decoder reads its input byte by byte up to the end marker, so the stream's position is the data's end.
        int end = dataStart + (int)compressed.Position;
        end += (4 - ((end - start) & 3)) & 3;
        int checkBytes = check == 1 ? 4 : 0;
        if (end + checkBytes > input.Length)
        {
            throw new FootprintFormatException(name, offset + end, "xz block check is truncated");
        }

        if (check == 1 && Crc32.HashToUInt32(block) != BinaryPrimitives.ReadUInt32LittleEndian(input[end..]))
        {
            throw new FootprintFormatException(name, offset + end, "xz block CRC32 does not match the decompressed data");
        }

        output.Write(block);
        return end + checkBytes;
    }

    private static byte[] ReadCapped(Stream decoder, long room, string name, long offset, long maxOutputBytes)
    {
        var output = new MemoryStream();
        var buffer = new byte[1 << 20];
        int n;
        while ((n = decoder.Read(buffer, 0, buffer.Length)) > 0)
        {
            if (output.Length + n > room)
            {
                throw new FootprintFormatException(name, offset, $"decompression bomb: the xz data decompresses to more than {maxOutputBytes} bytes, the cap on a decompressed kernel");
            }

            output.Write(buffer, 0, n);
        }

        return output.ToArray();
    }

    /// <summary>xz multibyte integer (§1.2): 7 bits a byte, at most 9 bytes.</summary>
    private static ulong VarInt(ReadOnlySpan<byte> header, ref int p, string name, long offset)
    {
        ulong value = 0;
        for (int i = 0; i < 9; i++)
        {
            if (p >= header.Length - 4)
            {
                throw new FootprintFormatException(name, offset, "xz block header field runs past the header");
            }

            byte b = header[p++];
            value |= (ulong)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw new FootprintFormatException(name, offset, "xz multibyte integer longer than 9 bytes");
    }
}
