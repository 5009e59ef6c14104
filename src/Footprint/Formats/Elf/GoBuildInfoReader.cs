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

    private static ReadOnlySpan<byte> Magic => "\xff Go buildinf:"u8;

    /// <summary>
    /// The build info of a Go program, or null when the bytes hold none. <paramref name="sectionOffset"/> is the file
    /// offset of .go.buildinfo when section headers name it, or -1 to search (stripped or sstrip'ed files).
    /// </summary>
    public static GoBuildInfo? Read(ReadOnlySpan<byte> file, long sectionOffset, Func<ulong, ulong?> addressToOffset)
    {
        if (sectionOffset >= 0)
        {
            return sectionOffset <= file.Length - HeaderBytes ? ReadAt(file, (int)sectionOffset, addressToOffset) : null;
        }

        var from = 0;
        for (var n = 0; n < MaxCandidates; n++)
        {
            var i = file[from..].IndexOf(Magic);
            if (i < 0)
            {
                return null;
            }

            var at = from + i;
            if (at <= file.Length - HeaderBytes && ReadAt(file, at, addressToOffset) is { } info)
            {
                return info;
            }

            from = at + 1;
        }

        return null;
    }

    private static GoBuildInfo? ReadAt(ReadOnlySpan<byte> file, int at, Func<ulong, ulong?> addressToOffset)
    {
        if (!file[at..].StartsWith(Magic))
        {
            return null;
        }

        int ptrSize = file[at + 14];
        int flags = file[at + 15];
        string? version, mod;
        if ((flags & 2) != 0)
        {
            var pos = at + HeaderBytes;
            version = VarString(file, ref pos);
            mod = version is null ? null : VarString(file, ref pos);
        }
        else
        {
            if (ptrSize is not (4 or 8))
            {
                return null;
            }

            var big = (flags & 1) != 0;
            version = PointerString(file, at + 16, ptrSize, big, addressToOffset);
            mod = PointerString(file, at + 16 + ptrSize, ptrSize, big, addressToOffset);
        }

        if (string.IsNullOrEmpty(version))
        {
            return null;
        }

        // Strip the sentinels: 16 bytes on each side, the last line ending in '\n' just before the trailing ones.
        if (mod is { Length: >= 33 } && mod[^17] == '\n')
        {
            mod = mod[16..^16];
        }
        else
        {
            mod = string.Empty;
        }

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

    private static string? VarString(ReadOnlySpan<byte> file, ref int pos)
    {
        ulong length = 0;
        for (var shift = 0; ; shift += 7)
        {
            if (pos >= file.Length || shift > 63)
            {
                return null;
            }

            var b = file[pos++];
            length |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                break;
            }
        }

        if (length > MaxStringBytes || length > (ulong)(file.Length - pos))
        {
            return null;
        }

        var s = Encoding.UTF8.GetString(file.Slice(pos, (int)length));
        pos += (int)length;
        return s;
    }

    private static string? PointerString(ReadOnlySpan<byte> file, int at, int ptrSize, bool big, Func<ulong, ulong?> addressToOffset)
    {
        if (at > file.Length - ptrSize || addressToOffset(Pointer(file, at, ptrSize, big)) is not { } header || header > (ulong)(file.Length - (2 * ptrSize)))
        {
            return null;
        }

        var data = Pointer(file, (int)header, ptrSize, big);
        var length = Pointer(file, (int)header + ptrSize, ptrSize, big);
        if (length > MaxStringBytes || addressToOffset(data) is not { } offset || offset > (ulong)file.Length || length > (ulong)file.Length - offset)
        {
            return null;
        }

        return Encoding.UTF8.GetString(file.Slice((int)offset, (int)length));
    }

    private static ulong Pointer(ReadOnlySpan<byte> s, int at, int size, bool big) => size == 8
        ? big ? BinaryPrimitives.ReadUInt64BigEndian(s[at..]) : BinaryPrimitives.ReadUInt64LittleEndian(s[at..])
        : big ? BinaryPrimitives.ReadUInt32BigEndian(s[at..]) : BinaryPrimitives.ReadUInt32LittleEndian(s[at..]);
}
