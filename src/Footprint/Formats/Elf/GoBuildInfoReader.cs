using System.Buffers.Binary;
using System.Text;

namespace Footprint.Formats.Elf;

/// <summary>
/// Reads the Go build info blob that the linker writes into section <c>.go.buildinfo</c> (what <c>go version -m</c>
/// prints). Layout, from the Go toolchain's debug/buildinfo documentation: a 32-byte header, the 14-byte magic
/// <c>"\xff Go buildinf:"</c>, the pointer size at byte 14 and flags at byte 15 (bit 0: big-endian pointers,
/// bit 1: strings inline). Go 1.18+ writes the version and module strings inline after the header, each prefixed
/// by its uvarint length; older toolchains store two pointers (at 16 and 16+ptrSize) to Go string headers
/// (data pointer, length) that are mapped back to file offsets. The module text is framed by 16 sentinel
/// bytes on each side and holds tab-separated lines: <c>path</c>, <c>mod</c>, <c>dep</c>, <c>=&gt;</c>, <c>build</c>.
/// </summary>
public static class GoBuildInfoReader
{
    private const int HeaderBytes = 32;
    private const int MaxStringBytes = 1 << 20;
    private const int MaxCandidates = 16;

    /// <summary>0xFF then " Go buildinf:" (a u8 literal cannot hold 0xFF: "\xff" would be U+00FF, two UTF-8 bytes).</summary>
    /// <summary>The magic that starts the build-info header.</summary>
    internal static ReadOnlySpan<byte> MagicBytes => Magic;

    private static ReadOnlySpan<byte> Magic => [0xFF, (byte)' ', (byte)'G', (byte)'o', (byte)' ', (byte)'b', (byte)'u', (byte)'i', (byte)'l', (byte)'d', (byte)'i', (byte)'n', (byte)'f', (byte)':'];

    /// <summary>A range of the file, or an empty span when it lies outside.</summary>
    public delegate ReadOnlySpan<byte> ReadAt(ulong offset, ulong length);

    /// <summary>
    /// The build info of a Go program, or null when the file holds none. <paramref name="sectionOffset"/> is the file
    /// offset of .go.buildinfo when section headers name it; otherwise (stripped of section headers) the magic is
    /// searched for in <paramref name="searchIn"/>, the whole file when it is held in memory.
    /// </summary>
    public static GoBuildInfo? Read(ReadAt read, long sectionOffset, Func<ulong, ulong?> addressToOffset, ReadOnlySpan<byte> searchIn)
    {
        if (sectionOffset >= 0)
        {
            return ReadAtOffset(read, (ulong)sectionOffset, addressToOffset);
        }

        var from = 0;
        for (var n = 0; n < MaxCandidates && from < searchIn.Length; n++)
        {
            var i = searchIn[from..].IndexOf(Magic);
            if (i < 0)
            {
                return null;
            }

            if (ReadAtOffset(read, (ulong)(from + i), addressToOffset) is { } info)
            {
                return info;
            }

            from += i + 1;
        }

        return null;
    }

    private static GoBuildInfo? ReadAtOffset(ReadAt read, ulong at, Func<ulong, ulong?> addressToOffset)
    {
        var header = read(at, HeaderBytes);
        if (header.Length < HeaderBytes || !header.StartsWith(Magic))
        {
            return null;
        }

        int ptrSize = header[14];
        int flags = header[15];
        string? version, mod;
        if ((flags & 2) != 0)
        {
            var pos = at + HeaderBytes;
            version = VarString(read, ref pos);
            mod = version is null ? null : VarString(read, ref pos);
        }
        else
        {
            if (ptrSize is not (4 or 8))
            {
                return null;
            }

            var big = (flags & 1) != 0;
            version = PointerString(read, Pointer(header, 16, ptrSize, big), ptrSize, big, addressToOffset);
            mod = PointerString(read, Pointer(header, 16 + ptrSize, ptrSize, big), ptrSize, big, addressToOffset);
        }

        if (string.IsNullOrEmpty(version))
        {
            return null;
        }

        // Strip the sentinels: 16 bytes on each side, the last line ending in '\n' just before the trailing ones.
        mod = mod is { Length: >= 33 } && mod[^17] == '\n' ? mod[16..^16] : string.Empty;
        return Parse(version, mod);
    }

