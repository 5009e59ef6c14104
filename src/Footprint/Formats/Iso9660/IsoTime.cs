namespace Footprint.Formats.Iso9660;

/// <summary>ECMA-119 timestamps: the 7-byte directory-record form (9.1.5) and the 17-byte descriptor form (8.4.26.1).</summary>
internal static class IsoTime
{
    /// <summary>Offsets from GMT are stored in 15-minute units; .NET accepts at most +-14 hours.</summary>
    private const int MaxOffsetQuarterHours = 14 * 4;

    /// <summary>Years since 1900, month, day, hour, minute, second, signed GMT offset in 15-minute units. Null when invalid.</summary>
    public static DateTimeOffset? ReadShort(ReadOnlySpan<byte> b)
    {
        if (b.Length < 7)
        {
            return null;
        }

        return Make(1900 + b[0], b[1], b[2], b[3], b[4], b[5], 0, (sbyte)b[6]);
    }

    /// <summary>"YYYYMMDDHHMMSScc" in ASCII digits plus the GMT offset byte. Null when all zero or invalid.</summary>
    public static DateTimeOffset? ReadLong(ReadOnlySpan<byte> b)
    {
        if (b.Length < 17)
        {
            return null;
        }

        int[] f = new int[7];
        int[] widths = [4, 2, 2, 2, 2, 2, 2];
        int pos = 0;
        for (int i = 0; i < widths.Length; i++)
        {
            int v = 0;
            for (int j = 0; j < widths[i]; j++, pos++)
            {
                byte c = b[pos];
                if (c < (byte)'0' || c > (byte)'9')
                {
                    return null;
                }

                v = (v * 10) + (c - '0');
            }

            f[i] = v;
        }

        return f[0] == 0 ? null : Make(f[0], f[1], f[2], f[3], f[4], f[5], f[6] * 10, (sbyte)b[16]);
    }

    private static DateTimeOffset? Make(int year, int month, int day, int hour, int minute, int second, int millis, sbyte quarterHours)
    {
        if (year is < 1 or > 9999 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59 || millis > 999)
        {
            return null;
        }

        int quarters = Math.Abs((int)quarterHours) > MaxOffsetQuarterHours ? 0 : quarterHours;
        try
        {
            return new DateTimeOffset(year, month, day, hour, minute, second, millis, TimeSpan.FromMinutes(quarters * 15));
        }
        catch (ArgumentOutOfRangeException)
        {
            return null; // e.g. 0001-01-01 00:00 at +01:00 is before DateTimeOffset.MinValue in UTC
        }
    }
}
