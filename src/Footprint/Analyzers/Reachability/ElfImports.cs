using System.Buffers.Binary;
using System.Text;

namespace Footprint.Analyzers.Reachability;

/// <summary>
/// Reads the undefined symbols of an ELF object's .dynsym (System V gABI, "Symbol Table": st_shndx == SHN_UNDEF means
/// the object imports the name) and, for a dlopen importer, the strings that can name a library. Section headers
/// are required: an sstrip'ed file has none and its imports are reported unreadable, which callers treat as unknown.
/// Every offset and count is checked against the bytes at hand; nothing is sized by a number read from the file.
/// </summary>
internal static class ElfImports
{
    /// <summary>Symbols that start another program: exec family (execve(2), exec(3)), system(3), popen(3), posix_spawn(3).</summary>
    private static readonly HashSet<string> SpawnSymbols = new(StringComparer.Ordinal)
    {
        "execve", "execv", "execvp", "execvpe", "execl", "execlp", "execle", "execveat", "fexecve", "system", "popen", "posix_spawn", "posix_spawnp",
    };

    private const uint ShtDynsym = 11;
    private const int MinStringBytes = 4;
    private const int MaxStringBytes = 256;
    private const int MaxStrings = 4096;

    public static ObjectFacts Read(ReadOnlySpan<byte> file)
    {
        if (file.Length < 64 || file[0] != 0x7f || file[1] != (byte)'E' || file[2] != (byte)'L' || file[3] != (byte)'F')
        {
            return Unreadable("not an ELF file");
        }

        var is64 = file[4] == 2;
        var big = file[5] == 2;
        if (file[4] is not (1 or 2) || file[5] is not (1 or 2))
        {
            return Unreadable("unknown ELF class or byte order");
        }

        ulong shoff = is64 ? U64(file, 0x28, big) : U32(file, 0x20, big);
        int shentsize = U16(file, is64 ? 0x3A : 0x2E, big);
        int shnum = U16(file, is64 ? 0x3C : 0x30, big);
        if (shoff == 0 || shnum == 0)
        {
            return Unreadable("no section headers (stripped to the program headers)");
        }

        if (shentsize < (is64 ? 64 : 40) || shoff > (ulong)file.Length || (ulong)shnum * (ulong)shentsize > (ulong)file.Length - shoff)
        {
            return Unreadable("section header table outside the file");
        }

        for (var i = 0; i < shnum; i++)
        {
            var sh = file.Slice((int)shoff + (i * shentsize), shentsize);
            if (U32(sh, 4, big) != ShtDynsym)
            {
                continue;
            }

            var (offset, size, link) = is64 ? (U64(sh, 0x18, big), U64(sh, 0x20, big), U32(sh, 0x28, big)) : (U32(sh, 0x10, big), U32(sh, 0x14, big), U32(sh, 0x18, big));
            if (link >= (uint)shnum || !Fits(offset, size, file.Length))
            {
                return Unreadable(".dynsym outside the file");
            }

            var strHeader = file.Slice((int)shoff + ((int)link * shentsize), shentsize);
            var (strOffset, strSize) = is64 ? (U64(strHeader, 0x18, big), U64(strHeader, 0x20, big)) : (U32(strHeader, 0x10, big), U32(strHeader, 0x14, big));
            if (!Fits(strOffset, strSize, file.Length))
            {
                return Unreadable(".dynstr outside the file");
            }

            return Symbols(file, file.Slice((int)offset, (int)size), file.Slice((int)strOffset, (int)strSize), is64, big);
        }

        return Unreadable("no .dynsym section");
    }

    private static ObjectFacts Symbols(ReadOnlySpan<byte> file, ReadOnlySpan<byte> table, ReadOnlySpan<byte> names, bool is64, bool big)
    {
        var entry = is64 ? 24 : 16;
        var shndxAt = is64 ? 6 : 14;
        var spawn = new SortedSet<string>(StringComparer.Ordinal);
        var dlopen = false;
        for (var at = 0; at + entry <= table.Length; at += entry)
        {
            var name = U32(table, at, big);
            if (name == 0 || name >= (uint)names.Length || U16(table, at + shndxAt, big) != 0)
            {
                continue;
            }

            var s = names[(int)name..];
            var end = s.IndexOf((byte)0);
            s = end < 0 ? s : s[..end];
            if (s.Length > 32)
            {
                continue;
            }

            // Versioned names are split off in .gnu.version; the plain name is what matters.
            var text = Encoding.ASCII.GetString(s);
            if (SpawnSymbols.Contains(text))
            {
                spawn.Add(text);
            }
            else if (text is "dlopen" or "dlmopen")
            {
                dlopen = true;
            }
        }

        return new ObjectFacts([.. spawn], dlopen, dlopen ? [.. LibraryStrings(file).Order(StringComparer.Ordinal)] : [], null);
    }

    /// <summary>Printable runs that can name a library: containing ".so", or an absolute path.</summary>
    private static HashSet<string> LibraryStrings(ReadOnlySpan<byte> file)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        var start = -1;
        for (var i = 0; i <= file.Length && result.Count < MaxStrings; i++)
        {
            var printable = i < file.Length && file[i] >= 0x20 && file[i] < 0x7f;
            if (printable)
            {
                if (start < 0)
                {
                    start = i;
                }

                continue;
            }

            if (start >= 0)
            {
                var run = file[start..i];
                if (run.Length >= MinStringBytes && run.Length <= MaxStringBytes && (run[0] == (byte)'/' || run.IndexOf(".so"u8) >= 0))
                {
                    result.Add(Encoding.ASCII.GetString(run));
                }

                start = -1;
            }
        }

        return result;
    }

    private static bool Fits(ulong offset, ulong size, int length) => offset <= (ulong)length && size <= (ulong)length - offset;

    private static ObjectFacts Unreadable(string why) => new([], false, [], why);

    private static ushort U16(ReadOnlySpan<byte> b, int at, bool big)
        => big ? BinaryPrimitives.ReadUInt16BigEndian(b[at..]) : BinaryPrimitives.ReadUInt16LittleEndian(b[at..]);

    private static uint U32(ReadOnlySpan<byte> b, int at, bool big)
        => big ? BinaryPrimitives.ReadUInt32BigEndian(b[at..]) : BinaryPrimitives.ReadUInt32LittleEndian(b[at..]);

    private static ulong U64(ReadOnlySpan<byte> b, int at, bool big)
        => big ? BinaryPrimitives.ReadUInt64BigEndian(b[at..]) : BinaryPrimitives.ReadUInt64LittleEndian(b[at..]);
}
