namespace Footprint.Formats.Squashfs;

/// <summary>
/// LZO1X decompressor (what squashfs-tools' lzo compressor, lzo1x_999, produces and lzo1x_decompress_safe reads).
/// No NuGet package in our copy decodes LZO, so it is written here from the format description in the Linux kernel's
/// Documentation/staging/lzo.rst ("LZO stream format as understood by Linux's LZO decompressor"). Every read of input
/// and every write of output is bounds-checked; a bad stream returns false, never throws.
/// </summary>
public static class Lzo1xDecompressor
{
    /// <summary>Zero bytes accepted in one run-length extension: 255 each, so a length stays far below int.MaxValue.</summary>
    private const int MaxZeroLengthBytes = 1 << 20;

    /// <summary>
    /// Decompresses one LZO1X block into <paramref name="output"/>. Returns false when the stream is malformed, reads past
    /// its input, refers before the start of the output, or does not fit in <paramref name="output"/>.
    /// </summary>
    public static bool TryDecompress(ReadOnlySpan<byte> input, Span<byte> output, out int written)
    {
        written = 0;
        int ip = 0;
        int op = 0;
        int state = 0;
        if (input.Length == 0)
        {
            return false;
        }

        // The first byte: 18..20 copy 1..3 literals (state = count), 21..255 copy 4..238 literals (state = 4);
        // 0..17 are ordinary instructions decoded with state 0.
        if (input[0] > 17)
        {
            int t = input[0] - 17;
            ip = 1;
            if (!CopyLiterals(input, ref ip, output, ref op, t))
            {
                return false;
            }

            state = t < 4 ? t : 4;
        }

        while (true)
        {
            if (ip >= input.Length)
            {
                return false;
            }

            int inst = input[ip++];
            int length;
            int distance;
            int next;
            if (inst < 16)
            {
                if (state == 0)
                {
                    // 0000LLLL: a literal run of 3 + L (L = 0: 18 + 255 per zero byte + the next non-zero byte).
                    length = inst;
                    if (length == 0 && !ReadLongLength(input, ref ip, 15, out length))
                    {
                        return false;
                    }

                    if (!CopyLiterals(input, ref ip, output, ref op, length + 3))
                    {
                        return false;
                    }

                    state = 4;
                    continue;
                }

                if (ip >= input.Length)
                {
                    return false;
                }

                int h = input[ip++];
                next = inst & 3;
                if (state < 4)
                {
                    // 0000DDSS HHHHHHHH after 1..3 literals: 2 bytes from distance (H << 2) + D + 1.
                    length = 2;
                    distance = (h << 2) + (inst >> 2) + 1;
                }
                else
                {
                    // After a run of 4 or more literals: 3 bytes from distance (H << 2) + D + 2049.
                    length = 3;
                    distance = (h << 2) + (inst >> 2) + 2049;
                }
            }
            else if (inst < 32)
            {
                // 0001HLLL + LE16: length 2 + L (L = 0: long), distance 16384 + (H << 14) + (LE16 >> 2); 16384 ends.
                length = inst & 7;
                if (length == 0 && !ReadLongLength(input, ref ip, 7, out length))
                {
                    return false;
                }

                if (ip + 2 > input.Length)
                {
                    return false;
                }

                int le16 = input[ip] | (input[ip + 1] << 8);
                ip += 2;
                distance = 16384 + ((inst & 8) << 11) + (le16 >> 2);
                next = le16 & 3;
                if (distance == 16384)
                {
                    // End of stream: the marker is the last thing in the block.
                    written = op;
                    return length == 1 && ip == input.Length;
                }

                length += 2;
            }
            else if (inst < 64)
            {
                // 001LLLLL + LE16: length 2 + L (L = 0: long), distance (LE16 >> 2) + 1.
                length = inst & 31;
                if (length == 0 && !ReadLongLength(input, ref ip, 31, out length))
                {
                    return false;
                }

                if (ip + 2 > input.Length)
                {
                    return false;
                }

                int le16 = input[ip] | (input[ip + 1] << 8);
                ip += 2;
                distance = (le16 >> 2) + 1;
                next = le16 & 3;
                length += 2;
            }
            else
            {
                // 01LDDDSS / 1LLDDDSS + H: 3..4 or 5..8 bytes from distance (H << 3) + D + 1.
                if (ip >= input.Length)
                {
                    return false;
                }

                int h = input[ip++];
                length = inst < 128 ? 3 + ((inst >> 5) & 1) : 5 + ((inst >> 5) & 3);
                distance = (h << 3) + ((inst >> 2) & 7) + 1;
                next = inst & 3;
            }

            if (!CopyMatch(output, ref op, distance, length) || !CopyLiterals(input, ref ip, output, ref op, next))
            {
                return false;
            }

            state = next;
        }
    }

    /// <summary>A zero length field: <paramref name="bias"/> + 255 per zero byte + the first non-zero byte.</summary>
    private static bool ReadLongLength(ReadOnlySpan<byte> input, ref int ip, int bias, out int length)
    {
        length = 0;
        int zeros = 0;
        while (ip < input.Length && input[ip] == 0)
        {
            ip++;
            if (++zeros > MaxZeroLengthBytes)
            {
                return false;
            }
        }

        if (ip >= input.Length)
        {
            return false;
        }

        length = bias + (zeros * 255) + input[ip++];
        return true;
    }

    private static bool CopyLiterals(ReadOnlySpan<byte> input, ref int ip, Span<byte> output, ref int op, int count)
    {
        if (count > input.Length - ip || count > output.Length - op)
        {
            return false;
        }

        input.Slice(ip, count).CopyTo(output[op..]);
        ip += count;
        op += count;
        return true;
    }

    private static bool CopyMatch(Span<byte> output, ref int op, int distance, int length)
    {
        if (distance > op || length > output.Length - op)
        {
            return false;
        }

        // Byte by byte: a match may overlap the bytes it produces (distance < length repeats a pattern).
        int from = op - distance;
        for (int i = 0; i < length; i++)
        {
            output[op + i] = output[from + i];
        }

        op += length;
        return true;
    }
}
