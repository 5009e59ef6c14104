namespace Footprint.Formats.Tar;

/// <summary>
/// Wire-format constants and field parsers for one 512-byte tar header block. Offsets are those of POSIX.1-2017
/// "pax Interchange Format" (ustar header) and the GNU tar manual, "Basic Tar Format" (old GNU extensions).
/// </summary>
internal static class TarHeaderBlock
{
    public const int BlockSizeBytes = 512;

    public const int NameOffset = 0;
    public const int NameLengthBytes = 100;
    public const int SizeOffset = 124;
    public const int SizeLengthBytes = 12;
    public const int ChecksumOffset = 148;
    public const int ChecksumLengthBytes = 8;
    public const int TypeFlagOffset = 156;

    /// <summary>Old GNU header: four (offset, numbytes) pairs of 12-byte numbers start here ("struct sparse sp[4]").</summary>
    public const int OldGnuSparseMapOffset = 386;
    public const int OldGnuSparseEntriesInHeader = 4;
    /// <summary>Old GNU header: nonzero when extension blocks with more sparse entries follow the header.</summary>
    public const int OldGnuIsExtendedOffset = 482;
    /// <summary>Old GNU header: the logical (expanded) size of a sparse file.</summary>
    public const int OldGnuRealSizeOffset = 483;
    /// <summary>One sparse entry is an offset and a byte count, 12 bytes each.</summary>
    public const int SparseEntryLengthBytes = 24;
    /// <summary>Old GNU sparse extension block: 21 entries, then the isextended flag at byte 504.</summary>
    public const int OldGnuEntriesInExtensionBlock = 21;
    public const int OldGnuExtensionIsExtendedOffset = 504;

    public const byte TypePaxExtended = (byte)'x';
    public const byte TypePaxGlobal = (byte)'g';
    public const byte TypeGnuLongName = (byte)'L';
    public const byte TypeGnuLongLink = (byte)'K';
    public const byte TypeGnuSparse = (byte)'S';

    /// <summary>Typeflags whose data is metadata for the next header rather than file content.</summary>
    public static bool IsMetadataType(byte typeFlag)
        => typeFlag is TypePaxExtended or TypePaxGlobal or TypeGnuLongName or TypeGnuLongLink;

    public static bool IsZeroBlock(ReadOnlySpan<byte> block) => !block.ContainsAnyExcept((byte)0);

    /// <summary>Bytes of padding that follow <paramref name="sizeBytes"/> of data up to the next block boundary.</summary>
    public static long PaddingBytes(long sizeBytes) => (BlockSizeBytes - (sizeBytes % BlockSizeBytes)) % BlockSizeBytes;

    /// <summary>
    /// Verifies the header checksum. POSIX defines it as the sum of all 512 bytes as unsigned octets with the chksum field
    /// taken as eight spaces; historic implementations summed signed chars, so GNU tar accepts either sum, and so do we.
    /// </summary>
    public static bool ChecksumMatches(ReadOnlySpan<byte> block, out long stored)
    {
        stored = -1;
        ReadOnlySpan<byte> field = block.Slice(ChecksumOffset, ChecksumLengthBytes);
        if (!TryParseOctal(field, out stored))
        {
            return false;
        }

        long unsignedSum = 0;
        long signedSum = 0;
        for (int i = 0; i < BlockSizeBytes; i++)
        {
            byte b = i >= ChecksumOffset && i < ChecksumOffset + ChecksumLengthBytes ? (byte)' ' : block[i];
            unsignedSum += b;
            signedSum += (sbyte)b;
        }

        return stored == unsignedSum || stored == signedSum;
    }

    /// <summary>
    /// Parses a numeric header field: octal digits (leading spaces, NUL or space terminated), or the GNU base-256
    /// form (high bit of the first byte set, big-endian two's complement) used for values that do not fit in octal.
    /// </summary>
    public static bool TryParseNumeric(ReadOnlySpan<byte> field, out long value)
    {
        value = 0;
        if (field.Length > 0 && (field[0] & 0x80) != 0)
        {
            if ((field[0] & 0x40) != 0)
            {
                return false; // negative base-256: never a valid size or offset
            }

            long v = field[0] & 0x3F;
            for (int i = 1; i < field.Length; i++)
            {
                if (v > (long.MaxValue >> 8))
                {
                    return false;
                }

                v = (v << 8) | field[i];
            }

            value = v;
            return true;
        }

        return TryParseOctal(field, out value);
    }

    private static bool TryParseOctal(ReadOnlySpan<byte> field, out long value)
    {
        value = 0;
        int i = 0;
        while (i < field.Length && field[i] == (byte)' ')
        {
            i++;
        }

        int digits = 0;
        for (; i < field.Length; i++)
        {
            byte b = field[i];
            if (b is 0 or (byte)' ')
            {
                break;
            }

            if (b is < (byte)'0' or > (byte)'7' || value > (long.MaxValue >> 3))
            {
                return false;
            }

            value = (value << 3) | (long)(b - '0');
            digits++;
        }

        for (; i < field.Length; i++)
        {
            if (field[i] is not (0 or (byte)' '))
            {
                return false;
            }
        }

        return digits > 0 || field.Length == 0 || IsAllNulOrSpace(field);
    }

    private static bool IsAllNulOrSpace(ReadOnlySpan<byte> field) => !field.ContainsAnyExcept((byte)0, (byte)' ');
}
