using System.Text;
using static Footprint.Formats.Elf.ElfConstants;

namespace Footprint.Formats.Elf;

// The tables the headers point to: the dynamic section and its strings, GNU symbol versions (needs and definitions),
// the dynamic symbols checksec looks at, the build-id note and .comment. Each method is one stage of Run.
internal sealed partial class ElfParser
{
    private ElfDynamicInfo ReadDynamic(ElfSegment[] segments, ElfSection[] sections)
    {
        ulong offset, size;
        var seg = Array.FindIndex(segments, s => s.Type == PtDynamic);
        var sec = Array.FindIndex(sections, s => s.Type == ShtDynamic);
        if (seg >= 0)
        {
            (offset, size) = (segments[seg].Offset, segments[seg].FileSize);
        }
        else if (sec >= 0)
        {
            (offset, size) = (sections[sec].Offset, sections[sec].Size);
        }
        else
        {
            return default;
        }

        var entry = _is64 ? 16 : 8;
        var table = Slice(offset, Math.Min(size, (ulong)entry * MaxDynamicEntries), "dynamic section");
        var raw = new List<(long Tag, ulong Value)>();
        for (var at = 0; at + entry <= table.Length; at += entry)
        {
            var tag = _is64 ? (long)U64(table, at) : (int)U32(table, at);
            if (tag == DtNull)
            {
                break;
            }

            raw.Add((tag, Word(table, at + (entry / 2))));
        }

        var info = default(ElfDynamicInfo);
        var map = new ElfAddressMap(segments, sections);
        foreach (var (tag, value) in raw)
        {
            switch (tag)
            {
                case DtStrtab:
                    if (map.ToOffset(value) is { } o)
                    {
                        info.StrtabOffset = o;
                        info.HasStrtab = true;
                    }

                    break;
                case DtStrsz: info.StrtabSize = value; break;
                case DtFlags: info.Flags = value; break;
                case DtFlags1: info.Flags1 = value; break;
                case DtBindNow: info.BindNow = true; break;
                case DtDebug: info.Debug = true; break;
                case DtVerneed: info.Verneed = map.ToOffset(value); break;
                case DtVerneednum: info.VerneedNum = value; break;
                case DtVerdef: info.Verdef = map.ToOffset(value); break;
                case DtVerdefnum: info.VerdefNum = value; break;
                case DtSymtab: info.Symtab = map.ToOffset(value); break;
                case DtHash: info.Hash = map.ToOffset(value); break;
                case DtGnuHash: info.GnuHash = map.ToOffset(value); break;
            }
        }

        if (!info.HasStrtab && sec >= 0 && sections[sec].Link < sections.Length)
        {
            var strtab = sections[(int)sections[sec].Link];
            (info.StrtabOffset, info.StrtabSize, info.HasStrtab) = (strtab.Offset, strtab.Size, true);
        }

        if (!info.HasStrtab)
        {
            throw new ElfFormatException($"at offset {offset}: dynamic section without a string table (DT_STRTAB)");
        }

        var stringBytes = info.StrtabSize != 0 ? info.StrtabSize : Math.Min((ulong)_length - Math.Min(info.StrtabOffset, (ulong)_length), 1 << 20);
        info.Strings = Region(info.StrtabOffset, stringBytes, "dynamic string table");
        info.Needed = [];
        foreach (var (tag, value) in raw)
        {
            switch (tag)
            {
                case DtNeeded: info.Needed.Add(DynString(info, value)); break;
                case DtSoname: info.Soname = DynString(info, value); break;
                case DtRpath: info.Rpath = DynString(info, value); break;
                case DtRunpath: info.Runpath = DynString(info, value); break;
            }
        }

        return info;
    }

    private static string DynString(ElfDynamicInfo info, ulong index)
    {
        if (index >= (ulong)info.Strings.Length)
        {
            throw new ElfFormatException($"at offset {info.StrtabOffset}: string index {index} is past the dynamic string table ({info.Strings.Length} bytes)");
        }

        return Terminated(info.Strings.Span[(int)index..]);
    }

    /// <summary>DT_VERNEED / DT_VERDEF mapped to a file offset, else the section of that type (relocatable objects have no dynamic tags).</summary>
    private static ulong? VersionTable(ulong? fromDynamic, ElfSection[] sections, uint type)
    {
        var sec = Array.FindIndex(sections, s => s.Type == type);
        return fromDynamic ?? (sec >= 0 ? sections[sec].Offset : null);
    }

