namespace Footprint.Formats.Cpio;

/// <summary>
/// One parsed cpio header. Layouts (cpio(5) of libarchive, GNU cpio manual, the kernel's
/// Documentation/driver-api/early-userspace/buffer-format.rst):
/// newc/crc: "07070x" + 13 fields of 8 hex digits (ino mode uid gid nlink mtime filesize devmajor devminor rdevmajor
/// rdevminor namesize check) = 110 bytes; name (namesize bytes, NUL included) padded so header+name is a multiple
/// of 4; data padded to 4. odc: "070707" + dev(6) ino(6) mode(6) uid(6) gid(6) nlink(6) rdev(6) mtime(11)
/// namesize(6) filesize(11), octal, 76 bytes, no padding. binary: 13 16-bit words (magic 070707, dev ino mode uid
/// gid nlink rdev mtime[2] namesize filesize[2], 32-bit values most significant word first), 26 bytes; name and
/// data padded to even.
/// </summary>
internal readonly record struct CpioHeader(
    CpioFormat Format,
    long Dev,
    long DevMinor,
    long Ino,
    long Mode,
    long Uid,
    long Gid,
    long Nlink,
    long Mtime,
    long FileSize,
    int RdevMajor,
    int RdevMinor,
    long NameSize,
    long Check)
{
    public const int NewcHeaderBytes = 110;
    public const int OdcHeaderBytes = 76;
    public const int BinaryHeaderBytes = 26;

    /// <summary>Bytes of the header for <paramref name="format"/>.</summary>
    public static int HeaderBytes(CpioFormat format) => format switch
    {
        CpioFormat.Newc or CpioFormat.Crc => NewcHeaderBytes,
        CpioFormat.Odc => OdcHeaderBytes,
        _ => BinaryHeaderBytes,
    };

    /// <summary>Alignment of header+name and of data: 4 for newc/crc, 2 for binary, none for odc.</summary>
    public static int Alignment(CpioFormat format) => format switch
    {
        CpioFormat.Newc or CpioFormat.Crc => 4,
        CpioFormat.Odc => 1,
        _ => 2,
    };

    /// <summary>Recognises the magic at the start of <paramref name="head"/> (at least 6 bytes, or 2 for binary).</summary>
    public static CpioFormat? DetectFormat(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 6)
        {
            if (head.StartsWith("070701"u8))
            {
                return CpioFormat.Newc;
            }

            if (head.StartsWith("070702"u8))
            {
                return CpioFormat.Crc;
            }

            if (head.StartsWith("070707"u8))
            {
                return CpioFormat.Odc;
            }
        }

        if (head.Length >= 2)
        {
            // 070707 octal = 0x71C7 as a 16-bit word in the writer's byte order.
            if (head[0] == 0xC7 && head[1] == 0x71)
            {
                return CpioFormat.BinaryLittleEndian;
            }

            if (head[0] == 0x71 && head[1] == 0xC7)
            {
                return CpioFormat.BinaryBigEndian;
            }
        }

        return null;
    }

    /// <summary>Parses a complete header of <paramref name="format"/>; null names the first malformed field.</summary>
    public static CpioHeader? Parse(CpioFormat format, ReadOnlySpan<byte> h, out string? badField)
    {
        badField = null;
        switch (format)
        {
            case CpioFormat.Newc:
            case CpioFormat.Crc:
            {
                Span<long> f = stackalloc long[13];
                string[] names = ["ino", "mode", "uid", "gid", "nlink", "mtime", "filesize", "devmajor", "devminor", "rdevmajor", "rdevminor", "namesize", "check"];
                for (int i = 0; i < 13; i++)
                {
                    if (!TryParse(h.Slice(6 + (i * 8), 8), 16, out f[i]))
                    {
                        badField = names[i];
                        return null;
                    }
                }

                return new CpioHeader(format, f[7], f[8], f[0], f[1], f[2], f[3], f[4], f[5], f[6], (int)f[9], (int)f[10], f[11], f[12]);
            }

            case CpioFormat.Odc:
            {
                (int Offset, int Length, string Name)[] layout =
                [
                    (6, 6, "dev"), (12, 6, "ino"), (18, 6, "mode"), (24, 6, "uid"), (30, 6, "gid"), (36, 6, "nlink"),
                    (42, 6, "rdev"), (48, 11, "mtime"), (59, 6, "namesize"), (65, 11, "filesize"),
                ];
                Span<long> f = stackalloc long[layout.Length];
                for (int i = 0; i < layout.Length; i++)
                {
                    if (!TryParse(h.Slice(layout[i].Offset, layout[i].Length), 8, out f[i]))
                    {
                        badField = layout[i].Name;
                        return null;
                    }
                }

                (int major, int minor) = SplitDev(f[6]);
                return new CpioHeader(format, f[0], 0, f[1], f[2], f[3], f[4], f[5], f[7], f[9], major, minor, f[8], 0);
            }

            default:
            {
                bool little = format == CpioFormat.BinaryLittleEndian;
                Span<long> w = stackalloc long[13];
                for (int i = 0; i < 13; i++)
                {
                    w[i] = little ? h[i * 2] | (h[(i * 2) + 1] << 8) : (h[i * 2] << 8) | h[(i * 2) + 1];
                }

                (int major, int minor) = SplitDev(w[7]);
                long mtime = (w[8] << 16) | w[9];
                long size = (w[11] << 16) | w[12];
                return new CpioHeader(format, w[1], 0, w[2], w[3], w[4], w[5], w[6], mtime, size, major, minor, w[10], 0);
            }
        }
    }

    /// <summary>glibc's major()/minor() of an old-style device number (what GNU cpio stores in odc and binary).</summary>
    private static (int Major, int Minor) SplitDev(long dev)
        => ((int)(((dev >> 8) & 0xFFF) | ((dev >> 32) & ~0xFFFL)), (int)((dev & 0xFF) | ((dev >> 12) & ~0xFFL)));

    private static bool TryParse(ReadOnlySpan<byte> digits, int radix, out long value)
    {
        value = 0;
        foreach (byte c in digits)
        {
            int d = c switch
            {
                >= (byte)'0' and <= (byte)'9' => c - '0',
                >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
                _ => 99,
            };
            if (d >= radix)
            {
                return false;
            }

            value = (value * radix) + d; // at most 11 octal or 8 hex digits: no overflow
        }

        return true;
    }
}
