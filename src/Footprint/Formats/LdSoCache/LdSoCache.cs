using System.Buffers.Binary;
using System.Text;

namespace Footprint.Formats.LdSoCache;

/// <summary>
/// <c>/etc/ld.so.cache</c>, written by ldconfig(8) and read by glibc's ld.so. Parsed by hand: no .NET library
/// reads it. Layout from glibc's <c>sysdeps/generic/dl-cache.h</c>:
/// new format: "glibc-ld.so.cache" "1.1" (20 bytes), u32 nlibs, u32 len_strings, u8 flags (endianness), 3 pad,
/// u32 extension_offset, 3 x u32 unused = 48 bytes; then nlibs x 24-byte entries (i32 flags, u32 key, u32 value,
/// u32 osversion, u64 hwcap); key and value are offsets of NUL-terminated strings from the start of the file.
/// Old format (before glibc 2.32 default): "ld.so-1.7.0" (11 bytes, padded to 12), u32 nlibs, then 12-byte entries
/// (i32 flags, u32 key, u32 value) with offsets from the start of the string table that follows them; a new-format
/// cache may follow the old entries (aligned to 4 bytes), and is preferred when present, as ld.so does.
/// Every offset is bounds-checked; a damaged cache throws <see cref="InvalidDataException"/> naming the offset.
/// </summary>
public static class LdSoCache
{
    private const string NewMagic = "glibc-ld.so.cache1.1";
    private const string OldMagic = "ld.so-1.7.0";
    private const int NewHeaderBytes = 48;
    private const int NewEntryBytes = 24;
    private const int OldHeaderBytes = 16;
    private const int OldEntryBytes = 12;

    /// <summary>Entries in file order (ldconfig sorts them so that the first match is the one to use).</summary>
    public static IReadOnlyList<LdSoCacheEntry> Parse(ReadOnlySpan<byte> data)
    {
        if (StartsWith(data, 0, NewMagic))
        {
            return ParseNew(data, 0);
        }

        if (!StartsWith(data, 0, OldMagic))
        {
            throw new InvalidDataException("ld.so.cache: unknown magic at offset 0");
        }

        if (data.Length < OldHeaderBytes)
        {
            throw new InvalidDataException("ld.so.cache: truncated old header at offset 0");
        }

        var count = BinaryPrimitives.ReadUInt32LittleEndian(data[12..]);
        var stringsAt = OldHeaderBytes + ((long)count * OldEntryBytes);
        if (stringsAt > data.Length)
        {
            throw new InvalidDataException($"ld.so.cache: {count} old entries overrun the file at offset {OldHeaderBytes}");
        }

        var newAt = (int)((stringsAt + 3) & ~3L);
        if (StartsWith(data, newAt, NewMagic))
        {
            return ParseNew(data, newAt);
        }

        var list = new List<LdSoCacheEntry>((int)count);
        for (var i = 0; i < count; i++)
        {
            var at = OldHeaderBytes + (i * OldEntryBytes);
            var flags = BinaryPrimitives.ReadInt32LittleEndian(data[at..]);
            var key = BinaryPrimitives.ReadUInt32LittleEndian(data[(at + 4)..]);
            var value = BinaryPrimitives.ReadUInt32LittleEndian(data[(at + 8)..]);
            list.Add(new LdSoCacheEntry(ReadString(data, stringsAt + key, at + 4), ReadString(data, stringsAt + value, at + 8), flags));
        }

        return list;
    }

    private static List<LdSoCacheEntry> ParseNew(ReadOnlySpan<byte> data, int start)
    {
        if (data.Length - start < NewHeaderBytes)
        {
            throw new InvalidDataException($"ld.so.cache: truncated header at offset {start}");
        }

        // flags byte 2 = little endian, 3 = big endian (cache_file_new.flags); 0 means "unknown", assume host order.
        var big = data[start + 28] == 3;
        var count = ReadU32(data, start + 20, big);
        if ((long)count * NewEntryBytes > data.Length - start - NewHeaderBytes)
        {
            throw new InvalidDataException($"ld.so.cache: {count} entries overrun the file at offset {start + 20}");
        }

        var list = new List<LdSoCacheEntry>((int)count);
        for (var i = 0; i < count; i++)
        {
            var at = start + NewHeaderBytes + (i * NewEntryBytes);
            var flags = (int)ReadU32(data, at, big);
            var key = ReadU32(data, at + 4, big);
            var value = ReadU32(data, at + 8, big);
            list.Add(new LdSoCacheEntry(ReadString(data, key, at + 4), ReadString(data, value, at + 8), flags));
        }

        return list;
    }

    private static uint ReadU32(ReadOnlySpan<byte> data, int at, bool big)
        => big ? BinaryPrimitives.ReadUInt32BigEndian(data[at..]) : BinaryPrimitives.ReadUInt32LittleEndian(data[at..]);

    private static string ReadString(ReadOnlySpan<byte> data, long offset, int referencedAt)
    {
        if (offset < 0 || offset >= data.Length)
        {
            throw new InvalidDataException($"ld.so.cache: string offset {offset} (at offset {referencedAt}) is outside the file");
        }

        var rest = data[(int)offset..];
        var end = rest.IndexOf((byte)0);
        if (end < 0)
        {
            throw new InvalidDataException($"ld.so.cache: unterminated string at offset {offset}");
        }

        return Encoding.UTF8.GetString(rest[..end]);
    }

    private static bool StartsWith(ReadOnlySpan<byte> data, int at, string magic)
    {
        if (at < 0 || data.Length - at < magic.Length)
        {
            return false;
        }

        for (var i = 0; i < magic.Length; i++)
        {
            if (data[at + i] != magic[i])
            {
                return false;
            }
        }

        return true;
    }
}
