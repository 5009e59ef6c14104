namespace Footprint.Formats.Kernel;

/// <summary>
/// Undoes the x86 branch converter (BCJ) in place over a whole xz block: the E8/E9 call and jump targets the encoder
/// made absolute are made relative again. The algorithm is xz's public-domain simple/x86.c (decoder direction, start
/// offset 0); the last four bytes, which no instruction can start in, stay as they are, as xz leaves them.
/// </summary>
internal static class X86Bcj
{
    private static readonly bool[] MaskToAllowedStatus = [true, true, true, false, true, false, false, false];
    private static readonly int[] MaskToBitNumber = [0, 1, 2, 2, 3, 3, 3, 3];

    public static void Decode(Span<byte> buffer)
    {
        if (buffer.Length < 5)
        {
            return;
        }

        uint prevMask = 0;
        uint prevPos = unchecked((uint)-5);
        int limit = buffer.Length - 5;
        int pos = 0;
        while (pos <= limit)
        {
            byte b = buffer[pos];
            if (b != 0xE8 && b != 0xE9)
            {
                pos++;
                continue;
            }

            uint offset = unchecked((uint)pos - prevPos);
            prevPos = (uint)pos;
            if (offset > 5)
            {
                prevMask = 0;
            }
            else
            {
                for (uint i = 0; i < offset; i++)
                {
                    prevMask &= 0x77;
                    prevMask <<= 1;
                }
            }

            b = buffer[pos + 4];
            if (IsMsByte(b) && MaskToAllowedStatus[(prevMask >> 1) & 0x7] && (prevMask >> 1) < 0x10)
            {
                uint src = ((uint)b << 24) | ((uint)buffer[pos + 3] << 16) | ((uint)buffer[pos + 2] << 8) | buffer[pos + 1];
                uint dest;
                while (true)
                {
                    dest = unchecked(src - ((uint)pos + 5));
                    if (prevMask == 0)
                    {
                        break;
                    }

                    int i = MaskToBitNumber[prevMask >> 1];
                    b = (byte)(dest >> (24 - (i * 8)));
                    if (!IsMsByte(b))
                    {
                        break;
                    }

                    src = dest ^ ((1u << (32 - (i * 8))) - 1);
                }

                buffer[pos + 4] = (byte)~(((dest >> 24) & 1) - 1);
                buffer[pos + 3] = (byte)(dest >> 16);
                buffer[pos + 2] = (byte)(dest >> 8);
                buffer[pos + 1] = (byte)dest;
                pos += 5;
                prevMask = 0;
            }
            else
            {
                pos++;
                prevMask |= 1;
                if (IsMsByte(b))
                {
                    prevMask |= 0x10;
                }
            }
        }
    }

    private static bool IsMsByte(byte b) => b is 0 or 0xFF;
}