    /// <summary>The module text <c>go version -m</c> prints, one tab-separated record per line.</summary>
    internal static GoBuildInfo Parse(string version, string mod)
    {
        string? path = null;
        GoModule? main = null;
        var deps = new List<GoModule>();
        var settings = new List<KeyValuePair<string, string>>();
        foreach (var line in mod.Split('\n'))
        {
            var f = line.Split('\t');
            switch (f[0])
            {
                case "path" when f.Length >= 2:
                    path = f[1];
                    break;
                case "mod" when f.Length >= 3:
                    main = new GoModule(f[1], f[2], f.Length >= 4 ? f[3] : null);
                    break;
                case "dep" when f.Length >= 3:
                    deps.Add(new GoModule(f[1], f[2], f.Length >= 4 ? f[3] : null));
                    break;
                case "=>" when f.Length >= 3:
                    var replacement = new GoModule(f[1], f[2], f.Length >= 4 ? f[3] : null);
                    if (deps.Count > 0)
                    {
                        deps[^1] = deps[^1] with { Replacement = replacement };
                    }
                    else if (main is not null)
                    {
                        main = main with { Replacement = replacement };
                    }

                    break;
                case "build" when f.Length >= 2:
                    var setting = string.Join('\t', f[1..]);
                    var eq = setting.IndexOf('=', StringComparison.Ordinal);
                    if (eq > 0)
                    {
                        settings.Add(new(setting[..eq], setting[(eq + 1)..]));
                    }

                    break;
            }
        }

        return new GoBuildInfo(version, path, main, deps, settings);
    }

    private static string? VarString(ReadAt read, ref ulong pos)
    {
        var prefix = read(pos, 10);
        if (prefix.IsEmpty)
        {
            prefix = read(pos, 1);
        }

        ulong length = 0;
        var used = 0;
        for (var shift = 0; ; shift += 7)
        {
            if (used >= prefix.Length || shift > 63)
            {
                return null;
            }

            var b = prefix[used++];
            length |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                break;
            }
        }

        if (length > MaxStringBytes)
        {
            return null;
        }

        var bytes = read(pos + (ulong)used, length);
        if (bytes.Length != (int)length)
        {
            return null;
        }

        pos += (ulong)used + length;
        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>A Go string header (data pointer, length) at virtual address <paramref name="address"/>.</summary>
    private static string? PointerString(ReadAt read, ulong address, int ptrSize, bool big, Func<ulong, ulong?> addressToOffset)
    {
        if (addressToOffset(address) is not { } at)
        {
            return null;
        }

        var header = read(at, (ulong)(2 * ptrSize));
        if (header.Length != 2 * ptrSize)
        {
            return null;
        }

        var data = Pointer(header, 0, ptrSize, big);
        var length = Pointer(header, ptrSize, ptrSize, big);
        if (length > MaxStringBytes || addressToOffset(data) is not { } offset)
        {
            return null;
        }

        var bytes = read(offset, length);
        return bytes.Length == (int)length ? Encoding.UTF8.GetString(bytes) : null;
    }

    private static ulong Pointer(ReadOnlySpan<byte> s, int at, int size, bool big) => size == 8
        ? big ? BinaryPrimitives.ReadUInt64BigEndian(s[at..]) : BinaryPrimitives.ReadUInt64LittleEndian(s[at..])
        : big ? BinaryPrimitives.ReadUInt32BigEndian(s[at..]) : BinaryPrimitives.ReadUInt32LittleEndian(s[at..]);
}