    private List<ElfVersionNeed> ReadVersionNeeds(ElfDynamicInfo dyn, ElfSegment[] segments, ElfSection[] sections)
    {
        var result = new List<ElfVersionNeed>();
        var start = VersionTable(dyn.Verneed, sections, ShtGnuVerneed);
        if (start is not { } at || !dyn.HasStrtab)
        {
            return result;
        }

        // Elf32_Verneed and Elf64_Verneed share one layout: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32;
        // Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32.
        var seen = 0;
        while (true)
        {
            var vn = Slice(at, 16, "version need");
            int cnt = U16(vn, 2);
            var file = DynString(dyn, U32(vn, 4));
            var versions = new List<string>();
            var aux = at + U32(vn, 8);
            for (var i = 0; i < cnt; i++)
            {
                if (++seen > MaxVersionEntries)
                {
                    throw new ElfFormatException($"at offset {aux}: more than {MaxVersionEntries} version entries");
                }

                var a = Slice(aux, 16, "version need aux");
                versions.Add(DynString(dyn, U32(a, 8)));
                var next = U32(a, 12);
                if (next == 0)
                {
                    break;
                }

                aux += next;
            }

            result.Add(new ElfVersionNeed(file, versions));
            var nextNeed = U32(vn, 12);
            if (nextNeed == 0 || ++seen > MaxVersionEntries)
            {
                break;
            }

            at += nextNeed;
        }

        return result;
    }

    private List<string> ReadVersionDefinitions(ElfDynamicInfo dyn, ElfSegment[] segments, ElfSection[] sections)
    {
        var result = new List<string>();
        var start = VersionTable(dyn.Verdef, sections, ShtGnuVerdef);
        if (start is not { } at || !dyn.HasStrtab)
        {
            return result;
        }

        // Verdef: vd_version u16, vd_flags u16, vd_ndx u16, vd_cnt u16, vd_hash u32, vd_aux u32, vd_next u32;
        // Verdaux: vda_name u32, vda_next u32. The first aux names the version; later ones name its parents.
        for (var seen = 0; seen < MaxVersionEntries; seen++)
        {
            var vd = Slice(at, 20, "version definition");
            if (U16(vd, 6) > 0)
            {
                var a = Slice(at + U32(vd, 12), 8, "version definition aux");
                result.Add(DynString(dyn, U32(a, 0)));
            }

            var next = U32(vd, 16);
            if (next == 0)
            {
                break;
            }

            at += next;
        }

        return result;
    }

    /// <summary>
    /// One pass over the dynamic symbols. Hardening (stack protector, fortified functions) is read from .dynsym only,
    /// as checksec does, so a file without section headers keeps none. Imports (st_shndx == SHN_UNDEF: System V gABI,
    /// "Symbol Table") are also read from an sstrip'ed file through DT_SYMTAB, sized by DT_HASH or DT_GNU_HASH.
    /// </summary>
    private ElfSymbolFacts ReadDynamicSymbolFacts(ElfSection[] sections, ElfDynamicInfo dyn)
    {
        var entry = _is64 ? 24 : 16;
        ReadOnlySpan<byte> table, strings;
        var sec = Array.FindIndex(sections, s => s.Type == ShtDynsym);
        var fromSections = sec >= 0 && sections[sec].Link < sections.Length;
        if (fromSections)
        {
            var dynsym = sections[sec];
            var strtab = sections[(int)dynsym.Link];
            table = Slice(dynsym.Offset, dynsym.Size, ".dynsym");
            strings = Slice(strtab.Offset, strtab.Size, ".dynstr");
        }
        else if (sections.Length == 0 && dyn.Symtab is { } symtab && dyn.HasStrtab && DynamicSymbolCount(dyn) is { } count)
        {
            table = Slice(symtab, count * (ulong)entry, "DT_SYMTAB");
            strings = dyn.Strings.Span;
        }
        else
        {
            return ElfSymbolFacts.None(sections.Length == 0
                ? "no section headers, and no DT_SYMTAB with a DT_HASH or DT_GNU_HASH to count its symbols"
                : "no .dynsym section");
        }

        var shndxAt = _is64 ? 6 : 14;
        var stackProtector = false;
        var fortified = new SortedSet<string>(StringComparer.Ordinal);
        var spawn = new SortedSet<string>(StringComparer.Ordinal);
        var dlopen = false;
        for (var at = 0; at + entry <= table.Length; at += entry)
        {
            var name = U32(table, at);
            if (name == 0 || name >= strings.Length)
            {
                continue;
            }

            var s = strings[(int)name..];
            var end = s.IndexOf((byte)0);
            s = end < 0 ? s : s[..end];
            if (U16(table, at + shndxAt) == 0 && ElfSymbolFacts.WatchedImport(s) is { } watched)
            {
                if (ElfSymbolFacts.IsDlopen(watched))
                {
                    dlopen = true;
                }
                else
                {
                    spawn.Add(watched);
                }
            }

            if (!fromSections)
            {
                continue;
            }

            if (s.SequenceEqual("__stack_chk_fail"u8))
            {
                stackProtector = true;
            }
            else if (s.StartsWith("__"u8) && s.EndsWith("_chk"u8) && s.Length > 6 && !s.SequenceEqual("__stack_chk_guard"u8))
            {
                fortified.Add(Encoding.UTF8.GetString(s[..Math.Min(s.Length, MaxStringBytes)]));
            }
        }

        return new ElfSymbolFacts(stackProtector, [.. fortified], [.. spawn], dlopen, null);
    }

    /// <summary>
    /// The number of dynamic symbols of a file without section headers: DT_HASH's nchain, or one past the last symbol
    /// DT_GNU_HASH's buckets and chains reach (the ld.so way; GNU hash leaves the count implicit). Every read is bounded
    /// by the file; a loop runs over bytes held, never over a count read from them.
    /// </summary>
    private ulong? DynamicSymbolCount(ElfDynamicInfo dyn)
    {
        if (dyn.Hash is { } hash)
        {
            return U32(Slice(hash, 8, "DT_HASH"), 4);
        }

        if (dyn.GnuHash is not { } gnu)
        {
            return null;
        }

        var header = Slice(gnu, 16, "DT_GNU_HASH");
        ulong buckets = U32(header, 0), symOffset = U32(header, 4), bloomWords = U32(header, 8);
        var bucketsAt = gnu + 16 + (bloomWords * (ulong)(_is64 ? 8 : 4));
        var bucketTable = Slice(bucketsAt, buckets * 4, "DT_GNU_HASH buckets");
        ulong last = 0;
        for (var at = 0; at + 4 <= bucketTable.Length; at += 4)
        {
            last = Math.Max(last, U32(bucketTable, at));
        }

        if (last < symOffset)
        {
            return symOffset;
        }

        var chainsAt = bucketsAt + (buckets * 4);
        var chainAt = chainsAt + ((last - symOffset) * 4);
        var chains = Slice(chainAt, Math.Min((ulong)_length - Math.Min(chainAt, (ulong)_length), (ulong)MaxDynamicEntries * 4), "DT_GNU_HASH chains");
        for (var at = 0; at + 4 <= chains.Length; at += 4, last++)
        {
            if ((U32(chains, at) & 1) != 0)
            {
                return last + 1;
            }
        }

        throw new ElfFormatException($"at offset {chainAt}: a DT_GNU_HASH chain does not end before the end of the file");
    }

    private string? ReadBuildId(ElfSegment[] segments, ElfSection[] sections)
    {
        var regions = sections.Length > 0
            ? sections.Where(s => s.Type == ShtNote).Select(s => (s.Offset, s.Size, s.Align))
            : segments.Where(s => s.Type == PtNote).Select(s => (s.Offset, Size: s.FileSize, s.Align));
        foreach (var (offset, size, align) in regions)
        {
            var notes = Slice(offset, size, "note");
            var pad = align == 8 ? 8 : 4;
            var at = 0;
            while (at + 12 <= notes.Length)
            {
                var namesz = U32(notes, at);
                var descsz = U32(notes, at + 4);
                var type = U32(notes, at + 8);
                var nameAt = (ulong)at + 12;
                var descAt = Align(nameAt + namesz, pad);
                var next = Align(descAt + descsz, pad);
                if (next > (ulong)notes.Length)
                {
                    throw new ElfFormatException($"at offset {offset + (ulong)at}: note of {namesz}+{descsz} bytes runs past its section");
                }

                if (type == NtGnuBuildId && namesz == 4 && notes.Slice((int)nameAt, 4).SequenceEqual("GNU\0"u8))
                {
                    return Convert.ToHexStringLower(notes.Slice((int)descAt, (int)descsz));
                }

                at = (int)next;
            }
        }

        return null;
    }

    private static ulong Align(ulong value, int to) => (value + (ulong)to - 1) & ~((ulong)to - 1);

    private List<string> ReadComments(ElfSection[] sections)
    {
        var result = new List<string>();
        foreach (var s in sections)
        {
            if (s.Name != ".comment" || s.Type == ShtNobits)
            {
                continue;
            }

            var bytes = Slice(s.Offset, s.Size, ".comment");
            foreach (var range in bytes.Split((byte)0))
            {
                var text = bytes[range];
                if (!text.IsEmpty && result.Count < 256)
                {
                    var value = Encoding.UTF8.GetString(text[..Math.Min(text.Length, MaxStringBytes)]);
                    if (!result.Contains(value))
                    {
                        result.Add(value);
                    }
                }
            }
        }

        return result;
    }
}
